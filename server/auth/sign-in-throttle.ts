import { createHash } from 'node:crypto';
import { pool } from '../db';

// Failed sign-ins counted per account and per address, per minute, in the same shared table as the
// API's rate limits (so every instance sees the same counts). Successful sign-ins are not counted.
export const SIGN_IN_LIMITS = { perAccount: 10, perAddress: 30 };
export const TOO_MANY_ATTEMPTS = 'TooManyAttempts';

/** A stable UUID-shaped id for a counter name, so it fits RateLimitWindow's key column. */
function counterId(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function counters(email: string, ip: string | null) {
  const window = Math.floor(Date.now() / 60_000);
  const account = counterId(`signin:account:${email.trim().toLowerCase()}`);
  const address = ip ? counterId(`signin:address:${ip}`) : null;
  return { window, account, address };
}

/** True once the account or the address has failed too often this minute. */
export async function signInBlocked(email: string, ip: string | null): Promise<boolean> {
  const { window, account, address } = counters(email, ip);
  const { rows } = await pool.query<{ keyId: string; count: number }>(
    `select "keyId", count from "RateLimitWindow" where "windowStart" = $1 and "keyId" = any($2::uuid[])`,
    [window, [account, address].filter(Boolean)],
  );
  const count = (id: string | null) => rows.find((r) => r.keyId === id)?.count ?? 0;
  return count(account) >= SIGN_IN_LIMITS.perAccount || (address !== null && count(address) >= SIGN_IN_LIMITS.perAddress);
}

export async function noteFailedSignIn(email: string, ip: string | null): Promise<void> {
  const { window, account, address } = counters(email, ip);
  await pool.query(
    `insert into "RateLimitWindow" as w ("keyId", "windowStart", count)
     select id, $2, 1 from unnest($1::uuid[]) as id
     on conflict ("keyId", "windowStart") do update set count = w.count + 1`,
    [[account, address].filter(Boolean), window],
  );
}
