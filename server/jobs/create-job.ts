import { recordAudit } from '../audit/record';
import { assertConnectionRefs } from '../connections/job-references';
import { isUuid } from '../../lib/validations/ids';
import { db } from '../db';
import { AppError } from '../errors';
import { saveSchedules, jobSchedules } from '../schedules/save-schedules';
import { withResolvedSteps } from '../pipelines/resolve-steps';
import { jobColumns } from './job-columns';
import type { JobAuthor } from './job-policy';

/**
 * Creates a job in an organisation; its name is unique there. `author` is the member's role, or
 * 'operator' for the admin CLI, which passes COMMAND_JOBS=admins but not the allowlists.
 */
export async function createJob(
  orgId: string,
  input: unknown,
  audit: { actor: string; actorName: string; ip?: string | null },
  author: JobAuthor,
) {
  // A pipeline's steps name jobs of the organisation: saved by id (server/pipelines).
  const def = await withResolvedSteps(orgId, await jobColumns(input, { orgId, author }), null);
  const definedById = audit.actor.startsWith('user:') ? audit.actor.slice('user:'.length) : null;
  await assertConnectionRefs(orgId, definedById, def);
  try {
    return await db.$transaction(async (tx) => {
      // The person who creates a job watches it (failure notices); the CLI's and the seed's jobs have no creator.
      const userId = audit.actor.startsWith('user:') ? audit.actor.slice('user:'.length) : '';
      const createdById = isUuid(userId) ? userId : null;
      const job = await tx.job.create({
        data: { orgId, ...def, definedById, createdById },
      });
      await saveSchedules(tx, orgId, job.id, jobSchedules(input));
      await recordAudit(
        { orgId, ...audit, action: 'job.created', target: `job:${job.id}`, details: { name: job.name } },
        tx,
      );
      return job;
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') {
      throw new AppError('conflict', `A job named "${def.name}" already exists`, {
        errors: [{ path: 'name', message: 'Already used in this organisation' }],
      });
    }
    throw error;
  }
}
