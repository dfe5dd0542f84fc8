import { createHash } from 'node:crypto';
import { pool } from '../db';

// Sign-in attempts counted per account and per address, per minute, in the same shared table as the
// API's rate limits (so every instance sees the same counts).
export const SIGN_IN_LIMITS = { perAccount: 10, perAddress: 30 };
export const TOO_MANY_ATTEMPTS = 'TooManyAttempts';

/** A stable UUID-shaped id for a counter name, so it fits RateLimitWindow's key column. */
function counterId(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

async function count(name: string, window: number): Promise<number> {
  const { rows } = await pool.query<{ count: number }>(
    `insert into "RateLimitWindow" as w ("keyId", "windowStart", count) values ($1, $2, 1)
     on conflict ("keyId", "windowStart") do update set count = w.count + 1 returning count`,
    [counterId(name), window],
  );
  return rows[0].count;
}

/** Counts this attempt; false once the account or the address is over its limit for the minute. */
export async function signInAllowed(email: string, ip: string | null): Promise<boolean> {
  const window = Math.floor(Date.now() / 60_000);
  const account = await count(`signin:account:${email.trim().toLowerCase()}`, window);
  const address = ip ? await count(`signin:address:${ip}`, window) : 0;
  return account <= SIGN_IN_LIMITS.perAccount && address <= SIGN_IN_LIMITS.perAddress;
}
