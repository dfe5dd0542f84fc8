import { intFromEnv } from '../config';
import { pool } from '../db';
import { groupCommit } from '../db/group-commit';
import { AppError } from '../errors';
import type { KeyPrincipal } from './authenticate-key';
import { processWide } from '../runtime/process-wide';

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Seconds until some of the used quota is free again. */
  reset: number;
}

// A sliding window over 5-second buckets of accepted requests (etl_rate_limit_take, in Postgres so that
// every instance shares it): a request is accepted while the buckets that overlap the last 60 s hold
// fewer than the limit. The oldest bucket counts whole, so no 60 s ever holds more than the limit (a
// calendar minute let a key have its limit twice around a boundary) and quota frees 60-65 s after use.
const WINDOW_MS = 60_000;
const BUCKET_MS = 5_000;
/** Buckets before the current one that can overlap the last 60 s. */
const SPAN = WINDOW_MS / BUCKET_MS;
/** Requests of one key in flight at once in this process (a key without a limit is not held). */
export const MAX_IN_FLIGHT_PER_KEY = 32;

const cleanup = processWide('rate-limit-cleanup', () => ({ lastAt: 0 }));
const inFlight = processWide('rate-limit-in-flight', () => new Map<string, number>());

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
  limit: number;
  bucket: number;
}
interface Taken {
  granted: number;
  used: number;
  oldest: number | null;
}

/**
 * The requests of the moment taken in one statement (group commit); each request learns whether it got
 * a place, and how full the window is after it.
 */
const take = groupCommit('rate-limit-takes', {
  write: async (hits: Hit[]) => {
    const groups = new Map<string, { keyId: string; limit: number; bucket: number; n: number }>();
    for (const hit of hits) {
      const id = `${hit.keyId}/${hit.bucket}`;
      const group = groups.get(id) ?? groups.set(id, { ...hit, n: 0 }).get(id)!;
      group.n++;
    }
    const taken = new Map<string, Taken>();
    // One bucket a statement (a batch very rarely straddles two).
    for (const bucket of new Set([...groups.values()].map((g) => g.bucket))) {
      const list = [...groups.values()].filter((g) => g.bucket === bucket);
      const { rows } = await pool.query<{
        keyId: string;
        granted: number;
        used: number;
        oldest: string | null;
      }>(
        `select "keyId"::text, granted, used, oldest::text from etl_rate_limit_take($1::uuid[], $2::int[], $3::int[], $4, $5)`,
        [list.map((g) => g.keyId), list.map((g) => g.n), list.map((g) => g.limit), bucket, SPAN],
      );
      for (const row of rows)
        taken.set(`${row.keyId}/${bucket}`, {
          granted: row.granted,
          used: row.used,
          oldest: row.oldest === null ? null : Number(row.oldest),
        });
    }
    return taken;
  },
  answers: (hits, taken) => {
    const seen = new Map<string, number>();
    return hits.map((hit) => {
      const id = `${hit.keyId}/${hit.bucket}`;
      const total = taken.get(id);
      if (!total) throw new Error(`no rate limit answer for ${id}`);
      const nth = (seen.get(id) ?? 0) + 1;
      seen.set(id, nth);
      // The first `granted` of the batch got places; `used` counts them all.
      const accepted = nth <= total.granted;
      return {
        accepted,
        used: total.used - total.granted + Math.min(nth, total.granted),
        oldest: total.oldest,
      };
    });
  },
});

/** Requests a minute for a key without its own limit (RATE_LIMIT_PER_MINUTE; 0 = none). */
export function defaultRateLimit(): number {
  return intFromEnv('RATE_LIMIT_PER_MINUTE', 600);
}

/**
 * Takes a place for one request of the key in the sliding window. A key's own limit overrides
 * RATE_LIMIT_PER_MINUTE; 0 means no limit (and no write at all).
 */
export async function consumeRateLimit(principal: KeyPrincipal): Promise<RateLimitState | null> {
  const limit = principal.rateLimit ?? defaultRateLimit();
  if (limit === 0) return null;
  const now = Date.now();
  const bucket = Math.floor(now / BUCKET_MS);
  const result = await take({ keyId: principal.keyId, limit, bucket });
  if (now - cleanup.lastAt > WINDOW_MS) {
    cleanup.lastAt = now;
    void pool
      .query(`delete from "RateLimitWindow" where "windowStart" < $1`, [bucket - SPAN])
      .catch(() => {});
  }
  // Quota comes back when the oldest bucket in the window leaves it.
  const freesAt = ((result.oldest ?? bucket) + SPAN + 1) * BUCKET_MS;
  const state = {
    limit,
    remaining: Math.max(0, limit - result.used),
    reset: Math.max(1, Math.ceil((freesAt - now) / 1000)),
  };
  if (!result.accepted) {
    throw new AppError(
      'rate_limited',
      `This key may make ${limit} requests in any 60 s; try again in ${state.reset} s`,
      {
        headers: { 'Retry-After': String(state.reset), ...rateLimitHeaders(state) },
      },
    );
  }
  return state;
}

/**
 * Holds one of the key's places for requests in flight in this process until the returned function is
 * called: a key cannot keep more than MAX_IN_FLIGHT_PER_KEY requests (and their validation) at once.
 */
export function enterKeyRequest(principal: KeyPrincipal): () => void {
  if (principal.rateLimit === 0) return () => {};
  const busy = inFlight.get(principal.keyId) ?? 0;
  if (busy >= MAX_IN_FLIGHT_PER_KEY)
    throw new AppError(
      'rate_limited',
      `This key has ${MAX_IN_FLIGHT_PER_KEY} requests in flight; wait for their answers before sending more`,
      { headers: { 'Retry-After': '1' } },
    );
  inFlight.set(principal.keyId, busy + 1);
  let left = false;
  return () => {
    if (left) return;
    left = true;
    const now = (inFlight.get(principal.keyId) ?? 1) - 1;
    if (now <= 0) inFlight.delete(principal.keyId);
    else inFlight.set(principal.keyId, now);
  };
}
