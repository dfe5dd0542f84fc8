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

describe('validation budget: a schema is refused at save unless validating with it is bounded', () => {
  const refusal = (schema: object) =>
    errorOf(() => assertParamsSchema('org-budget', schema)).errors?.[0].message ?? '';

  it('refuses uniqueItems unless the items are scalars and maxItems is at most 1,000', () => {
    expect(refusal({ type: 'array', uniqueItems: true })).toMatch(/uniqueItems/);
    expect(
      refusal({ properties: { a: { type: 'array', uniqueItems: true, items: { type: 'object' } } } }),
    ).toMatch(/uniqueItems/);
    expect(
      refusal({ properties: { a: { uniqueItems: true, items: { type: 'string' }, maxItems: 5_000 } } }),
    ).toMatch(/uniqueItems/);
    expect(() =>
      assertParamsSchema('org-budget', {
        properties: { a: { uniqueItems: true, items: { type: ['string', 'integer'] }, maxItems: 1_000 } },
      }),
    ).not.toThrow();
  });

  it('a job saved before the budget with the 64 KiB uniqueItems schema is refused at start, not run', () => {
    const schema = job({ properties: { a: { type: 'array', uniqueItems: true } } });
    const a = Array.from({ length: 8_000 }, (_, i) => [i]);
    const error = errorOf(() => checkParams(schema, { a }));
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(/params schema/);
  });

  it('caps maxItems, maxProperties, depth, patterns and refuses recursive $ref', () => {
    expect(refusal({ type: 'array', maxItems: 100_000 })).toMatch(/maxItems/);
    expect(refusal({ type: 'object', maxProperties: 100_000 })).toMatch(/maxProperties/);
    let deep: object = { type: 'string' };
    for (let i = 0; i < 40; i++) deep = { type: 'object', properties: { a: deep } };
    expect(refusal(deep)).toMatch(/deep/);
    expect(refusal({ properties: { s: { type: 'string', pattern: 'a'.repeat(2_000) } } })).toMatch(/pattern/);
    expect(refusal({ patternProperties: { ['b'.repeat(2_000)]: {} } })).toMatch(/pattern/);
    expect(
      refusal({ $defs: { n: { type: 'array', items: { $ref: '#/$defs/n' } } }, $ref: '#/$defs/n' }),
    ).toMatch(/\$ref/);
    // References multiply: 5 definitions each using the one before four times expand to 4^5 nodes.
    const defs: Record<string, object> = { d0: { type: 'string' } };
    for (let i = 1; i < 8; i++)
      defs[`d${i}`] = { anyOf: [1, 2, 3, 4].map(() => ({ $ref: `#/$defs/d${i - 1}` })) };
    expect(refusal({ $defs: defs, $ref: '#/$defs/d7' })).toMatch(/large/);
  });

  it('a schema at the caps saves and validates (its speed is in bench/params-validation.ts)', () => {
    const schema = budgetSchema();
    expect(() => assertParamsSchema('org-budget', schema)).not.toThrow();
    expect(() => checkParams(job(schema), budgetParams())).not.toThrow();
    expect(errorOf(() => checkParams(job(schema), { tags: ['a', 'a'] })).errors?.[0].path).toBe(
      'params.tags',
    );
  });
});

/** A schema at the caps: uniqueItems on 1,000 scalars, wide objects, patterns, references. */
export function budgetSchema(): object {
  return {
    type: 'object',
    $defs: { name: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,62}$', maxLength: 64 } },
    properties: {
      tags: { type: 'array', uniqueItems: true, maxItems: 1_000, items: { type: 'string' } },
      rows: {
        type: 'array',
        maxItems: 10_000,
        items: {
          type: 'object',
          maxProperties: 1_000,
          additionalProperties: {
            anyOf: [{ type: 'number' }, { $ref: '#/$defs/name' }, { type: 'boolean' }],
          },
        },
      },
    },
  };
}

export function budgetParams(): Record<string, unknown> {
  return {
    tags: Array.from({ length: 1_000 }, (_, i) => `t${i}`),
    rows: Array.from({ length: 1_500 }, (_, i) => ({ a: i, b: `n${i}`, c: true })),
  };
}
