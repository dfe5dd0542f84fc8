// Integration: group commit of starts (start-batch.ts + etl_start_runs) on a real embedded Postgres,
// through startJob as the API calls it, connected as the web role.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { applyMigrations } from '../db/migrate';
import { applyGrants } from '../db/roles';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../runtime/embedded-postgres';
import type { KeyPrincipal } from '../keys/authenticate-key';

let dir: string;
let database: EmbeddedDatabase;
let owner: pg.Client;
let m: {
  pool: (typeof import('../db'))['pool'];
  startJob: (typeof import('../jobs/start-job'))['startJob'];
  problemResponse: (typeof import('../http/problem'))['problemResponse'];
  AppError: (typeof import('../errors'))['AppError'];
};
let orgId: string;
let keyId: string;
const jobs: Record<string, string> = {};

const principal = (): KeyPrincipal => ({
  kind: 'key',
  keyId,
  name: 'batch-key',
  orgId,
  orgSlug: 'batch',
  jobIds: [],
  rateLimit: 0,
  ip: '192.0.2.7',
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'start-batch-test-'));
  database = await startEmbeddedPostgres(dir);
  await applyMigrations(database.url);
  await applyGrants(database.url, { web: database.webUrl, worker: database.workerUrl });
  process.env.DATABASE_URL = database.webUrl!;
  process.env.API_KEY_SECRETS = `test:${randomBytes(32).toString('base64')}`;
  owner = new pg.Client({ connectionString: database.url });
  await owner.connect();
  orgId = (
    await owner.query(
      `insert into "Organization" (id, slug, name) values ($1, 'batch', 'Batch') returning id`,
      [randomUUID()],
    )
  ).rows[0].id;
  const user = randomUUID();
  await owner.query(`insert into "User" (id, email, "passwordHash") values ($1, 'o@batch.test', 'x')`, [
    user,
  ]);
  keyId = randomUUID();
  await owner.query(
    `insert into "ApiKey" (id, "orgId", "ownerId", name, selector, claims, kid, digest, masked)
     values ($1, $2, $3, 'batch-key', 'k', '{}', 'test', 'd', 'm')`,
    [keyId, orgId, user],
  );
  for (const [name, concurrency] of [
    ['single', 'single'],
    ['single-busy', 'single'],
    ['single-outage', 'single'],
    ['parallel', 'parallel'],
    ['doomed', 'parallel'],
  ]) {
    jobs[name] = (
      await owner.query(
        `insert into "Job" (id, "orgId", name, type, config, concurrency, "updatedAt")
         values ($1, $2, $3, 'command', '{"command":"true","args":[]}', $4, now()) returning id`,
        [randomUUID(), orgId, name, concurrency],
      )
    ).rows[0].id;
  }
  const db = await import('../db');
  m = {
    pool: db.pool,
    startJob: (await import('../jobs/start-job')).startJob,
    problemResponse: (await import('../http/problem')).problemResponse,
    AppError: (await import('../errors')).AppError,
  };
  // Jobs looked up once the change feed is up stay cached, so concurrent starts reach the batcher
  // together (a lookup that goes to the database would spread them over time).
  await m.startJob(principal(), { id: 'parallel', dryRun: true });
  await new Promise((r) => setTimeout(r, 300));
  for (const name of Object.keys(jobs)) await m.startJob(principal(), { id: name, dryRun: true });
});

