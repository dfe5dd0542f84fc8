// One organisation at production scale, for the scale bench (bench/seed-scale.ts) and the EXPLAIN test
// (server/db/list-plans.test.ts): at scale 1, 1 million runs, 10 million log lines (one run has 100,000
// of them), 10,000 keys and 200,000 audit events. Set-based SQL only (generate_series), as the owner:
// the tables' secondary indexes are dropped for the load and re-created from their own definitions
// (so they end exactly as the migrations made them), foreign-key and notify triggers are skipped for
// the load (session_replication_role), then VACUUM ANALYZE.
import pg from 'pg';

export interface ScaleCounts {
  runs: number;
  logLines: number;
  keys: number;
  auditEvents: number;
  /** The run with the long log. */
  longRunLines: number;
}

export const FULL_SCALE: ScaleCounts = {
  runs: 1_000_000,
  logLines: 10_000_000,
  keys: 10_000,
  auditEvents: 200_000,
  longRunLines: 100_000,
};

/** Runs, lines and events scaled down; the keys and the long run's 100,000 lines (cheap) stay whole. */
export function countsAt(scale: number): ScaleCounts {
  const of = (n: number, min: number) => Math.max(min, Math.round(n * scale));
  return {
    runs: of(FULL_SCALE.runs, 1_000),
    logLines: of(FULL_SCALE.logLines, 2 * FULL_SCALE.longRunLines),
    keys: FULL_SCALE.keys,
    auditEvents: of(FULL_SCALE.auditEvents, 1_000),
    longRunLines: FULL_SCALE.longRunLines,
  };
}

export interface SeededOrg {
  orgId: string;
  /** An admin of the organisation (the console's actor). */
  userId: string;
  email: string;
  jobIds: string[];
  longRunId: string;
  /** A key with many starts (target of the audit filter). */
  keyId: string;
  timings: { step: string; ms: number }[];
}

const TABLES = ['JobRun', 'RunLog', 'AuditEvent', 'ApiKey'];
const JOBS = 50;
const USERS = 20;

