// npm run bench -- --seed-scale[=<scale>]: one organisation at production scale (scale 1: 1 million runs,
// 10 million log lines, 10,000 keys, 200,000 audit events; --seed-scale=0.1 for a quick run), then the
// time of each list: the Runs, Audit and Api Keys pages' queries (first page, each filter, deep pages
// through cursors), the run page of a run with 100,000 lines and its live follow, the job API's log list
// over HTTP; and start throughput (POST /etl-mgr/api/apijob, 32 connections) without and during a
// retention prune. Writes bench/SCALE-RESULTS.md. Everything it starts, it stops.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runLoad, percentile, stopLoad, type LoadResult } from './lib/load';
import { writeScaleReport, type Timing } from './lib/scale-report';
import { encodeCursor } from '../lib/cursor';
import { freePort } from '../server/runtime/embedded-postgres';
import { privateAppRoot } from '../testkit/app-root';
import { databaseIn, startBenchApp } from './app';
import { uptime } from '../testkit/proc-fs';
import { isolatedEnv, runNode, stopAllProcs } from '../testkit/processes';
import { countsAt, seedScale, type SeededOrg } from '../testkit/seed-scale';
import type { UserActor } from '../server/auth/actor';

const root = path.resolve(import.meta.dirname, '..');
const log = (line: string) => console.log(`[seed-scale] ${line}`);
const TARGET_MS = 150;
const OPEN_TARGET_MS = 200;

