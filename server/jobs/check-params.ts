import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';
import type { RegExpEngine } from 'ajv/dist/types';
import { RE2JS } from 're2js';
import { AppError } from '../errors';
import { schemaBudgetProblem } from './schema-budget';

// Params checked against a job's JSON Schema. Patterns run on RE2 (linear time: no pattern and input can
// hang the process), each organisation compiles in its own Ajv (no shared $id space), and a schema may
// not name itself ($id) or refer outside itself ($ref not starting with #). The caches are bounded.

const MAX_ORGS = 100;
const MAX_COMPILED = 500;

/** Ajv's `code.regExp` contract: (source, flags) => { test(s) }, plus the code that builds it (unused here). */
const re2: RegExpEngine = Object.assign(
  (source: string) => {
    try {
      return RE2JS.compile(source);
    } catch (error) {
      throw new Error(
        `pattern "${source}" cannot run on the linear-time engine (RE2 syntax: no lookaround or backreferences): ${(error as Error).message}`,
      );
    }
  },
  { code: 'RE2JS.compile' },
);

/** A Map that forgets its least recently used entry beyond `max`. */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get size() {
    return this.map.size;
  }
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
}

const ajvByOrg = new Lru<string, Ajv>(MAX_ORGS);
const compiled = new Lru<string, ValidateFunction>(MAX_COMPILED);

// Checks schemas against the meta-schema only (that registers nothing), so the per-organisation
// instances need not compile the meta-schema each.
const metaSchemaChecker = new Ajv({ strict: false });

/** Compiles in the organisation's own Ajv and leaves nothing registered there, so saving twice works. */
function compileFor(orgId: string, schema: AnySchemaObject): ValidateFunction {
  const overBudget = schemaBudgetProblem(schema);
  if (overBudget) throw new Error(overBudget);
  if (!metaSchemaChecker.validateSchema(schema))
    throw new Error(metaSchemaChecker.errorsText(metaSchemaChecker.errors, { dataVar: 'schema' }));
  let ajv = ajvByOrg.get(orgId);
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, code: { regExp: re2 } });
    ajvByOrg.set(orgId, ajv);
  }
  try {
    return ajv.compile(schema);
  } finally {
    ajv.removeSchema(schema);
  }
}

/** Checks params against the job's own JSON Schema, when it has one; 422 with the paths otherwise. */
export function checkParams(
  job: { id: string; orgId: string; updatedAt: Date; paramsSchema: unknown },
  params: Record<string, unknown>,
): void {
  if (!job.paramsSchema || typeof job.paramsSchema !== 'object') return;
  const cacheKey = `${job.orgId}:${job.id}:${job.updatedAt.getTime()}`;
  let validate = compiled.get(cacheKey);
  if (!validate) {
    try {
      validate = compileFor(job.orgId, job.paramsSchema as AnySchemaObject);
    } catch {
      throw new AppError(
        'validation_failed',
        'The job’s params schema is not a valid JSON Schema within the validation budget; fix the job definition',
        { errors: [{ path: 'params', message: 'The job’s params schema is invalid' }] },
      );
    }
    compiled.set(cacheKey, validate);
  }
  if (!validate(params)) {
    throw new AppError('validation_failed', 'The params do not fit the job’s params schema', {
      errors: (validate.errors ?? []).map((e) => ({
        path: [
          'params',
          ...e.instancePath.split('/').filter(Boolean),
          ...(e.keyword === 'additionalProperties'
            ? [String((e.params as { additionalProperty: string }).additionalProperty)]
            : []),
          ...(e.keyword === 'required'
            ? [String((e.params as { missingProperty: string }).missingProperty)]
            : []),
        ].join('.'),
        message: e.message ?? 'invalid',
      })),
    });
  }
}

/** Keywords whose value is a map of names to schemas: their keys are names, not keywords. */
const SCHEMA_MAPS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'dependencies',
]);

/** The first `$id` or non-local `$ref` in a schema, as a message; null when there is none. */
export function outsideReference(schema: unknown, inMap = false): string | null {
  if (Array.isArray(schema)) {
    for (const item of schema) {
      const found = outsideReference(item);
      if (found) return found;
    }
    return null;
  }
  if (typeof schema !== 'object' || schema === null) return null;
  for (const [key, value] of Object.entries(schema)) {
    if (!inMap && key === '$id')
      return `$id is not allowed ("${value}"): a job’s schema cannot be named or shared`;
    if (!inMap && key === '$ref' && (typeof value !== 'string' || !value.startsWith('#')))
      return `$ref "${String(value)}" is not allowed: only references inside the schema (#/...) are`;
    if (!inMap && (key === 'enum' || key === 'const' || key === 'examples' || key === 'default')) continue;
    const found = outsideReference(value, !inMap && SCHEMA_MAPS.has(key));
    if (found) return found;
  }
  return null;
}

/** Refuses a params schema that is not a self-contained JSON Schema RE2 can run, when the job is saved. */
export function assertParamsSchema(orgId: string, paramsSchema: unknown): void {
  if (paramsSchema === null || paramsSchema === undefined) return;
  const refused = outsideReference(paramsSchema);
  const invalid = (message: string) =>
    new AppError('validation_failed', 'The params schema is not valid', {
      errors: [{ path: 'paramsSchema', message }],
    });
  if (refused) throw invalid(refused);
  try {
    compileFor(orgId, paramsSchema as AnySchemaObject);
  } catch (error) {
    const overBudget = schemaBudgetProblem(paramsSchema);
    throw invalid(overBudget ?? `Not a valid JSON Schema: ${(error as Error).message}`);
  }
}
