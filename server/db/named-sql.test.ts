import { describe, expect, it } from 'vitest';
import { namedSql } from './named-sql';

describe('namedSql', () => {
  it('numbers each name once, in order of first use, and leaves casts alone', () => {
    const q = namedSql<{ runId: string; text: string }>(
      `insert into "RunLog" select :runId::uuid, :text from "RunLog" where "runId" = :runId::uuid`,
    );
    expect(q.text).toBe(`insert into "RunLog" select $1::uuid, $2 from "RunLog" where "runId" = $1::uuid`);
    expect(q.args({ text: 'hello', runId: 'r' })).toEqual([q.text, 'r', 'hello']);
  });

  it('does not take a colon inside a string literal or a word for a parameter', () => {
    const q = namedSql<{ id: string }>(`select 'webhook:' || :id, x::text, a:b`);
    expect(q.names).toEqual(['id']);
    expect(q.text).toBe(`select 'webhook:' || $1, x::text, a:b`);
  });

  it('refuses to run without a value for every name (null is a value)', () => {
    const q = namedSql<{ a: number; b: number | null }>('select :a, :b');
    expect(q.args({ a: 1, b: null })).toEqual(['select $1, $2', 1, null]);
    expect(() => q.args({ a: 1 } as never)).toThrow(':b was not given');
  });
});
