// Every list query, exactly as the code builds it (captured at the pool), is EXPLAINed on a seeded
// organisation after ANALYZE: each reads through an index and none scans a large table whole. A list
// that paged by offset, or a filter or search without its index, fails here.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeCursor } from '../../lib/cursor';
import { countsAt, seedScale, type SeededOrg } from '../../testkit/seed-scale';
import type { UserActor } from '../auth/actor';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../runtime/embedded-postgres';
import { applyMigrations } from './migrate';

const LARGE = ['JobRun', 'RunLog', 'AuditEvent', 'ApiKey'];

let dir: string;
let database: EmbeddedDatabase;
let owner: pg.Client;
let seeded: SeededOrg;
let actor: UserActor;
let captured: { text: string; values: unknown[] }[] = [];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

/** The plans of the statements `fn` sends that read a large table. */
async function plansOf(fn: () => Promise<unknown>) {
  captured = [];
  await fn();
  const statements = captured.filter((s) => LARGE.some((t) => s.text.includes(`"${t}"`)));
  expect(statements.length).toBeGreaterThan(0);
  const plans = [];
  for (const s of statements) {
    const { rows } = await owner.query(`explain (format json) ${s.text}`, s.values);
    plans.push({ sql: s.text, nodes: nodes(rows[0]['QUERY PLAN'][0].Plan as PlanNode) });
  }
  return plans;
}

async function expectIndexed(fn: () => Promise<unknown>) {
  for (const plan of await plansOf(fn)) {
    // A statement the planner answers without reading a table (`id in (null)`) has nothing to check.
    if (!plan.nodes.some((n) => LARGE.includes(n['Relation Name'] ?? ''))) continue;
    const seqScans = plan.nodes.filter(
      (n) => n['Node Type'] === 'Seq Scan' && LARGE.includes(n['Relation Name']!),
    );
    expect(seqScans, `a whole-table scan in:\n${plan.sql}`).toEqual([]);
    expect(
      plan.nodes.some((n) => /Index/.test(n['Node Type'])),
      `no index used by:\n${plan.sql}`,
    ).toBe(true);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'list-plans-test-'));
  database = await startEmbeddedPostgres(dir);
  await applyMigrations(database.url);
  // 50,000 runs, 500,000 log lines (100,000 of one run), 10,000 keys, 10,000 audit events: enough for
  // the planner to choose between an index and a scan the way it does at a million.
  seeded = await seedScale(database.url, countsAt(0.05));
  owner = new pg.Client({ connectionString: database.url });
  await owner.connect();
  process.env.DATABASE_URL = database.url;
  const { pool } = await import('./index');
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  pool.query = ((...args: unknown[]) => {
    const [first, second] = args as [string | { text: string; values?: unknown[] }, unknown];
    if (typeof first === 'string') captured.push({ text: first, values: (second as unknown[]) ?? [] });
    else captured.push({ text: first.text, values: first.values ?? [] });
    return query(...args);
  }) as typeof pool.query;
  actor = {
    kind: 'user',
    userId: seeded.userId,
    email: seeded.email,
    name: seeded.email,
    orgId: seeded.orgId,
    orgSlug: 'scale',
    role: 'owner',
    ip: '127.0.0.1',
  };
}, 300_000);

