import { pool } from '../../db';
import { processWide } from '../../runtime/process-wide';

export interface UsageEntry {
  at: Date;
  /** SHA-256 of the presented token: the key is the one whose digest it is. */
  digest: string;
  status: number;
  code: string | null;
  job: string | null;
  runId: string | null;
  ip: string | null;
  requestId: string;
}

const HOUR = 3_600_000;
export const LOG_RETENTION_DAYS = 30;
export const USAGE_RETENTION_DAYS = 35;
export const LOG_MAX_PER_KEY = 10_000;
const PRUNE_EVERY_MS = 60_000;
const PRUNE_BATCH = 1_000;
const prune = processWide('key-usage-prune', () => ({ lastAt: 0 }));

/**
 * One batch: the request log rows and the hourly counters (summed in memory first), each in one
 * statement. Rows whose digest matches no key are dropped by the join.
 */
export async function flushUsage(batch: UsageEntry[]): Promise<void> {
  const counts = new Map<string, { digest: string; hour: Date; status: number; count: number }>();
  for (const e of batch) {
    const hour = Math.floor(e.at.getTime() / HOUR) * HOUR;
    const id = `${e.digest}|${hour}|${e.status}`;
    const c = counts.get(id);
    if (c) c.count++;
    else counts.set(id, { digest: e.digest, hour: new Date(hour), status: e.status, count: 1 });
  }
  const rows = [...counts.values()];
  await pool.query(
    `insert into "ApiKeyUsage" ("apiKeyId", "orgId", hour, status, count)
     select k.id, k."orgId", u.hour, u.status, u.count
     from unnest($1::text[], $2::timestamptz[], $3::int[], $4::int[]) as u(digest, hour, status, count)
     join "ApiKey" k on k.digest = u.digest
     on conflict ("apiKeyId", hour, status) do update set count = "ApiKeyUsage".count + excluded.count`,
    [rows.map((r) => r.digest), rows.map((r) => r.hour), rows.map((r) => r.status), rows.map((r) => r.count)],
  );
  const { rows: keys } = await pool.query<{ orgId: string; apiKeyId: string }>(
    `insert into "ApiKeyRequest" ("orgId", "apiKeyId", at, status, code, job, "runId", ip, "requestId")
     select k."orgId", k.id, u.at, u.status, u.code, u.job, u.run_id, u.ip, u.request_id
     from unnest($1::text[], $2::timestamptz[], $3::int[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[])
       as u(digest, at, status, code, job, run_id, ip, request_id)
     join "ApiKey" k on k.digest = u.digest
     returning "orgId", "apiKeyId"`,
    [
      batch.map((e) => e.digest),
      batch.map((e) => e.at),
      batch.map((e) => e.status),
      batch.map((e) => e.code),
      batch.map((e) => e.job),
      batch.map((e) => e.runId),
      batch.map((e) => e.ip),
      batch.map((e) => e.requestId),
    ],
  );
  if (Date.now() - prune.lastAt >= PRUNE_EVERY_MS) {
    prune.lastAt = Date.now();
    const touched = new Map(keys.map((k) => [k.apiKeyId, k.orgId]));
    await pruneUsage([...touched].map(([apiKeyId, orgId]) => ({ orgId, apiKeyId })));
  }
}

/**
 * Retention in small batches (short locks, no long transaction): rows past their age, and a key's log
 * beyond its newest LOG_MAX_PER_KEY rows. What a batch leaves is taken by the next prune.
 */
export async function pruneUsage(keys: { orgId: string; apiKeyId: string }[]): Promise<void> {
  await pool.query(
    `delete from "ApiKeyRequest" where id in (select id from "ApiKeyRequest" where at < now() - make_interval(days => $1) limit $2)`,
    [LOG_RETENTION_DAYS, PRUNE_BATCH],
  );
  await pool.query(
    `delete from "ApiKeyUsage" where ("apiKeyId", hour, status) in
       (select "apiKeyId", hour, status from "ApiKeyUsage" where hour < now() - make_interval(days => $1) limit $2)`,
    [USAGE_RETENTION_DAYS, PRUNE_BATCH],
  );
  for (const { orgId, apiKeyId } of keys) {
    await pool.query(
      `delete from "ApiKeyRequest" where id in (
         select id from "ApiKeyRequest" where "orgId" = $1 and "apiKeyId" = $2 order by at desc offset $3 limit $4)`,
      [orgId, apiKeyId, LOG_MAX_PER_KEY, PRUNE_BATCH],
    );
  }
}