/** Seeds the organisation `slug` (which must not exist) at database `url` (its owner). */
export async function seedScale(url: string, counts: ScaleCounts, slug = 'scale'): Promise<SeededOrg> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const timings: { step: string; ms: number }[] = [];
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await fn();
    timings.push({ step: name, ms: Math.round(performance.now() - t0) });
    return out;
  };
  const q = (sql: string, params: unknown[] = []) => client.query(sql, params);
  try {
    await q(`set synchronous_commit = off`);
    await q(`set maintenance_work_mem = '256MB'`);
    await q(`set session_replication_role = replica`);
    const orgId: string = (
      await q(`insert into "Organization" (id, slug, name) values (gen_random_uuid(), $1, $1) returning id`, [
        slug,
      ])
    ).rows[0].id;
    const users = await q(
      `insert into "User" (id, email, name, "passwordHash")
       select gen_random_uuid(), $1 || '-user' || g || '@scale.test', 'User ' || g, 'x' from generate_series(1, $2) g
       returning id, email`,
      [slug, USERS],
    );
    const userIds: string[] = users.rows.map((r) => r.id);
    await q(
      `insert into "Membership" (id, "orgId", "userId", role)
       select gen_random_uuid(), $1, u, case when o = 1 then 'owner' else 'editor' end::"Role"
       from unnest($2::uuid[]) with ordinality as t(u, o)`,
      [orgId, userIds],
    );
    const jobs = await q(
      `insert into "Job" (id, "orgId", name, type, config, concurrency, "updatedAt")
       select gen_random_uuid(), $1, 'job-' || g, 'command', '{"command":"true","args":[]}', 'parallel', now()
       from generate_series(1, $2) g returning id`,
      [orgId, JOBS],
    );
    const jobIds: string[] = jobs.rows.map((r) => r.id);

    // The secondary indexes, as the migrations made them, are dropped for the load and made again after.
    const { rows: indexes } = await q(
      `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i join pg_class c on c.oid = i.indrelid
       where c.relname = any($1) and not i.indisprimary and not i.indisunique`,
      [TABLES],
    );
    await step('drop secondary indexes', async () => {
      for (const index of indexes) await q(`drop index ${index.name}`);
    });

    await step(`${counts.keys.toLocaleString('en')} keys`, () =>
      q(
        `insert into "ApiKey" (id, "orgId", "ownerId", name, selector, description, type, claims, kid, digest,
           masked, "jobIds", "expiresAt", "revokedAt", "createdAt", "lastUsedAt")
         select gen_random_uuid(), $1, ($2::uuid[])[1 + g % $3], 'key ' || g || case when g % 7 = 0 then ' nightly' else ' pipeline' end,
           'sel' || g, case when g % 3 = 0 then 'loads the warehouse ' || g end, 'functional', '{}', 'k',
           md5($4 || g), 'eyJ…' || right(md5(g::text), 4), '{}',
           case when g % 10 = 0 then now() + make_interval(days => g % 30) end,
           case when g % 5 = 0 then now() - make_interval(days => g % 100) end,
           now() - make_interval(mins => g * 7), now() - make_interval(mins => g)
         from generate_series(1, $5) g`,
        [orgId, userIds, USERS, slug, counts.keys],
      ),
    );
    const keyIds: string[] = (
      await q(`select id from "ApiKey" where "orgId" = $1 order by "createdAt" desc limit 20`, [orgId])
    ).rows.map((r) => r.id);

    // Runs, one every 3 seconds back from now (1 million span about 35 days), in id order (the primary
    // key's index fills from the left). The newest few are queued or running.
    await step(`${counts.runs.toLocaleString('en')} runs`, () =>
      q(
        `insert into "JobRun" (id, "orgId", "jobId", status, params, trigger, "apiKeyId", "userId", "externalRef",
           attempt, "exitCode", error, "queuedAt", "startedAt", "finishedAt")
         select id, $1, ($2::uuid[])[1 + g % $3],
           (case when g <= 3 then 'queued' when g <= 6 then 'running' when g % 20 = 0 then 'failed'
                 when g % 97 = 0 then 'cancelled' else 'succeeded' end)::"RunStatus",
           '{}', t.trigger,
           case when t.trigger = 'api' then ($4::uuid[])[1 + g % array_length($4::uuid[], 1)] end,
           case when t.trigger in ('console', 'cli') then ($5::uuid[])[1 + g % $6] end,
           case when g % 4 = 0 then 'pipeline-' || g end, 1,
           case when g <= 6 then null when g % 20 = 0 then 1 else 0 end,
           case when g % 20 = 0 then 'exit code 1' end,
           now() - make_interval(secs => g * 3),
           case when g > 3 then now() - make_interval(secs => g * 3 - 1) end,
           case when g > 6 then now() - make_interval(secs => g * 3 - 2) end
         from (select gen_random_uuid() as id, g from generate_series(1, $7) g order by 1) r,
           lateral (select case when g % 100 = 0 then 'cli' when g % 25 = 0 then 'console'
                                when g % 10 = 0 then 'schedule' else 'api' end as trigger) t`,
        [orgId, jobIds, JOBS, keyIds, userIds, USERS, counts.runs],
      ),
    );
    // The long run: finished an hour ago, with longRunLines lines.
    const longRunId: string = (
      await q(
        `select id from "JobRun" where "orgId" = $1 and status = 'succeeded' and "queuedAt" < now() - interval '1 hour'
         order by "queuedAt" desc limit 1`,
        [orgId],
      )
    ).rows[0].id;
    await step(`${counts.logLines.toLocaleString('en')} log lines`, async () => {
      await q(
        `insert into "RunLog" ("runId", seq, stream, text, at)
         select $1, s, case when s % 50 = 0 then 'stderr' else 'stdout' end::"LogStream",
           'row ' || s || ' of the long load: copied 1000 records to the warehouse', now() - interval '1 hour'
         from generate_series(1, $2) s`,
        [longRunId, counts.longRunLines],
      );
      // The rest, 10 lines a run over the newest runs, in (runId, seq) order.
      const perRun = 10;
      const runsWithLogs = Math.floor((counts.logLines - counts.longRunLines) / perRun);
      await q(
        `insert into "RunLog" ("runId", seq, stream, text, at)
         select r.id, s, 'stdout', 'step ' || s || ' done', r."queuedAt" + make_interval(secs => s * 0.1)
         from (select id, "queuedAt" from "JobRun" where "orgId" = $1 and id <> $2
               order by "queuedAt" desc limit $3) r0
         cross join lateral (select r0.id, r0."queuedAt") r
         cross join generate_series(1, $4) s
         order by r.id, s`,
        [orgId, longRunId, runsWithLogs, perRun],
      );
    });
    await step(`${counts.auditEvents.toLocaleString('en')} audit events`, () =>
      q(
        `insert into "AuditEvent" ("orgId", actor, "actorName", action, target, ip, details, at)
         select $1,
           case when g % 10 < 9 then 'key:' || k.key else 'user:' || ($4::uuid[])[1 + g % $5] end,
           case when g % 10 < 9 then 'key ' || (g % 20) || ' pipeline' else $6 || '-user' || (1 + g % $5) || '@scale.test' end,
           a.action,
           case when a.action = 'job.started' then 'run:' || md5(g::text)::uuid
                when a.action like 'key.%' then 'key:' || k.key
                else 'user:' || ($4::uuid[])[1 + g % $5] end,
           '10.0.' || (g % 250) || '.' || (g % 200),
           case when a.action = 'job.started' then jsonb_build_object('jobId', ($7::uuid[])[1 + g % $8], 'runId', md5(g::text)::uuid)
                else '{}'::jsonb end,
           now() - make_interval(secs => g * 10)
         from generate_series(1, $2) g,
           lateral (select ($3::uuid[])[1 + g % array_length($3::uuid[], 1)] as key) k,
           lateral (select case when g % 100 < 90 then 'job.started' when g % 100 < 97 then
                     (array['key.created','key.revealed','key.rolled','key.revoked','key.updated'])[1 + g % 5]
                     else (array['member.added','member.role_changed','member.invited'])[1 + g % 3] end as action) a`,
        [orgId, counts.auditEvents, keyIds, userIds, USERS, slug, jobIds, JOBS],
      ),
    );
    await step('idempotency records', () =>
      q(
        `insert into "IdempotencyRecord" ("orgId", "keyId", key, "requestHash", status, body, headers, "createdAt")
         select $1, $2, 'idem-' || g, md5(g::text), 202, '{}', '{}', now() - make_interval(mins => g * 3)
         from generate_series(1, $3) g`,
        [orgId, keyIds[0], Math.max(100, Math.round(counts.runs / 100))],
      ),
    );
    await step('re-create the indexes', async () => {
      for (const index of indexes) await q(index.def);
    });
    await q(`set session_replication_role = origin`);
    await step('vacuum analyze', async () => {
      for (const table of [...TABLES, 'IdempotencyRecord']) await q(`vacuum (analyze) "${table}"`);
    });
    return {
      orgId,
      userId: userIds[0],
      email: users.rows[0].email,
      jobIds,
      longRunId,
      keyId: keyIds[1],
      timings,
    };
  } finally {
    await client.end();
  }
}