afterAll(async () => {
  await owner?.end().catch(() => {});
  const { pool } = await import('./index');
  await pool.end().catch(() => {});
  await database?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A cursor deep in a list: at the time of row `n` back from now, seeded `every` seconds apart. */
const deep = (n: number, every: number, dir: 'older' | 'newer' = 'older') =>
  encodeCursor({ at: Date.now() - n * every * 1000, id: 'ffffffff-ffff-ffff-ffff-ffffffffffff', dir });

describe('list queries use their indexes', () => {
  test('runs: first page, each filter, deep pages both ways, the capped count', async () => {
    const { listRuns, countRuns } = await import('../runs/list-runs');
    await expectIndexed(() => listRuns(actor, {}));
    for (const status of ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const)
      await expectIndexed(() => listRuns(actor, { status }));
    for (const trigger of ['api', 'console', 'cli', 'schedule'] as const)
      await expectIndexed(() => listRuns(actor, { trigger }));
    await expectIndexed(() => listRuns(actor, { jobId: seeded.jobIds[3] }));
    await expectIndexed(() => listRuns(actor, { jobId: seeded.jobIds[3], status: 'failed' }));
    await expectIndexed(() => listRuns(actor, { cursor: deep(40_000, 3) }));
    await expectIndexed(() => listRuns(actor, { cursor: deep(40_000, 3, 'newer') }));
    await expectIndexed(() => listRuns(actor, { trigger: 'cli', cursor: deep(40_000, 3) }));
    await expectIndexed(() => countRuns(actor, { jobId: seeded.jobIds[3] }));
    // The cursor really pages: the next page starts after the last row of this one.
    const first = await listRuns(actor, {});
    const second = await listRuns(actor, { cursor: first.older });
    expect(second.runs[0].queuedAt.getTime()).toBeLessThanOrEqual(first.runs.at(-1)!.queuedAt.getTime());
    expect(second.runs.map((r) => r.id)).not.toContain(first.runs.at(-1)!.id);
    const back = await listRuns(actor, { cursor: second.newer });
    expect(back.runs.map((r) => r.id)).toEqual(first.runs.map((r) => r.id));
  });

  test('a run’s log: the first page, the last page, a page in the middle', async () => {
    const { listRunLogs, listRunLogsBefore, LAST_LOG_SEQ } = await import('../runs/list-run-logs');
    await expectIndexed(() => listRunLogs(actor, seeded.longRunId, 0));
    await expectIndexed(() => listRunLogs(actor, seeded.longRunId, 700));
    await expectIndexed(() => listRunLogsBefore(actor, seeded.longRunId, LAST_LOG_SEQ));
    const tail = await listRunLogsBefore(actor, seeded.longRunId, LAST_LOG_SEQ);
    expect(tail.lines.at(-1)!.seq).toBe(countsAt(0.05).longRunLines);
    expect(tail.prev).toBe(tail.lines[0].seq);
    // A run that has written nothing yet opens empty and follows from its first line.
    const { rows } = await owner.query(
      `select id from "JobRun" r where "orgId" = $1 and not exists (select 1 from "RunLog" l where l."runId" = r.id) limit 1`,
      [seeded.orgId],
    );
    const empty = await listRunLogsBefore(actor, rows[0].id, LAST_LOG_SEQ);
    expect(empty).toMatchObject({ lines: [], next: 0, prev: null });
  });

  test('audit: first page, each group, the actor search, about a key or a job, deep pages', async () => {
    const { listAuditEvents } = await import('../audit/list-audit-events');
    await expectIndexed(() => listAuditEvents(actor, {}));
    for (const action of ['keys', 'members', 'jobs', 'key.revoked'])
      await expectIndexed(() => listAuditEvents(actor, { action }));
    await expectIndexed(() => listAuditEvents(actor, { actor: 'user7@' }));
    await expectIndexed(() => listAuditEvents(actor, { target: `key:${seeded.keyId}` }));
    await expectIndexed(() => listAuditEvents(actor, { target: `job:${seeded.jobIds[5]}` }));
    await expectIndexed(() => listAuditEvents(actor, { cursor: deep(8_000, 10) }));
  });

  test('keys: first page, each status, the search, deep pages', async () => {
    const { listApiKeys } = await import('../keys/list-keys');
    await expectIndexed(() => listApiKeys(actor, {}));
    for (const status of ['active', 'expiring', 'rolling', 'expired', 'revoked'] as const)
      await expectIndexed(() => listApiKeys(actor, { status }));
    for (const q of ['nightly', 'sel123', 'warehouse 99', 'user3@'])
      await expectIndexed(() => listApiKeys(actor, { q }));
    await expectIndexed(() => listApiKeys(actor, { cursor: deep(8_000, 7 * 60) }));
  });
});
