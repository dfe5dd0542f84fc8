import { jobDefinitionSchema } from '../../lib/validations/job';
import { assertParamsSchema } from './check-params';
import { recordAudit } from '../audit/record';
import { db, Prisma } from '../db';
import { AppError, fieldErrors } from '../http/errors';

/** Creates a job in an organisation; its name is unique there. */
export async function createJob(orgId: string, input: unknown, audit: { actor: string; actorName: string; ip?: string | null }) {
  const parsed = jobDefinitionSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'The job definition is not valid', { errors: fieldErrors(parsed.error.issues) });
  const def = parsed.data;
  assertParamsSchema(def.paramsSchema);
  try {
    return await db.$transaction(async (tx) => {
      const job = await tx.job.create({
        data: {
          orgId,
          name: def.name,
          description: def.description || null,
          type: def.type,
          config: def.config,
          paramsSchema: def.paramsSchema === null ? Prisma.DbNull : (def.paramsSchema as Prisma.InputJsonValue),
          concurrency: def.concurrency,
          timeoutSeconds: def.timeoutSeconds,
          maxAttempts: def.maxAttempts,
        },
      });
      await recordAudit({ orgId, ...audit, action: 'job.created', target: `job:${job.id}`, details: { name: job.name } }, tx);
      return job;
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') {
      throw new AppError('conflict', `A job named "${def.name}" already exists`, { errors: [{ path: 'name', message: 'Already used in this organisation' }] });
    }
    throw error;
  }
}
