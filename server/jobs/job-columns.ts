import { jobDefinitionSchema } from '../../lib/validations/job';
import { Prisma } from '../db';
import { AppError, fieldErrors } from '../http/errors';
import { assertParamsSchema } from './check-params';

/** A job definition from a form, a file or the CLI, checked and shaped as the Job row's columns. */
export function jobColumns(input: unknown) {
  const parsed = jobDefinitionSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'The job definition is not valid', { errors: fieldErrors(parsed.error.issues) });
  const def = parsed.data;
  assertParamsSchema(def.paramsSchema);
  return {
    name: def.name,
    description: def.description || null,
    type: def.type,
    config: def.config,
    paramsSchema: def.paramsSchema === null ? Prisma.DbNull : (def.paramsSchema as Prisma.InputJsonValue),
    concurrency: def.concurrency,
    timeoutSeconds: def.timeoutSeconds,
    maxAttempts: def.maxAttempts,
  };
}
