import { pool } from '../db';

// Failed sign-ins, in Postgres so every instance sees the same counts. An attempt from a browser that
// signed in to the account before (a valid device cookie, ./device-cookie.ts) counts against that
// device only; any other attempt counts per account (the user's id, or the normalised email when there
// is no such user) and per client address. After a few free failures each further attempt waits twice
// as long as the last, up to a cap: a guesser slows to a crawl while the owner's browser is not slowed
// by them at all. A success clears the count it was held to; a quiet quarter of an hour forgets all.
export const SIGN_IN_POLICY = {
  account: { free: 5, baseMs: 1_000, capMs: 60_000 },
  address: { free: 30, baseMs: 1_000, capMs: 300_000 },
  device: { free: 5, baseMs: 1_000, capMs: 60_000 },
  /** Wrong current passwords when changing it: a session left open must not become a password oracle. */
  password: { free: 5, baseMs: 5_000, capMs: 300_000 },
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

/** The counter rows of one attempt: one of its own (a known device, a password change), or the account's and the address's. */
export type SignInCounters =
  { kind: 'one'; key: string } | { kind: 'stranger'; account: string; address: string | null };

/** `account` is a user id, or a normalised email that has no user; `device` a known device's id. */
export function signInCounters(
  account: string,
  address: string | null,
  device: string | null = null,
): SignInCounters {
  if (device) return { kind: 'one', key: `device:${device}` };
  return { kind: 'stranger', account: `account:${account}`, address: address ? `address:${address}` : null };
}

/** The counter of attempts at the current password when changing it, per account. */
export function passwordChangeCounters(userId: string): SignInCounters {
  return { kind: 'one', key: `password:${userId}` };
}

function counterPolicy(key: string): Policy {
  if (key.startsWith('device:')) return SIGN_IN_POLICY.device;
  if (key.startsWith('password:')) return SIGN_IN_POLICY.password;
  return key.startsWith('address:') ? SIGN_IN_POLICY.address : SIGN_IN_POLICY.account;
}

/**
 * Claims one attempt for the account and the address, or answers how long they must wait (then nothing
 * is counted, so hammering a waiting account never extends its wait). The attempt counts as a failure
 * until clearSignInAttempt says otherwise: parallel guesses are serialised on the counter rows and each
 * sees the ones before it.
 */
export async function reserveSignInAttempt(counters: SignInCounters): Promise<number> {
  const keys = (counters.kind === 'one' ? [counters.key] : [counters.account, counters.address])
    .filter((k): k is string => k !== null)
    .sort();
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `insert into "SignInFailure" (key, count, "lastAt") select k, 0, now() from unnest($1::text[]) as k on conflict do nothing`,
      [keys],
    );
    const { rows } = await client.query<{ key: string; count: number; lastAt: Date; now: Date }>(
      `select key, count, "lastAt", now() as now from "SignInFailure" where key = any($1::text[]) order by key for update`,
      [keys],
    );
    const wait = Math.max(
      0,
      ...rows.map((r) => waitMs(r.count, r.lastAt.getTime(), r.now.getTime(), counterPolicy(r.key))),
    );
    if (wait > 0) {
      await client.query('rollback');
      return wait;
    }
    await client.query(
      `update "SignInFailure" set count = case when "lastAt" < now() - make_interval(secs => $2) then 1 else count + 1 end, "lastAt" = now() where key = any($1::text[])`,
      [keys, SIGN_IN_POLICY.forgetAfterMs / 1000],
    );
    await client.query('commit');
    return 0;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * A correct password: the device's (or the account's) failures are forgotten and the address's claimed
 * attempt given back. A known device's success leaves the account's count alone: strangers stay slowed.
 */
export async function clearSignInAttempt(counters: SignInCounters): Promise<void> {
  if (counters.kind === 'one') {
    await pool.query(`delete from "SignInFailure" where key = $1`, [counters.key]);
    return;
  }
  await pool.query(`delete from "SignInFailure" where key = $1`, [counters.account]);
  if (counters.address)
    await pool.query(`update "SignInFailure" set count = greatest(count - 1, 0) where key = $1`, [
      counters.address,
    ]);
}