async function measure(
  out: Timing[],
  group: string,
  name: string,
  fn: () => Promise<unknown>,
  n = 20,
  target = TARGET_MS,
) {
  for (let i = 0; i < 5; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const t = { group, name, p50: percentile(times, 50), p95: percentile(times, 95), n, target };
  out.push(t);
  log(`${group} / ${name}: p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms`);
}

/** The lists' domain calls, in this process, through the app's own Prisma client and pool. */
async function measureLists(seeded: SeededOrg, runs: number, out: Timing[]) {
  const { listRuns, countRuns } = await import('../server/runs/list-runs');
  const { getRunDetail } = await import('../server/runs/list-runs');
  const { listRunLogs, listRunLogsBefore, LAST_LOG_SEQ } = await import('../server/runs/list-run-logs');
  const { listAuditEvents } = await import('../server/audit/list-audit-events');
  const { listApiKeys } = await import('../server/keys/list-keys');
  const { listJobNames } = await import('../server/jobs/list-jobs');
  const actor: UserActor = {
    kind: 'user',
    userId: seeded.userId,
    email: seeded.email,
    name: seeded.email,
    orgId: seeded.orgId,
    orgSlug: 'scale',
    role: 'owner',
    ip: '127.0.0.1',
  };
  const back = (n: number, every: number) =>
    encodeCursor({
      at: Date.now() - n * every * 1000,
      id: 'ffffffff-ffff-ffff-ffff-ffffffffffff',
      dir: 'older',
    });
  // The Runs page: the job names for the filter and a page of runs.
  const runsPage = (filter: Parameters<typeof listRuns>[1]) => () =>
    Promise.all([listJobNames(actor), listRuns(actor, filter)]);
  const R = 'Runs page';
  await measure(out, R, 'first page', runsPage({}));
  for (const status of ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const)
    await measure(out, R, `status=${status}`, runsPage({ status }));
  for (const trigger of ['api', 'schedule', 'console', 'cli'] as const)
    await measure(out, R, `trigger=${trigger}`, runsPage({ trigger }));
  await measure(out, R, 'job=one of 50', runsPage({ jobId: seeded.jobIds[7] }));
  await measure(out, R, 'job + status=failed', runsPage({ jobId: seeded.jobIds[7], status: 'failed' }));
  let cursor: string | null = null;
  for (let i = 0; i < 10; i++) cursor = (await listRuns(actor, { cursor })).older;
  const page11 = cursor;
  await measure(out, R, 'page 11 (10 × Older)', runsPage({ cursor: page11 }));
  await measure(out, R, 'half-way (cursor)', runsPage({ cursor: back(runs / 2, 3) }));
  await measure(out, R, 'last pages (cursor)', runsPage({ cursor: back(runs * 0.999, 3) }));
  await measure(out, R, 'trigger=cli, half-way', runsPage({ trigger: 'cli', cursor: back(runs / 2, 3) }));
  await measure(
    out,
    R,
    'status=failed, last pages',
    runsPage({ status: 'failed', cursor: back(runs * 0.99, 3) }),
  );
  await measure(out, 'Job page', 'recent runs + capped count', () =>
    Promise.all([
      listRuns(actor, { jobId: seeded.jobIds[7], pageSize: 10 }),
      countRuns(actor, { jobId: seeded.jobIds[7] }),
    ]),
  );

  const A = 'Audit page';
  await measure(out, A, 'first page', () => listAuditEvents(actor, {}));
  for (const action of ['jobs', 'keys', 'members', 'key.revoked'])
    await measure(out, A, `action=${action}`, () => listAuditEvents(actor, { action }));
  await measure(out, A, 'actor search "user7@"', () => listAuditEvents(actor, { actor: 'user7@' }));
  await measure(out, A, 'about a key', () => listAuditEvents(actor, { target: `key:${seeded.keyId}` }));
  await measure(out, A, 'about a job', () => listAuditEvents(actor, { target: `job:${seeded.jobIds[5]}` }));
  const audits = Math.round(runs / 5);
  await measure(out, A, 'half-way (cursor)', () => listAuditEvents(actor, { cursor: back(audits / 2, 10) }));
  await measure(out, A, 'members, last pages', () =>
    listAuditEvents(actor, { action: 'members', cursor: back(audits * 0.99, 10) }),
  );

  const K = 'Api Keys page';
  await measure(out, K, 'first page', () => listApiKeys(actor, {}));
  for (const status of ['active', 'expiring', 'rolling', 'expired', 'revoked'] as const)
    await measure(out, K, `status=${status}`, () => listApiKeys(actor, { status }));
  for (const q of ['nightly', 'sel4242', 'warehouse 99', 'user3@'])
    await measure(out, K, `search "${q}"`, () => listApiKeys(actor, { q }));
  await measure(out, K, 'last pages (cursor)', () => listApiKeys(actor, { cursor: back(9_900, 7 * 60) }));

  const L = 'Run page, 100,000 lines';
  await measure(
    out,
    L,
    'open: run + last 500 lines',
    () =>
      Promise.all([
        getRunDetail(actor, seeded.longRunId),
        listRunLogsBefore(actor, seeded.longRunId, LAST_LOG_SEQ),
      ]),
    20,
    OPEN_TARGET_MS,
  );
  await measure(out, L, 'older lines (before=50,000)', () =>
    listRunLogsBefore(actor, seeded.longRunId, 50_000),
  );
  return { listRunLogs, actor };
}

function startsOf(r: LoadResult) {
  return `${r.rps.toFixed(0)} starts/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.non2xx + r.errors} errors`;
}

export async function seedScaleBench(): Promise<number> {
  const arg = process.argv.find((a) => a.startsWith('--seed-scale'))!;
  const scale = Number(arg.split('=')[1] ?? '1');
  if (!(scale > 0 && scale <= 1)) throw new Error('--seed-scale=<scale>: a number in (0, 1]');
  const counts = countsAt(scale);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'etl-seed-scale-'));
  const stopAll = async () => {
    stopLoad();
    await stopAllProcs();
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => void stopAll().finally(() => process.exit(130)));
  const loadBefore = uptime();
  try {
    const { appRoot } = await privateAppRoot(root, dataDir, log);
    const port = await freePort();
    await startBenchApp(appRoot, port, dataDir);
    const { databaseUrl: ownerUrl, secrets } = databaseIn(dataDir);

    log(`seeding at scale ${scale}: ${JSON.stringify(counts)}`);
    const t0 = performance.now();
    const seeded = await seedScale(ownerUrl, counts);
    const seedSeconds = (performance.now() - t0) / 1000;
    for (const t of seeded.timings) log(`  ${t.step}: ${(t.ms / 1000).toFixed(1)} s`);
    log(`seeded in ${seedSeconds.toFixed(0)} s`);

    process.env.DATABASE_URL = ownerUrl;
    const timings: Timing[] = [];
    const { listRunLogs, actor } = await measureLists(seeded, counts.runs, timings);

    // A key and a job of the seeded organisation, through the admin CLI.
    const cliEnv = isolatedEnv({ DATA_DIR: dataDir, DATABASE_URL: ownerUrl, API_KEY_SECRETS: secrets });
    const jobFile = path.join(dataDir, 'noop.json');
    writeFileSync(
      jobFile,
      JSON.stringify({
        name: 'scale-noop',
        type: 'command',
        config: { command: 'true', args: [] },
        concurrency: 'parallel',
      }),
    );
    await runNode(
      ['--import', 'tsx', 'scripts/admin.ts', 'job', 'create', '--org', 'scale', '--file', jobFile],
      {
        env: cliEnv,
      },
    );
    const keyOut = await runNode(
      [
        '--import',
        'tsx',
        'scripts/admin.ts',
        'key',
        'create',
        '--org',
        'scale',
        '--owner',
        seeded.email,
        '--name',
        'scale-bench',
        '--selector',
        'scalebench',
        '--rate-limit',
        '0',
      ],
      { env: cliEnv },
    );
    const token = keyOut.trim().split('\n').pop()!.trim();
    const base = `http://127.0.0.1:${port}/etl-mgr/api`;
    const get = (p: string) => async () => {
      const res = await fetch(`${base}${p}`, { headers: { 'x-api-key': token } });
      if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const H = 'Job API over HTTP (client-side time, localhost)';
    const logs = `/runs/${seeded.longRunId}/logs`;
    await measure(timings, H, 'logs, first page (after=0)', get(`${logs}?after=0`));
    await measure(timings, H, 'logs, deep (after=90,000)', get(`${logs}?after=90000`));
    await measure(timings, H, 'logs, last page (before=2147483647)', get(`${logs}?before=2147483647`));
    await measure(timings, H, 'run', get(`/runs/${seeded.longRunId}`));

    // Following live: a writer appends 20 lines every 100 ms to the long run; the view asks after the
    // last seq it has, as the run page does.
    const { pool } = await import('../server/db');
    let seq = counts.longRunLines;
    const writer = setInterval(() => {
      const from = seq + 1;
      seq += 20;
      void pool.query(
        `insert into "RunLog" ("runId", seq, stream, text) select $1, s, 'stdout', 'live ' || s from generate_series($2::int, $3::int) s`,
        [seeded.longRunId, from, seq],
      );
    }, 100);
    let after = counts.longRunLines;
    let lagMax = 0;
    await measure(
      timings,
      'Run page, 100,000 lines',
      'follow live (after=<last seq>, 20 lines/100 ms)',
      async () => {
        const page = await listRunLogs(actor, seeded.longRunId, after);
        after = page.next;
        lagMax = Math.max(lagMax, seq - after);
      },
      40,
    );
    clearInterval(writer);

    // Start throughput: 32 connections, without and during a retention prune (alternating rounds).
    const start = {
      url: `${base}/apijob`,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', 'x-api-key': token },
      body: JSON.stringify({ id: 'scale-noop' }),
      connections: 32,
      duration: 10,
      expectStatus: 202,
    };
    const { pruneOnce } = await import('../server/retention/prune');
    const spanDays = (counts.runs * 3) / 86_400;
    const runDays = Math.max(1, Math.floor(spanDays / 2));
    const auditDays = Math.max(1, Math.floor((counts.auditEvents * 10) / 86_400 / 2));
    await runLoad({ ...start, duration: 3 });
    const rounds: { prune: boolean; load: LoadResult; pruned?: Awaited<ReturnType<typeof pruneOnce>> }[] = [];
    for (let i = 0; i < 2; i++) {
      rounds.push({ prune: false, load: await runLoad(start) });
      log(`starts, no prune: ${startsOf(rounds.at(-1)!.load)}`);
      const pruning = pruneOnce({ runDays, auditDays, budgetMs: 10_000 });
      const load = await runLoad(start);
      const pruned = await pruning;
      rounds.push({ prune: true, load, pruned });
      log(`starts during a prune: ${startsOf(load)}; the prune deleted ${JSON.stringify(pruned)}`);
    }
    await pool.end();
    writeScaleReport(root, {
      scale,
      counts,
      seeded,
      seedSeconds,
      timings,
      rounds,
      runDays,
      auditDays,
      lagMax,
      loadBefore,
    });
    log('wrote bench/SCALE-RESULTS.md');
    return 0;
  } finally {
    await stopAll();
  }
}
