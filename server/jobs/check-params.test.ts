import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { assertParamsSchema, checkParams, Lru, outsideReference } from './check-params';

const evil = 'a'.repeat(29) + '!';
let n = 0;
const job = (paramsSchema: object, orgId = 'org-a') => ({
  id: `job-${++n}`,
  orgId,
  updatedAt: new Date(),
  paramsSchema,
});
const errorOf = (fn: () => void): AppError => {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected an error');
};
const timed = (fn: () => void) => {
  const started = performance.now();
  const error = errorOf(fn);
  return { error, ms: performance.now() - started };
};

describe('patterns run in linear time (RE2)', () => {
  // The meta-schema compiles once per process; what is timed below is a job's compile and validation.
  beforeAll(() => checkParams(job({ type: 'object' }, 'warm-up'), {}));

  it('answers the catastrophic pattern ^(a+)+$ with 29 a and a ! in well under 50 ms', () => {
    const { error, ms } = timed(() =>
      checkParams(job({ type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } }), {
        s: evil,
      }),
    );
    expect(error.code).toBe('validation_failed');
    expect(error.errors).toEqual([{ path: 'params.s', message: 'must match pattern "^(a+)+$"' }]);
    expect(ms).toBeLessThan(50);
  });

  it('does the same for patternProperties, and a long input stays linear', () => {
    const schema = job({
      type: 'object',
      patternProperties: { '^(a+)+$': { type: 'number' } },
      additionalProperties: false,
    });
    const { error, ms } = timed(() => checkParams(schema, { [evil]: 1 }));
    expect(error.code).toBe('validation_failed');
    expect(ms).toBeLessThan(50);
    const long = timed(() =>
      checkParams(job({ properties: { s: { pattern: '^(a+)+$' } } }), { s: 'a'.repeat(50_000) + '!' }),
    );
    expect(long.ms).toBeLessThan(500);
  });

  it('still matches what it should (anywhere in the string, as JSON Schema says)', () => {
    const schema = job({ properties: { day: { type: 'string', pattern: '\\d{4}-\\d{2}-\\d{2}' } } });
    expect(() => checkParams(schema, { day: 'on 2026-12-03' })).not.toThrow();
    expect(() => checkParams(schema, { day: 'tomorrow' })).toThrow(AppError);
  });

  it('refuses at save a pattern RE2 cannot run, saying why', () => {
    for (const pattern of ['(?=a)b', '(a)\\1']) {
      const error = errorOf(() => assertParamsSchema('org-a', { properties: { s: { pattern } } }));
      expect(error.code).toBe('validation_failed');
      expect(error.errors?.[0].path).toBe('paramsSchema');
      expect(error.errors?.[0].message).toMatch(/cannot run on the linear-time engine \(RE2/);
    }
    expect(errorOf(() => assertParamsSchema('org-a', { type: 'nonsense' })).errors?.[0].message).toMatch(
      /^Not a valid JSON Schema: schema\/type must be/,
    );
  });
});

describe('schemas stay inside their job and organisation', () => {
  it('refuses $id and a $ref outside the schema at save, and keeps local $ref', () => {
    expect(
      errorOf(() => assertParamsSchema('org-a', { $id: 'https://x.test/a', type: 'object' })).errors?.[0]
        .message,
    ).toMatch(/^\$id is not allowed/);
    expect(
      errorOf(() => assertParamsSchema('org-b', { properties: { a: { $ref: 'https://x.test/a' } } }))
        .errors?.[0].message,
    ).toMatch(/^\$ref "https:\/\/x.test\/a" is not allowed/);
    expect(
      errorOf(() => assertParamsSchema('org-b', { $ref: 'a#/definitions/x' })).errors?.[0].message,
    ).toMatch(/^\$ref/);
    const local = {
      $defs: { day: { type: 'string' } },
      properties: { from: { $ref: '#/$defs/day' }, $id: { type: 'string' } },
    };
    expect(() => assertParamsSchema('org-a', local)).not.toThrow();
    expect(outsideReference({ enum: [{ $id: 'data, not a keyword' }] })).toBeNull();
  });

  it('saves the same schema twice', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer' } } };
    assertParamsSchema('org-a', schema);
    expect(() => assertParamsSchema('org-a', structuredClone(schema))).not.toThrow();
  });

  it('a job saved earlier with $id checks params again after an edit, and its $id never reaches another organisation', () => {
    const a = { $id: 'https://shared.test/s', type: 'object', properties: { n: { type: 'integer' } } };
    const first = job(a, 'org-a');
    expect(() => checkParams(first, { n: 1 })).not.toThrow();
    expect(() =>
      checkParams({ ...first, updatedAt: new Date(first.updatedAt.getTime() + 1) }, { n: 2 }),
    ).not.toThrow();
    // Org B's own schema under the same $id compiles, and B cannot $ref A's schema.
    expect(() =>
      checkParams(job({ ...a, properties: { m: { type: 'string' } } }, 'org-b'), { m: 'x' }),
    ).not.toThrow();
    const error = errorOf(() =>
      checkParams(job({ $ref: 'https://shared.test/s' }, 'org-c'), { n: 'not a number' }),
    );
    expect(error.message).toMatch(/params schema is not a valid JSON Schema/);
  });
});

describe('Lru', () => {
  it('keeps at most its size, forgetting the least recently used', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect([lru.size, lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([2, 1, undefined, 3]);
  });
});