afterAll(async () => {
  await (await import('../db/change-feed')).stopChangeFeed();
  await owner?.end();
  await m?.pool.end();
  await database?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The statements that started runs while `work` ran (the pool's queries, counted, not changed). */
async function countingBatches<T>(work: () => Promise<T>): Promise<{ result: T; batches: number[] }> {
  const batches: number[] = [];
  const query = m.pool.query.bind(m.pool) as (text: string, values?: unknown[]) => Promise<unknown>;
  const spy = vi.spyOn(m.pool, 'query').mockImplementation(((text: string, values?: unknown[]) => {
    if (typeof text === 'string' && text.includes('etl_start_runs'))
      batches.push(JSON.parse(String(values![0])).length);
    return query(text, values);
  }) as never);
  try {
    return { result: await work(), batches };
  } finally {
    spy.mockRestore();
  }
}

const settle = <T>(promises: Promise<T>[]) => Promise.allSettled(promises);
const rowsOf = async (sql: string, values: unknown[]) => (await owner.query(sql, values)).rows;

describe('group commit', () => {
  test('100 concurrent starts: every one has its run, queue entry and audit event, in few statements', async () => {
    const { result, batches } = await countingBatches(() =>
      settle(
        Array.from({ length: 100 }, (_, i) =>
          m.startJob(principal(), { id: 'parallel', jobid: `many-${i}`, params: { i } }),
        ),
      ),
    );
    expect(result.filter((r) => r.status === 'rejected')).toEqual([]);
    const runIds = result.map((r) => (r as PromiseFulfilledResult<{ runId: string }>).value.runId);
    expect(new Set(runIds).size).toBe(100);
    // Grouped: far fewer statements than starts, and no start in two of them.
    expect(batches.reduce((a, b) => a + b, 0)).toBe(100);
    expect(batches.length).toBeLessThan(10);

    const runs = await rowsOf(
      `select id::text, "externalRef", params, trigger, "apiKeyId"::text as key from "JobRun" where id = any($1::uuid[])`,
      [runIds],
    );
    expect(runs).toHaveLength(100);
    for (const run of runs) {
      expect(run.externalRef).toBe(`many-${run.params.i}`);
      expect([run.trigger, run.key]).toEqual(['api', keyId]);
    }
    const queued = await rowsOf(
      `select j.payload->>'runId' as run, j.max_attempts, t.identifier from graphile_worker._private_jobs j
       join graphile_worker._private_tasks t on t.id = j.task_id where j.payload->>'runId' = any($1)`,
      [runIds],
    );
    expect(queued).toHaveLength(100);
    expect(new Set(queued.map((q) => q.run)).size).toBe(100);
    expect(queued.every((q) => q.identifier === 'execute-run' && q.max_attempts === 1)).toBe(true);
    const audit = await rowsOf(
      `select target, actor, "actorName", ip, details from "AuditEvent" where action = 'job.started' and target = any($1)`,
      [runIds.map((id) => `run:${id}`)],
    );
    expect(audit).toHaveLength(100);
    expect(audit[0]).toMatchObject({ actor: `key:${keyId}`, actorName: 'batch-key', ip: '192.0.2.7' });
    expect(audit[0].details).toMatchObject({ job: 'parallel', jobId: jobs.parallel, trigger: 'api' });
  });

  test('an idle start is written at once, alone', async () => {
    const { batches } = await countingBatches(() => m.startJob(principal(), { id: 'parallel' }));
    expect(batches).toEqual([1]);
  });

  test('20 starts of an idle "single" job in one batch: one run, 19 × 409 naming it', async () => {
    const { result, batches } = await countingBatches(() =>
      settle(Array.from({ length: 20 }, () => m.startJob(principal(), { id: 'single' }))),
    );
    expect(batches).toEqual([20]);
    const started = result.filter((r) => r.status === 'fulfilled');
    expect(started).toHaveLength(1);
    const runId = (started[0] as PromiseFulfilledResult<{ runId: string }>).value.runId;
    for (const r of result.filter((x) => x.status === 'rejected')) {
      const error = (r as PromiseRejectedResult).reason;
      expect([error.code, error.extra.runId]).toEqual(['job_already_running', runId]);
    }
    expect(await rowsOf(`select id from "JobRun" where "jobId" = $1`, [jobs.single])).toHaveLength(1);
    expect(
      await rowsOf(`select 1 from graphile_worker._private_jobs where payload->>'runId' = $1`, [runId]),
    ).toHaveLength(1);
  });

  test('a "single" job already running refuses every start of a batch; its neighbours start', async () => {
    const active = await m.startJob(principal(), { id: 'single-busy' });
    const result = await settle([
      m.startJob(principal(), { id: 'single-busy' }),
      m.startJob(principal(), { id: 'parallel', jobid: 'neighbour' }),
      m.startJob(principal(), { id: 'single-busy' }),
    ]);
    expect(result.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    for (const r of [result[0], result[2]])
      expect((r as PromiseRejectedResult).reason.extra.runId).toBe((active as { runId: string }).runId);
  });

  test('a start whose job vanished fails alone; the rest of its batch is written', async () => {
    // The job is cached as it was looked up; deleting its row makes its insert break the foreign key.
    await owner.query(`set session_replication_role = replica`); // no job_changed notice: the cache keeps it
    await owner.query(`delete from "Job" where id = $1`, [jobs.doomed]);
    await owner.query(`set session_replication_role = default`);
    const { result, batches } = await countingBatches(() =>
      settle([
        m.startJob(principal(), { id: 'parallel', jobid: 'survivor-1' }),
        m.startJob(principal(), { id: 'doomed' }),
        m.startJob(principal(), { id: 'parallel', jobid: 'survivor-2' }),
      ]),
    );
    expect(batches).toEqual([3, 1, 1, 1]);
    expect(result.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((result[1] as PromiseRejectedResult).reason.code).toBe('23503');
    expect(
      await rowsOf(`select 1 from "JobRun" where "externalRef" in ('survivor-1', 'survivor-2')`, []),
    ).toHaveLength(2);
  });

  test('the connection lost mid-batch: every start of it, and those waiting, get the 503; nothing is written', async () => {
    // Hold the "single" job's lock so the batch waits inside Postgres, then end its connection.
    const blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [jobs['single-outage']]);
    const starts = settle([
      m.startJob(principal(), { id: 'single-outage', jobid: 'outage' }),
      m.startJob(principal(), { id: 'parallel', jobid: 'outage' }),
      m.startJob(principal(), { id: 'parallel', jobid: 'outage' }),
    ]);
    let pid: number | undefined;
    for (let i = 0; i < 100 && !pid; i++) {
      const rows = await rowsOf(
        `select pid from pg_stat_activity where query like '%etl_start_runs%' and wait_event_type = 'Lock'`,
        [],
      );
      pid = rows[0]?.pid;
      if (!pid) await new Promise((r) => setTimeout(r, 20));
    }
    expect(pid).toBeDefined();
    // Two more while that batch hangs: they wait for the next batch, and get the outage with it.
    const later = settle([
      m.startJob(principal(), { id: 'parallel', jobid: 'outage' }),
      m.startJob(principal(), { id: 'single', jobid: 'outage' }),
    ]);
    await new Promise((r) => setTimeout(r, 50));
    await owner.query('select pg_terminate_backend($1)', [pid]);
    const result = [...(await starts), ...(await later)];
    await blocker.query('rollback');
    await blocker.end();
    const answers = result.map((r) => m.problemResponse((r as PromiseRejectedResult).reason, 'req'));
    expect(answers.map((a) => a.status)).toEqual([503, 503, 503, 503, 503]);
    expect(answers[0].headers.get('retry-after')).toBe('5');
    expect(await rowsOf(`select 1 from "JobRun" where "externalRef" = 'outage'`, [])).toEqual([]);
    // And the next start goes through on a fresh connection.
    expect(await m.startJob(principal(), { id: 'single-outage' })).toMatchObject({ dryRun: false });
  });
});

describe('rate limits, counted in groups', () => {
  test('30 concurrent requests of a key limited to 10: exactly 10 pass, each with its own count', async () => {
    const { consumeRateLimit } = await import('../keys/rate-limit');
    const limited = { ...principal(), keyId: randomUUID(), rateLimit: 10 };
    const statements: string[] = [];
    const query = m.pool.query.bind(m.pool) as (text: string, values?: unknown[]) => Promise<unknown>;
    const spy = vi.spyOn(m.pool, 'query').mockImplementation(((text: string, values?: unknown[]) => {
      if (text.includes('"RateLimitWindow" as w')) statements.push(text);
      return query(text, values);
    }) as never);
    let result: PromiseSettledResult<{ remaining: number } | null>[];
    try {
      result = await settle(Array.from({ length: 30 }, () => consumeRateLimit(limited)));
    } finally {
      spy.mockRestore();
    }
    const passed = result.filter((r) => r.status === 'fulfilled');
    expect(passed).toHaveLength(10);
    const remaining = passed.map((r) => (r as PromiseFulfilledResult<{ remaining: number }>).value.remaining);
    expect(remaining.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const r of result.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason.code).toBe('rate_limited');
    expect(statements.length).toBeLessThan(5);
    const rows = await rowsOf(`select count from "RateLimitWindow" where "keyId" = $1`, [limited.keyId]);
    // Refused requests use none of the quota (the sliding window, issue 24): the 10 that passed only.
    expect(rows).toEqual([{ count: 10 }]);
  });
});

describe('idempotency records, written in groups', () => {
  test('20 starts with their own keys: one claim and one answer statement for many; a replay names its run', async () => {
    const { idempotent } = await import('../http/idempotency');
    const statements: string[] = [];
    const query = m.pool.query.bind(m.pool) as (text: string, values?: unknown[]) => Promise<unknown>;
    const spy = vi.spyOn(m.pool, 'query').mockImplementation(((text: string, values?: unknown[]) => {
      if (text.includes('"IdempotencyRecord"')) statements.push(text.trim().split(/\s+/)[0]);
      return query(text, values);
    }) as never);
    const start = (i: number) =>
      idempotent(principal(), `idem-${i}`, `body-${i}`, async () => {
        const result = await m.startJob(principal(), { id: 'parallel', jobid: `idem-${i}` });
        return new Response(JSON.stringify(result), { status: 202 });
      });
    let first: Response[];
    try {
      first = await Promise.all(Array.from({ length: 20 }, (_, i) => start(i)));
    } finally {
      spy.mockRestore();
    }
    expect(first.map((r) => r.status)).toEqual(Array(20).fill(202));
    expect(statements.filter((s) => s === 'insert').length).toBeLessThan(5);
    expect(statements.filter((s) => s === 'update').length).toBeLessThan(5);
    const again = await start(7);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect((await again.json()).runId).toBe((await first[7].json()).runId);
    expect(await rowsOf(`select 1 from "JobRun" where "externalRef" = 'idem-7'`, [])).toHaveLength(1);
  });

  test('10 concurrent requests with one key: one start, the others told it is in flight', async () => {
    const { idempotent } = await import('../http/idempotency');
    const result = await settle(
      Array.from({ length: 10 }, () =>
        idempotent(principal(), 'idem-same', 'same-body', async () => {
          const r = await m.startJob(principal(), { id: 'parallel', jobid: 'idem-same' });
          await new Promise((resolve) => setTimeout(resolve, 100));
          return new Response(JSON.stringify(r), { status: 202 });
        }),
      ),
    );
    expect(result.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of result.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason.code).toBe('idempotency_key_in_use');
    expect(await rowsOf(`select 1 from "JobRun" where "externalRef" = 'idem-same'`, [])).toHaveLength(1);
  });
});
