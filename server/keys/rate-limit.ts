import { intFromEnv } from '../config';
import { pool } from '../db';
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

/**
 * Counts one request of the key in the current minute, in Postgres so that every instance shares the
 * count. A key's own limit overrides RATE_LIMIT_PER_MINUTE; 0 means no limit (and no write at all).
 */
export async function consumeRateLimit(principal: KeyPrincipal): Promise<RateLimitState | null> {
  const limit = principal.rateLimit ?? intFromEnv('RATE_LIMIT_PER_MINUTE', 600);
  if (limit === 0) return null;
  const now = Date.now();
  const window = Math.floor(now / WINDOW_MS);
  const { rows } = await pool.query<{ count: number }>(
    `insert into "RateLimitWindow" as w ("keyId", "windowStart", count) values ($1, $2, 1)
     on conflict ("keyId", "windowStart") do update set count = w.count + 1 returning count`,
    [principal.keyId, window],
  );
  if (now - cleanup.lastAt > WINDOW_MS) {
    cleanup.lastAt = now;
    void pool.query(`delete from "RateLimitWindow" where "windowStart" < $1`, [window - 1]).catch(() => {});
  }
  const count = rows[0].count;
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
