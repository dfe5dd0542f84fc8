import { pool } from '../db';

// Failed sign-ins, counted per account (the user's id, or the normalised email when there is no such
// user) and per client address, in Postgres so every instance sees the same counts. After a few free
// failures each further attempt waits twice as long as the last, up to a cap: a guesser slows to a
// crawl, while the real owner is delayed at most a minute, never locked out. A success clears the
// account's count; a quiet quarter of an hour forgets both.
export const SIGN_IN_POLICY = {
  account: { free: 5, baseMs: 1_000, capMs: 60_000 },
  address: { free: 30, baseMs: 1_000, capMs: 300_000 },
  forgetAfterMs: 15 * 60_000,
};
export const TOO_MANY_ATTEMPTS = 'TooManyAttempts';

type Policy = { free: number; baseMs: number; capMs: number };

/** How long the next attempt must wait after `count` failures, the last at `lastAt` (pure). */
export function waitMs(count: number, lastAt: number, now: number, policy: Policy): number {
  if (now - lastAt >= SIGN_IN_POLICY.forgetAfterMs) return 0;
  const excess = count - policy.free;
  if (excess < 0) return 0;
  const delay = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(excess, 30));
  return Math.max(0, lastAt + delay - now);
}

export interface SignInCounters {
  account: string;
  address: string | null;
}

/** The counters of one attempt: `account` is a user id, or a normalised email that has no user. */
export function signInCounters(account: string, address: string | null): SignInCounters {
  return { account: `account:${account}`, address: address ? `address:${address}` : null };
}

/** Milliseconds until the account and the address may try again (0: now). */
export async function signInWait(counters: SignInCounters): Promise<number> {
  const keys = [counters.account, counters.address].filter((k): k is string => k !== null);
  const { rows } = await pool.query<{ key: string; count: number; lastAt: Date }>(
    `select key, count, "lastAt" from "SignInFailure" where key = any($1::text[])`,
    [keys],
  );
  const now = Date.now();
  return Math.max(
    0,
    ...rows.map((r) => waitMs(r.count, r.lastAt.getTime(), now, r.key === counters.account ? SIGN_IN_POLICY.account : SIGN_IN_POLICY.address)),
  );
}

export async function noteFailedSignIn(counters: SignInCounters): Promise<void> {
  const keys = [counters.account, counters.address].filter((k): k is string => k !== null);
  await pool.query(
    `insert into "SignInFailure" as f (key, count, "lastAt")
     select k, 1, now() from unnest($1::text[]) as k
     on conflict (key) do update
       set count = case when f."lastAt" < now() - make_interval(secs => $2) then 1 else f.count + 1 end, "lastAt" = now()`,
    [keys, SIGN_IN_POLICY.forgetAfterMs / 1000],
  );
}

/** A correct password clears the account's failures (not the address's). */
export async function clearFailedSignIns(counters: SignInCounters): Promise<void> {
  await pool.query(`delete from "SignInFailure" where key = $1`, [counters.account]);
}
