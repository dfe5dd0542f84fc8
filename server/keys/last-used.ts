import { pool } from '../db';
import { onShutdown, processWide } from '../runtime/process-wide';

// Last use of each key, kept in memory and written every few seconds in one statement, so the hot
// path never waits on a write. One map a process (see process-wide.ts), written before it exits.
const state = processWide('key-last-used', () => {
  onShutdown('key-last-used', () => flushKeyUse());
  return {
    pending: new Map<string, { at: Date; ip: string | null }>(),
    timer: undefined as NodeJS.Timeout | undefined,
  };
});
const { pending } = state;
const FLUSH_MS = 2_000;

export function noteKeyUse(keyId: string, ip: string | null): void {
  pending.set(keyId, { at: new Date(), ip });
  state.timer ??= setTimeout(() => void flushKeyUse(), FLUSH_MS).unref();
}

export async function flushKeyUse(): Promise<void> {
  state.timer = undefined;
  if (pending.size === 0) return;
  const entries = [...pending.entries()];
  pending.clear();
  try {
    await pool.query(
      `update "ApiKey" k set "lastUsedAt" = u.at, "lastUsedIp" = u.ip
       from unnest($1::uuid[], $2::timestamptz[], $3::text[]) as u(id, at, ip)
       where k.id = u.id and (k."lastUsedAt" is null or k."lastUsedAt" < u.at)`,
      [entries.map(([id]) => id), entries.map(([, v]) => v.at), entries.map(([, v]) => v.ip)],
    );
  } catch {
    // The database is away: keep the newest of what we had, to write on the next use.
    for (const [id, v] of entries) if (!pending.has(id)) pending.set(id, v);
  }
}
