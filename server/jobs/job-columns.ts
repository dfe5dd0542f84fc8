import { jobDefinitionSchema } from '../../lib/validations/job';
import { db, Prisma } from '../db';
import { AppError, fieldErrors } from '../errors';
import { assertParamsSchema } from './check-params';
import { commandJobsGrant } from '../members/command-grant';
import { assertJobAllowed, type JobAuthor } from './job-policy';

/**
 * A job definition from a form, a file or the CLI, checked (shape, the operator's rules for who may
 * save it, the params schema) and shaped as the Job row's columns.
 */
export async function jobColumns(input: unknown, saved: { orgId: string; author: JobAuthor }) {
  const parsed = jobDefinitionSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError('validation_failed', 'The job definition is not valid', {
      errors: fieldErrors(parsed.error.issues),
    });
  const def = parsed.data;
  assertJobAllowed(def, saved.author, def.type === 'command' ? await commandJobsGrant(saved.orgId) : null);
  assertParamsSchema(saved.orgId, def.paramsSchema);
  if (def.notifyEmails?.length) await assertMembers(saved.orgId, def.notifyEmails);
  return {
    name: def.name,
    description: def.description || null,
    type: def.type,
    config: def.config as Prisma.InputJsonValue,
    paramsSchema: def.paramsSchema === null ? Prisma.DbNull : (def.paramsSchema as Prisma.InputJsonValue),
    concurrency: def.concurrency,
    timeoutSeconds: def.timeoutSeconds,
    maxAttempts: def.maxAttempts,
    ...(def.notifyOnFailure === undefined ? {} : { notifyOnFailure: def.notifyOnFailure }),
    ...(def.notifyEmails === undefined ? {} : { notifyEmails: [...new Set(def.notifyEmails)] }),
  };
}

/** Failure notices go to members of the organisation only. */
async function assertMembers(orgId: string, emails: string[]): Promise<void> {
  const members = await db.membership.findMany({
    where: { orgId, user: { email: { in: emails } } },
    select: { user: { select: { email: true } } },
  });
  const known = new Set(members.map((m) => m.user.email));
  const errors = emails
    .map((email, i) => ({ email, i }))
    .filter(({ email }) => !known.has(email))
    .map(({ email, i }) => ({
      path: `notifyEmails.${i}`,
      message: `${email} is not a member of this organisation`,
    }));
  if (errors.length > 0) throw new AppError('validation_failed', errors[0].message, { errors });
}
