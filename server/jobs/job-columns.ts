import { jobDefinitionSchema } from '../../lib/validations/job';
import { Prisma } from '../db';
import { AppError, fieldErrors } from '../errors';
import { assertParamsSchema } from './check-params';
import { assertJobAllowed, type JobAuthor } from './job-policy';

/**
 * A job definition from a form, a file or the CLI, checked (shape, the operator's rules for who may
 * save it, the params schema) and shaped as the Job row's columns.
 */
export function jobColumns(input: unknown, saved: { orgId: string; author: JobAuthor }) {
  const parsed = jobDefinitionSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError('validation_failed', 'The job definition is not valid', {
      errors: fieldErrors(parsed.error.issues),
    });
  const def = parsed.data;
  assertJobAllowed(def, saved.author);
  assertParamsSchema(saved.orgId, def.paramsSchema);
  return {
    name: def.name,
    description: def.description || null,
    type: def.type,
    config: def.config as Prisma.InputJsonValue,
    paramsSchema: def.paramsSchema === null ? Prisma.DbNull : (def.paramsSchema as Prisma.InputJsonValue),
    concurrency: def.concurrency,
    timeoutSeconds: def.timeoutSeconds,
    maxAttempts: def.maxAttempts,
  };
}
