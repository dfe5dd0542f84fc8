import { pool, type Role } from '../db';
import { feedUp, stopChangeFeed, subscribe } from '../db/change-feed';
import { processWide } from '../runtime/process-wide';

/** What a request needs to know about a key; cached per instance while the change feed is up. */
export interface KeyRecord {
  id: string;
  orgId: string;
  orgSlug: string;
  ownerId: string;
  /** The owner's current role in the key's organisation; null when no longer a member. */
  ownerRole: Role | null;
  name: string;
  digest: string;
  jobIds: string[];
  rateLimit: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
  graceUntil: number | null;
  rolledFromId: string | null;
  /** Set once the old key of a roll has been retired by this key's first use. */
  handedOver?: boolean;
}

const MAX_ENTRIES = 10_000;

// One cache a process (see process-wide.ts): a revoke in the console drops the entry the job API reads.
const state = processWide('key-cache', () => {
  // generation is bumped on every change: a row read before a notification arrived is not cached after it.
  const s = { cache: new Map<string, KeyRecord>(), generation: 0 };
  subscribe('api_key_changed', 'key-cache', {
    onChange: (id) => {
      s.generation++;
      s.cache.delete(id);
    },
    onReset: () => {
      s.generation++;
      s.cache.clear();
    },
  });
  return s;
});
const { cache } = state;

const SELECT_KEY = `
  select k.id, k."orgId", o.slug as "orgSlug", k."ownerId", m.role as "ownerRole", k.name, k.digest, k."jobIds", k."rateLimit",
         k."expiresAt", k."revokedAt", k."graceUntil", k."rolledFromId"
  from "ApiKey" k join "Organization" o on o.id = k."orgId"
  left join "Membership" m on m."orgId" = k."orgId" and m."userId" = k."ownerId"
  where k.id = $1`;

const toMs = (d: Date | null) => (d ? d.getTime() : null);

export async function loadKey(id: string): Promise<KeyRecord | null> {
  const listening = feedUp();
  const hit = listening ? cache.get(id) : undefined;
  if (hit) return hit;
  const readAt = state.generation;
  const { rows } = await pool.query(SELECT_KEY, [id]);
  if (rows.length === 0) return null;
  const row = rows[0];
  const record: KeyRecord = {
    ...row,
    jobIds: row.jobIds ?? [],
    expiresAt: toMs(row.expiresAt),
    revokedAt: toMs(row.revokedAt),
    graceUntil: toMs(row.graceUntil),
  };
  if (listening && feedUp() && state.generation === readAt) {
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(id, record);
  }
  return record;
}

/** Drops this instance's copy at once; the database trigger tells the other instances. */
export function forgetKey(id: string): void {
  cache.delete(id);
}

export async function stopKeyCache(): Promise<void> {
  cache.clear();
  await stopChangeFeed();
}
