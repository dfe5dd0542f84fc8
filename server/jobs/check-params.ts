import { Ajv, type ValidateFunction } from 'ajv';
import { AppError } from '../http/errors';

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<string, ValidateFunction>();

/** Checks params against the job's own JSON Schema, when it has one; 422 with the paths otherwise. */
export function checkParams(job: { id: string; updatedAt: Date; paramsSchema: unknown }, params: Record<string, unknown>): void {
  if (!job.paramsSchema || typeof job.paramsSchema !== 'object') return;
  const cacheKey = `${job.id}:${job.updatedAt.getTime()}`;
  let validate = compiled.get(cacheKey);
  if (!validate) {
    try {
      validate = ajv.compile(job.paramsSchema as object);
    } catch {
      throw new AppError('validation_failed', 'The job’s params schema is not a valid JSON Schema; fix the job definition', { errors: [{ path: 'params', message: 'The job’s params schema is invalid' }] });
    }
    if (compiled.size > 1000) compiled.clear();
    compiled.set(cacheKey, validate);
  }
  if (!validate(params)) {
    throw new AppError('validation_failed', 'The params do not fit the job’s params schema', {
      errors: (validate.errors ?? []).map((e) => ({
        path: ['params', ...e.instancePath.split('/').filter(Boolean), ...(e.keyword === 'additionalProperties' ? [String((e.params as { additionalProperty: string }).additionalProperty)] : []), ...(e.keyword === 'required' ? [String((e.params as { missingProperty: string }).missingProperty)] : [])].join('.'),
        message: e.message ?? 'invalid',
      })),
    });
  }
}

/** Refuses a params schema that is not a JSON Schema, when the job is saved rather than when it runs. */
export function assertParamsSchema(paramsSchema: unknown): void {
  if (paramsSchema === null || paramsSchema === undefined) return;
  try {
    ajv.compile(paramsSchema as object);
  } catch (error) {
    throw new AppError('validation_failed', 'The params schema is not a valid JSON Schema', {
      errors: [{ path: 'paramsSchema', message: `Not a valid JSON Schema: ${(error as Error).message}` }],
    });
  }
}
