import { describe, expect, test } from 'vitest';
import { runLogsQuerySchema } from './validations/job-api';
import { decodeCursor, encodeCursor, pageOf, type Cursor } from './cursor';

const uuid = '0b5e3f1c-7a2d-4c1e-9f00-1234567890ab';

describe('keyset cursors', () => {
  test('a cursor comes back as it went, and is URL-safe', () => {
    for (const cursor of [
      { at: 1_764_000_000_123, id: uuid, dir: 'older' },
      { at: 0, id: '9007199254740993', dir: 'newer' },
    ] satisfies Cursor[]) {
      const text = encodeCursor(cursor);
      expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(text)).toEqual(cursor);
    }
  });

  test('anything that is not one of ours reads as no cursor (the first page), never an error', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    for (const text of [
      null,
      '',
      'page=2',
      b64('o.123'),
      b64(`x.123.${uuid}`),
      b64(`o.12e3.${uuid}`),
      b64(`o.123.${uuid}.extra`),
      b64("o.123.1' or 1=1"),
      b64(`o.99999999999999999.${uuid}`),
      'A'.repeat(201),
    ])
      expect(decodeCursor(text)).toBeNull();
  });

  const rows = (n: number, from = 100) =>
    Array.from({ length: n }, (_, i) => ({ at: new Date(from - i), id: String(from - i) }));
  const key = (r: { at: Date; id: string }) => r;

  test('the first page: Older when there are more rows, no Newer', () => {
    const page = pageOf(rows(4), 3, null, key);
    expect(page.items.map((r) => r.id)).toEqual(['100', '99', '98']);
    expect(decodeCursor(page.older)).toEqual({ at: 98, id: '98', dir: 'older' });
    expect(page.newer).toBeNull();
    expect(pageOf(rows(3), 3, null, key).older).toBeNull();
  });

  test('a page read towards newer rows comes out newest first, with both neighbours', () => {
    // Read ascending from the cursor: 101, 102, 103, 104 (one more than the page).
    const ascending = [101, 102, 103, 104].map((n) => ({ at: new Date(n), id: String(n) }));
    const page = pageOf(ascending, 3, { at: 100, id: '100', dir: 'newer' }, key);
    expect(page.items.map((r) => r.id)).toEqual(['103', '102', '101']);
    expect(decodeCursor(page.newer)).toEqual({ at: 103, id: '103', dir: 'newer' });
    expect(decodeCursor(page.older)).toEqual({ at: 101, id: '101', dir: 'older' });
    // The newest rows: no Newer.
    expect(pageOf(ascending.slice(0, 3), 3, { at: 100, id: '100', dir: 'newer' }, key).newer).toBeNull();
  });
});

describe('the log query', () => {
  test('before pages backwards; after and before together are refused', () => {
    expect(runLogsQuerySchema.parse({ before: '2147483647' })).toEqual({
      after: 0,
      before: 2147483647,
      limit: 500,
    });
    expect(runLogsQuerySchema.safeParse({ before: '0' }).success).toBe(false);
    expect(runLogsQuerySchema.safeParse({ after: '5', before: '9' }).success).toBe(false);
    expect(runLogsQuerySchema.parse({ after: '5' })).toEqual({ after: 5, limit: 500 });
  });
});
