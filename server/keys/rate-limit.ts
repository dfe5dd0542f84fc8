import { intFromEnv } from '../config';
import { pool } from '../db';
import { groupCommit } from '../db/group-commit';
import { AppError } from '../errors';
import type { KeyPrincipal } from './authenticate-key';
import { processWide } from '../runtime/process-wide';

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  reset: number;
}

const WINDOW_MS = 60_000;
const cleanup = processWide('rate-limit-cleanup', () => ({ lastAt: 0 }));

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'RateLimit-Limit': String(state.limit),
    'RateLimit-Remaining': String(state.remaining),
    'RateLimit-Reset': String(state.reset),
    'RateLimit-Policy': `${state.limit};w=60`,
  };
}

interface Hit {
  keyId: string;
  window: number;
}

/**
 * The requests of the moment counted in one statement (group commit): one row per key and window, its
 * count raised by the requests it had in the batch; each request gets the count it made, in order.
 */
const countHit = groupCommit('rate-limit-counts', {
  write: async (hits: Hit[]) => {
    const groups = new Map<string, { keyId: string; window: number; n: number }>();
    for (const hit of hits) {
      const id = `${hit.keyId}/${hit.window}`;
      const group = groups.get(id) ?? groups.set(id, { ...hit, n: 0 }).get(id)!;
      group.n++;
    }
    const list = [...groups.values()];
    const { rows } = await pool.query<{ keyId: string; windowStart: string; count: number }>(
      `insert into "RateLimitWindow" as w ("keyId", "windowStart", count)
       select * from unnest($1::uuid[], $2::bigint[], $3::int[])
       on conflict ("keyId", "windowStart") do update set count = w.count + excluded.count
       returning "keyId"::text, "windowStart"::text, count`,
      [list.map((g) => g.keyId), list.map((g) => g.window), list.map((g) => g.n)],
    );
    return new Map(rows.map((row) => [`${row.keyId}/${row.windowStart}`, { count: row.count }]));
  },
  answers: (hits, totals) => {
    const seen = new Map<string, number>();
    const inBatch = new Map<string, number>();
    for (const hit of hits) {
      const id = `${hit.keyId}/${hit.window}`;
      inBatch.set(id, (inBatch.get(id) ?? 0) + 1);
    }
    return hits.map((hit) => {
      const id = `${hit.keyId}/${hit.window}`;
      const total = totals.get(id);
      if (!total) throw new Error(`no rate limit count for ${id}`);
      const nth = (seen.get(id) ?? 0) + 1;
      seen.set(id, nth);
      return total.count - inBatch.get(id)! + nth;
    });
  },
});

/** Requests a minute for a key without its own limit (RATE_LIMIT_PER_MINUTE; 0 = none). */
export function defaultRateLimit(): number {
  return intFromEnv('RATE_LIMIT_PER_MINUTE', 600);
}

/**
 * Counts one request of the key in the current minute, in Postgres so that every instance shares the
 * count (with the other requests of the moment, in one statement). A key's own limit overrides
 * RATE_LIMIT_PER_MINUTE; 0 means no limit (and no write at all).
 */
export async function consumeRateLimit(principal: KeyPrincipal): Promise<RateLimitState | null> {
  const limit = principal.rateLimit ?? defaultRateLimit();
  if (limit === 0) return null;
  const now = Date.now();
  const window = Math.floor(now / WINDOW_MS);
  const count = await countHit({ keyId: principal.keyId, window });
  if (now - cleanup.lastAt > WINDOW_MS) {
    cleanup.lastAt = now;
    void pool.query(`delete from "RateLimitWindow" where "windowStart" < $1`, [window - 1]).catch(() => {});
  }
  const state = {
    limit,
    remaining: Math.max(0, limit - count),
    reset: Math.ceil(((window + 1) * WINDOW_MS - now) / 1000),
  };
  if (count > limit) {
    throw new AppError(
      'rate_limited',
      `This key may make ${limit} requests a minute; try again in ${state.reset} s`,
      {
        headers: { 'Retry-After': String(state.reset), ...rateLimitHeaders(state) },
      },
    );
  }
  return state;
}
