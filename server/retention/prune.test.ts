// Retention against a real embedded PostgreSQL, as the worker's own role (the grants are part of what is
// tested): old finished runs go with their logs, nothing running or recent does; dead idempotency
// records and old audit events go; one pruner at a time.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { applyMigrations } from '../db/migrate';
import { applyGrants } from '../db/roles';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../runtime/embedded-postgres';
import type { PruneResult } from './prune';

let dir: string;
let database: EmbeddedDatabase;
let owner: pg.Client;
// Imported once DATABASE_URL names the worker's role (server/db reads it on import).
let prune: typeof import('./prune');
const ids: Record<string, string> = {};

const count = async (sql: string, params: unknown[] = []) =>
  Number((await owner.query(sql, params)).rows[0].n);

/** A run queued and finished `days` ago (finished null: still running), with `lines` log lines. */
async function run(name: string, orgId: string, jobId: string, days: number, status: string, lines = 0) {
  const { rows } = await owner.query(
    `insert into "JobRun" (id, "orgId", "jobId", status, trigger, "queuedAt", "finishedAt")
     values (gen_random_uuid(), $1, $2, $3::"RunStatus", 'api', now() - make_interval(days => $4),
       case when $3 in ('succeeded', 'failed', 'cancelled') then now() - make_interval(days => $4) end)
     returning id`,
    [orgId, jobId, status, days],
  );
  ids[name] = rows[0].id;
  await owner.query(
    `insert into "RunLog" ("runId", seq, stream, text) select $1, g, 'stdout', 'line ' || g from generate_series(1, $2) g`,
    [rows[0].id, lines],
  );
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'retention-test-'));
  database = await startEmbeddedPostgres(dir);
  await applyMigrations(database.url);
  await applyGrants(database.url, { web: database.webUrl, worker: database.workerUrl });
  owner = new pg.Client({ connectionString: database.url });
  await owner.connect();
  // The pruner connects as the worker does.
  process.env.DATABASE_URL = database.workerUrl;
  prune = await import('./prune');

  const org = async (slug: string) =>
    (
      await owner.query(
        `insert into "Organization" (id, slug, name) values (gen_random_uuid(), $1, $1) returning id`,
        [slug],
      )
    ).rows[0].id as string;
  const job = async (orgId: string) =>
    (
      await owner.query(
        `insert into "Job" (id, "orgId", name, type, config, "updatedAt") values (gen_random_uuid(), $1, 'j', 'command', '{}', now()) returning id`,
        [orgId],
      )
    ).rows[0].id as string;
  for (const slug of ['alpha', 'beta']) {
    const orgId = await org(slug);
    const jobId = await job(orgId);
    await run(`${slug}-old-long`, orgId, jobId, 40, 'succeeded', 2_500);
    await run(`${slug}-old-failed`, orgId, jobId, 31, 'failed', 3);
    await run(`${slug}-old-running`, orgId, jobId, 40, 'running', 5);
    await run(`${slug}-old-queued`, orgId, jobId, 40, 'queued');
    await run(`${slug}-recent`, orgId, jobId, 29, 'cancelled', 4);
    await owner.query(
      `insert into "AuditEvent" ("orgId", actor, "actorName", action, at)
       select $1, 'system', 'system', 'job.started', now() - make_interval(days => d) from unnest(array[100, 91, 89, 1]) d`,
      [orgId],
    );
    await owner.query(
      `insert into "IdempotencyRecord" ("orgId", "keyId", key, "requestHash", "createdAt")
       values ($1, gen_random_uuid(), 'old', 'h', now() - interval '25 hours'),
              ($1, gen_random_uuid(), 'new', 'h', now() - interval '23 hours')`,
      [orgId],
    );
  }
});

afterAll(async () => {
  await owner?.end().catch(() => {});
  const { pool } = await import('../db');
  await pool.end().catch(() => {});
  await database?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('retention', () => {
  test('RUN_RETENTION_DAYS and AUDIT_RETENTION_DAYS: unset keeps everything, a bad value is refused', () => {
    expect(prune.retentionFromEnv({})).toEqual({ runDays: null, auditDays: null });
    expect(prune.retentionFromEnv({ RUN_RETENTION_DAYS: '30', AUDIT_RETENTION_DAYS: ' ' })).toEqual({
      runDays: 30,
      auditDays: null,
    });
    expect(() => prune.retentionFromEnv({ RUN_RETENTION_DAYS: '0' })).toThrow(/RUN_RETENTION_DAYS/);
    expect(() => prune.retentionFromEnv({ AUDIT_RETENTION_DAYS: '7d' })).toThrow(/AUDIT_RETENTION_DAYS/);
  });

  test('a pass while another pruner holds the lock does nothing', async () => {
    await owner.query('select pg_advisory_lock($1)', [prune.PRUNE_LOCK]);
    try {
      const result = await prune.pruneOnce({ runDays: 30, auditDays: 90 });
      expect(result.ran).toBe(false);
      expect(await count('select count(*) n from "JobRun"')).toBe(10);
    } finally {
      await owner.query('select pg_advisory_unlock($1)', [prune.PRUNE_LOCK]);
    }
  });

  test('with retention off, only idempotency records past their 24 hours go', async () => {
    const result = await prune.pruneOnce({ runDays: null, auditDays: null });
    expect(result).toEqual<PruneResult>({
      ran: true,
      runs: 0,
      logLines: 0,
      idempotencyRecords: 2,
      auditEvents: 0,
    });
    expect(await count(`select count(*) n from "IdempotencyRecord" where key = 'new'`)).toBe(2);
    expect(await count('select count(*) n from "JobRun"')).toBe(10);
  });

  test('old finished runs go with their logs in 1,000-line batches; running, queued and recent runs stay', async () => {
    const result = await prune.pruneOnce({ runDays: 30, auditDays: 90, batchSize: 1_000, pauseMs: 1 });
    expect(result).toMatchObject({ ran: true, runs: 4, logLines: 2 * (2_500 + 3), auditEvents: 4 });
    const left = (await owner.query('select id from "JobRun"')).rows.map((r) => r.id).sort();
    const kept = ['old-running', 'old-queued', 'recent'].flatMap((n) => [
      ids[`alpha-${n}`],
      ids[`beta-${n}`],
    ]);
    expect(left).toEqual(kept.sort());
    expect(await count('select count(*) n from "RunLog"')).toBe(2 * (5 + 4));
    const audit = await owner.query(`select (now() - at) < interval '90 days' as recent from "AuditEvent"`);
    expect(audit.rows.map((r) => r.recent)).toEqual([true, true, true, true]);
    // Nothing more to do the second time.
    expect(await prune.pruneOnce({ runDays: 30, auditDays: 90 })).toMatchObject({
      runs: 0,
      logLines: 0,
      auditEvents: 0,
    });
  });

  test('the worker may delete what pruning needs and still read no answer or event', async () => {
    const worker = new pg.Client({ connectionString: database.workerUrl });
    await worker.connect();
    try {
      for (const sql of [
        'select body from "IdempotencyRecord"',
        'select details from "AuditEvent"',
        'select name from "Organization"',
      ])
        await expect(worker.query(sql)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await worker.end();
    }
  });
});
