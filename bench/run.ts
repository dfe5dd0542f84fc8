// npm run bench [-- --quick]: the job API's hot path (POST /etl-mgr/api/apijob) measured side by side
// with a bare floor (bench/floor.ts), in alternating rounds, on a fresh embedded Postgres; then end to
// end with a worker. Prints the figures and writes bench/RESULTS.md. Everything it starts, it stops.
//
//   A  the floor: node:http + jose + pg doing the same work per start (bench/floor.ts)
//   B  the product: the production build, started by the launcher (scripts/start.ts) with START_WORKER=false
//
// --quick: 3 rounds each at 32 connections, under 3 minutes on a quiet machine. Full: 5 rounds each, a sweep over 1, 8,
// 32 and 128 connections, about 8-10 minutes. Only 127.0.0.1 is ever a target.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { median, percentile, runLoad, runPaced, stopLoad, type LoadResult } from './lib/load';
import { freePort } from '../server/runtime/embedded-postgres';
import { privateAppRoot } from '../testkit/app-root';
import {
  commandLine,
  cpuMs,
  listeningPid,
  machine,
  processName,
  processTree,
  rssKiB,
  uptime,
} from '../testkit/proc-fs';
import { isolatedEnv, runNode, startService, stopAllProcs, stopProc, type Proc } from '../testkit/processes';

// --seed-scale[=<scale>]: the data-scale bench (bench/seed-scale.ts) instead of this one.
if (process.argv.some((a) => a.startsWith('--seed-scale')))
  process.exit(await (await import('./seed-scale')).seedScaleBench());
const root = path.resolve(import.meta.dirname, '..');
const quick = process.argv.includes('--quick');
const keep = process.argv.includes('--keep');

const CFG = quick
  ? {
      mode: 'quick',
      warmupSeconds: 2,
      connections: 32,
      rounds: 3,
      roundSeconds: 10,
      sweep: [] as number[],
      sweepRounds: 0,
      sweepSeconds: 0,
      halfRateRounds: 1,
      halfRateSeconds: 6,
      oneConnSeconds: 3,
      probeSeconds: 2,
      seqCount: 100,
      seqGapMs: 20,
      burst: 1000,
      drainTimeoutSeconds: 60,
      watchdogSeconds: 420,
    }
  : {
      mode: 'full',
      warmupSeconds: 5,
      connections: 32,
      rounds: 5,
      roundSeconds: 15,
      sweep: [1, 8, 128],
      sweepRounds: 2,
      sweepSeconds: 10,
      halfRateRounds: 2,
      halfRateSeconds: 15,
      oneConnSeconds: 0,
      probeSeconds: 5,
      seqCount: 300,
      seqGapMs: 20,
      burst: 1000,
      drainTimeoutSeconds: 300,
      watchdogSeconds: 1500,
    };

const JOB_NAME = 'bench-noop';
const API_PATH = '/etl-mgr/api/apijob';
const log = (line: string) => console.log(`[bench] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nowMs = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------------
// Lifecycle: a temporary DATA_DIR, and everything stopped on the way out (also on Ctrl-C).

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'etl-bench-'));
let db: pg.Client | undefined;
let finishing: Promise<void> | undefined;

function postmasterPid(): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

function cleanup(): Promise<void> {
  finishing ??= (async () => {
    stopLoad();
    await db?.end().catch(() => {});
    db = undefined;
    await stopAllProcs();
    // The launcher stops its Postgres; if it could not (killed), stop it here (SIGINT: fast shutdown).
    const orphan = postmasterPid();
    if (orphan) {
      process.kill(orphan, 'SIGINT');
      for (let i = 0; i < 100 && postmasterPid(); i++) await sleep(100);
    }
    if (keep) log(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  })();
  return finishing;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n[bench] ${signal}: stopping everything it started`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------------
// Starting the two targets.

/** The environment of the processes it starts: nothing of an outer DATABASE_URL or secrets leaks in. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return isolatedEnv({ DATA_DIR: dataDir, ...extra });
}

/** A copy of the tree's production build (built first when there is none) that no later build can change. */
async function snapshotBuild(): Promise<{ appRoot: string; buildId: string; builtAt: string }> {
  const { appRoot, buildId } = await privateAppRoot(root, dataDir, log);
  return { appRoot, buildId, builtAt: statSync(path.join(appRoot, '.next', 'BUILD_ID')).mtime.toISOString() };
}

interface Targets {
  build: { buildId: string; builtAt: string };
  appPort: number;
  floorPort: number;
  launcher: Proc;
  floor: Proc;
  databaseUrl: string;
  secrets: string;
  token: string;
  jobId: string;
}

async function startTargets(appRoot: string, build: Targets['build']): Promise<Targets> {
  const appPort = await freePort();
  const floorPort = await freePort();
  const t0 = Date.now();
  const launcher = await startService('app (npm start)', ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: appRoot,
    env: baseEnv({
      DEBUG_POSTGRES: '1',
      PORT: String(appPort),
      HOST: '127.0.0.1',
      START_WORKER: 'false',
      NEXTAUTH_URL: `http://127.0.0.1:${appPort}`,
      ADMIN_EMAIL: 'bench@example.com',
      ADMIN_PASSWORD: randomBytes(12).toString('base64url'),
    }),
    logFile: path.join(dataDir, 'app.log'),
    ready: /\[start\] ready in/,
    timeoutMs: 180_000,
  });
  log(`app ready on 127.0.0.1:${appPort} in ${((Date.now() - t0) / 1000).toFixed(1)}s (worker off)`);

  const { password } = JSON.parse(readFileSync(path.join(dataDir, 'postgres.json'), 'utf8'));
  const pgPort = Number(
    readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3],
  );
  const databaseUrl = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/etl`;
  const secrets = readFileSync(path.join(dataDir, 'api-key-secrets'), 'utf8').trim();

  // The key and the job, through the admin CLI (both at once), and the floor beside them.
  const jobFile = path.join(dataDir, 'bench-noop.json');
  writeFileSync(
    jobFile,
    JSON.stringify({
      name: JOB_NAME,
      description: 'benchmark: does nothing',
      type: 'command',
      config: { command: 'true', args: [] },
      concurrency: 'parallel',
      timeoutSeconds: 60,
    }),
  );
  const cliEnv = baseEnv({ DATABASE_URL: databaseUrl, API_KEY_SECRETS: secrets });
  const [keyOut, , floor] = await Promise.all([
    runNode(
      [
        '--import',
        'tsx',
        'scripts/admin.ts',
        'key',
        'create',
        '--org',
        'demo',
        '--owner',
        'bench@example.com',
        '--name',
        'bench',
        '--selector',
        'bench',
        '--rate-limit',
        '0',
      ],
      { env: cliEnv },
    ),
    runNode(['--import', 'tsx', 'scripts/admin.ts', 'job', 'create', '--org', 'demo', '--file', jobFile], {
      env: cliEnv,
    }),
    startService('floor', ['--import', 'tsx', 'bench/floor.ts'], {
      env: baseEnv({
        PORT: String(floorPort),
        DATABASE_URL: databaseUrl,
        API_KEY_SECRETS: secrets,
        DATABASE_POOL_SIZE: '10',
      }),
      logFile: path.join(dataDir, 'floor.log'),
      ready: /floor listening/,
      timeoutMs: 60_000,
    }),
  ]);
  const token = keyOut.trim().split('\n').pop()!.trim();

  // One start on each, to be sure both answer 202 before any timing.
  let jobId = '';
  for (const port of [floorPort, appPort]) {
    const res = await post(port, { id: JOB_NAME, jobid: 'smoke' }, token);
    if (res.status !== 202) throw new Error(`smoke start on :${port} answered ${res.status}: ${res.text}`);
    jobId = JSON.parse(res.text).id;
  }
  return { build, appPort, floorPort, launcher, floor, databaseUrl, secrets, token, jobId };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function post(
  port: number,
  body: unknown,
  token: string,
): Promise<{ status: number; text: string; sentAt: number; answeredAt: number }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const sentAt = nowMs();
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: API_PATH,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'x-api-key': token,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, sentAt, answeredAt: nowMs() }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

// ---------------------------------------------------------------------------------------------------
// Rounds.

type TargetName = 'A' | 'B';

interface Round extends LoadResult {
  target: TargetName;
  phase: string;
  connections: number;
  overallRate?: number;
  rssMaxKiB: number;
  serverCpuMs: number;
  pgCpuMs: number;
  clientCpuMs: number;
  /** Rows written with this round's reference; null when the round does not start runs. */
  rows: number | null;
  rowsOk: boolean;
}

let targets: Targets;
let roundNo = 0;
const rounds: Round[] = [];

/** The process serving B: whichever process listens on the app's port (the launcher's web child). */
function appPid(): number {
  const pid = listeningPid(targets.appPort);
  if (pid) return pid;
  const tree = processTree(targets.launcher.child.pid!).slice(1);
  return (
    tree.find((p) =>
      /next-server|scripts\/web|next\b.*\bstart\b/.test(`${processName(p)} ${commandLine(p)}`),
    ) ?? targets.launcher.child.pid!
  );
}

function serverPid(target: TargetName): number {
  return target === 'A' ? targets.floor.child.pid! : appPid();
}

type Probe = 'no-key' | 'get';

async function round(
  target: TargetName,
  phase: string,
  opts: { connections: number; seconds: number; overallRate?: number; probe?: Probe; record?: boolean },
): Promise<Round> {
  if (interrupted) throw new Error('interrupted');
  const ref = `${phase}-${target}-${++roundNo}`;
  const port = target === 'A' ? targets.floorPort : targets.appPort;
  const pid = serverPid(target);
  const pgRoot = postmasterPid();
  const pgTree = () => (pgRoot ? processTree(pgRoot) : []);
  let rssMax = rssKiB(pid) ?? 0;
  const sampler = setInterval(() => {
    rssMax = Math.max(rssMax, rssKiB(pid) ?? 0);
  }, 200);
  const cpu0 = { server: cpuMs(processTree(pid)), pg: cpuMs(pgTree()), client: process.cpuUsage() };
  let result: LoadResult;
  try {
    result = opts.overallRate
      ? await runPaced({
          url: `http://127.0.0.1:${port}${API_PATH}`,
          headers: { 'content-type': 'application/json', 'x-api-key': targets.token },
          body: JSON.stringify({ id: JOB_NAME, jobid: ref }),
          rate: opts.overallRate,
          seconds: opts.seconds,
          connections: opts.connections,
        })
      : await runLoad({
          url: `http://127.0.0.1:${port}${API_PATH}`,
          method: opts.probe === 'get' ? 'GET' : 'POST',
          headers:
            opts.probe === 'get'
              ? {}
              : { 'content-type': 'application/json', ...(opts.probe ? {} : { 'x-api-key': targets.token }) },
          body: opts.probe === 'get' ? undefined : JSON.stringify({ id: JOB_NAME, jobid: ref }),
          connections: opts.connections,
          duration: opts.seconds,
          overallRate: opts.overallRate,
          expectStatus: opts.probe === 'get' ? 405 : opts.probe === 'no-key' ? 401 : undefined,
        });
  } finally {
    clearInterval(sampler);
  }
  const client = process.cpuUsage(cpu0.client);
  const serverCpu = cpuMs(processTree(pid)) - cpu0.server;
  const pgCpu = cpuMs(pgTree()) - cpu0.pg;
  rssMax = Math.max(rssMax, rssKiB(pid) ?? 0);

  let rows: number | null = null;
  let rowsOk = true;
  if (!opts.probe) {
    // Requests cut off at the end of the round may still commit: let them land, then count.
    await sleep(300);
    rows = (
      await db!.query<{ n: number }>('select count(*)::int as n from "JobRun" where "externalRef" = $1', [
        ref,
      ])
    ).rows[0].n;
    // One request in flight per connection at most (no pipelining): that many may be cut off unanswered.
    rowsOk =
      rows >= result.status2xx && rows <= result.status2xx + Math.min(opts.connections, result.unanswered);
  }
  const record: Round = {
    ...result,
    target,
    phase,
    connections: opts.connections,
    overallRate: opts.overallRate,
    rssMaxKiB: rssMax,
    serverCpuMs: serverCpu,
    pgCpuMs: pgCpu,
    clientCpuMs: (client.user + client.system) / 1000,
    rows,
    rowsOk,
  };
  if (opts.record !== false) rounds.push(record);
  log(
    `${phase.padEnd(10)} ${target} c=${String(opts.connections).padStart(3)}${opts.overallRate ? ` rate=${opts.overallRate}/s` : ''}: ` +
      `${result.rps.toFixed(0).padStart(5)} req/s  p50 ${ms(result.p50)}  p99 ${ms(result.p99)}  non-2xx ${result.non2xx}  errors ${result.errors + result.timeouts}` +
      `  RSS ${(rssMax / 1024).toFixed(0)} MiB` +
      (rows === null ? '' : `  rows ${rows}/${result.status2xx} 2xx${rowsOk ? '' : ' MISMATCH'}`),
  );
  return record;
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  return value >= 100
    ? `${value.toFixed(0)} ms`
    : value >= 10
      ? `${value.toFixed(1)} ms`
      : `${value.toFixed(2)} ms`;
}

interface Summary {
  target: TargetName;
  rounds: number;
  rps: number;
  rpsMin: number;
  rpsMax: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  rssMaxMiB: number;
  serverCpuUsPerReq: number;
  pgCpuUsPerReq: number;
  serverCpuPercent: number;
  /** CPUs used by server + Postgres + load generator together (of nproc). */
  coresUsed: number;
  rowsOk: boolean;
  rows: number;
  ok: number;
}

function summarise(list: Round[], target: TargetName): Summary {
  const mine = list.filter((r) => r.target === target);
  const answered = (r: Round) => r.status2xx + r.non2xx || 1;
  return {
    target,
    rounds: mine.length,
    rps: median(mine.map((r) => r.rps)),
    rpsMin: Math.min(...mine.map((r) => r.rps)),
    rpsMax: Math.max(...mine.map((r) => r.rps)),
    p50: median(mine.map((r) => r.p50)),
    p99: median(mine.map((r) => r.p99)),
    non2xx: mine.reduce((n, r) => n + r.non2xx, 0),
    errors: mine.reduce((n, r) => n + r.errors + r.timeouts, 0),
    rssMaxMiB: Math.max(...mine.map((r) => r.rssMaxKiB)) / 1024,
    serverCpuUsPerReq: median(mine.map((r) => (r.serverCpuMs * 1000) / answered(r))),
    pgCpuUsPerReq: median(mine.map((r) => (r.pgCpuMs * 1000) / answered(r))),
    serverCpuPercent: median(mine.map((r) => r.serverCpuMs / 10 / r.seconds)),
    coresUsed: median(mine.map((r) => (r.serverCpuMs + r.pgCpuMs + r.clientCpuMs) / 1000 / r.seconds)),
    rowsOk: mine.every((r) => r.rowsOk),
    rows: mine.reduce((n, r) => n + (r.rows ?? 0), 0),
    ok: mine.reduce((n, r) => n + r.status2xx, 0),
  };
}

// ---------------------------------------------------------------------------------------------------
// End to end, with a worker.

interface EndToEnd {
  workerConcurrency: number;
  seq: {
    count: number;
    gapMs: number;
    non202: number;
    postP50: number;
    postP99: number;
    queuedToStartedP50: number;
    queuedToStartedP99: number;
    postToStartedP50: number;
    postToStartedP99: number;
    notStarted: number;
  };
  burst: {
    count: number;
    accepted: number;
    postSeconds: number;
    postRps: number;
    drainSeconds: number;
    wallSeconds: number;
    runsPerSecond: number;
    succeeded: number;
    failed: number;
    unfinished: number;
    runMsP50: number;
  };
  dbTimeZone: string;
}

async function endToEnd(): Promise<EndToEnd> {
  // The throughput rounds left their runs queued (no worker): clear them so the worker sees only these.
  await db!.query('truncate graphile_worker._private_jobs');
  await db!.query('truncate "JobRun" cascade');
  const dbTimeZone = (await db!.query<{ TimeZone: string }>('show timezone')).rows[0].TimeZone;
  const workerConcurrency = Number(process.env.WORKER_CONCURRENCY ?? 4);
  const worker = await startService('worker', ['--import', 'tsx', 'worker/main.ts'], {
    env: baseEnv({
      DATABASE_URL: targets.databaseUrl,
      API_KEY_SECRETS: targets.secrets,
      NODE_ENV: 'production',
      WORKER_CONCURRENCY: String(workerConcurrency),
    }),
    logFile: path.join(dataDir, 'worker.log'),
    ready: /started/,
    timeoutMs: 60_000,
  });
  log(`worker started (concurrency ${workerConcurrency})`);
  try {
    // One start at a time: each POST waits until the previous run has started (so nothing is queued
    // ahead of it), then a short gap.
    const sent: { ref: string; sentAt: number; answeredAt: number; status: number }[] = [];
    const waitUntilStarted = async (text: string) => {
      let runId: string | undefined;
      try {
        runId = JSON.parse(text).runId;
      } catch {
        return;
      }
      for (let w = 0; w < 1000 && runId && !interrupted; w++) {
        const { rows } = await db!.query<{ status: string }>('select status from "JobRun" where id = $1', [
          runId,
        ]);
        if (!rows[0] || rows[0].status !== 'queued') return;
        await sleep(10);
      }
    };
    await waitUntilStarted(
      (await post(targets.appPort, { id: JOB_NAME, jobid: 'seq-warmup' }, targets.token)).text,
    );
    for (let i = 0; i < CFG.seqCount && !interrupted; i++) {
      const ref = `seq-${i}`;
      const res = await post(targets.appPort, { id: JOB_NAME, jobid: ref }, targets.token);
      sent.push({ ref, sentAt: res.sentAt, answeredAt: res.answeredAt, status: res.status });
      await waitUntilStarted(res.text);
      await sleep(CFG.seqGapMs);
    }
    type SeqRow = { ref: string; queued: string; started: string | null };
    let rows: SeqRow[] = [];
    for (let i = 0; i < 300 && !interrupted; i++) {
      rows = (
        await db!.query<SeqRow>(
          `select "externalRef" as ref, extract(epoch from "queuedAt") * 1000 as queued, extract(epoch from "startedAt") * 1000 as started
         from "JobRun" where "externalRef" like 'seq-%' and "externalRef" <> 'seq-warmup'`,
        )
      ).rows;
      if (rows.length >= sent.filter((s) => s.status === 202).length && rows.every((r) => r.started !== null))
        break;
      await sleep(100);
    }
    const byRef = new Map(rows.map((r) => [r.ref, r]));
    const queuedToStarted: number[] = [];
    const postToStarted: number[] = [];
    for (const s of sent) {
      const row = byRef.get(s.ref);
      if (!row?.started) continue;
      queuedToStarted.push(Number(row.started) - Number(row.queued));
      postToStarted.push(Number(row.started) - s.sentAt);
    }
    const sortNum = (list: number[]) => Float64Array.from(list).sort();
    const q = sortNum(queuedToStarted);
    const p = sortNum(postToStarted);
    const lat = sortNum(sent.map((s) => s.answeredAt - s.sentAt));
    const seq = {
      count: sent.length,
      gapMs: CFG.seqGapMs,
      non202: sent.filter((s) => s.status !== 202).length,
      postP50: percentile(lat, 50),
      postP99: percentile(lat, 99),
      queuedToStartedP50: percentile(q, 50),
      queuedToStartedP99: percentile(q, 99),
      postToStartedP50: percentile(p, 50),
      postToStartedP99: percentile(p, 99),
      notStarted: sent.length - postToStarted.length,
    };
    log(
      `one at a time (${seq.count}): POST→started p50 ${ms(seq.postToStartedP50)} p99 ${ms(seq.postToStartedP99)}; queuedAt→startedAt p50 ${ms(seq.queuedToStartedP50)} p99 ${ms(seq.queuedToStartedP99)}`,
    );

    // A burst of starts, then the time until every run has finished.
    const wallStart = nowMs();
    const burst = await runLoad({
      url: `http://127.0.0.1:${targets.appPort}${API_PATH}`,
      headers: { 'content-type': 'application/json', 'x-api-key': targets.token },
      body: JSON.stringify({ id: JOB_NAME, jobid: 'burst' }),
      connections: 32,
      amount: CFG.burst,
    });
    type Count = { total: number; done: number; succeeded: number; failed: number };
    let count: Count = { total: 0, done: 0, succeeded: 0, failed: 0 };
    // Bounded from the first POST: in quick mode the whole burst gets at most this long.
    const deadline = wallStart + CFG.drainTimeoutSeconds * 1000;
    while (!interrupted && nowMs() < deadline) {
      count = (
        await db!.query<Count>(
          `select count(*)::int as total, count(*) filter (where status in ('succeeded', 'failed', 'cancelled'))::int as done,
                count(*) filter (where status = 'succeeded')::int as succeeded, count(*) filter (where status = 'failed')::int as failed
         from "JobRun" where "externalRef" = 'burst'`,
        )
      ).rows[0];
      if (count.total >= burst.status2xx && count.done >= count.total) break;
      await sleep(100);
    }
    const wallSeconds = (nowMs() - wallStart) / 1000;
    const span = (
      await db!.query<{ seconds: string | null; run_ms: number | null }>(
        `select extract(epoch from max("finishedAt") - min("queuedAt")) as seconds,
              percentile_cont(0.5) within group (order by extract(epoch from "finishedAt" - "startedAt") * 1000) as run_ms
       from "JobRun" where "externalRef" = 'burst'`,
      )
    ).rows[0];
    // When the harness stopped waiting before the end, the rate is what finished in the time it waited.
    const unfinished = count.total - count.done;
    const drainSeconds = unfinished ? wallSeconds : Number(span.seconds ?? NaN);
    const result = {
      count: CFG.burst,
      accepted: burst.status2xx,
      postSeconds: burst.seconds,
      postRps: burst.status2xx / burst.seconds,
      drainSeconds,
      wallSeconds,
      runsPerSecond: count.done / drainSeconds,
      succeeded: count.succeeded,
      failed: count.failed,
      unfinished,
      runMsP50: Number(span.run_ms ?? NaN),
    };
    log(
      `burst of ${CFG.burst}: ${result.accepted} accepted in ${result.postSeconds.toFixed(1)}s; all finished after ${drainSeconds.toFixed(1)}s (${result.runsPerSecond.toFixed(0)} runs/s; ${result.succeeded} succeeded, ${result.failed} failed, ${result.unfinished} unfinished)`,
    );
    return { workerConcurrency, seq, burst: result, dbTimeZone };
  } finally {
    await stopProc(worker);
  }
}

// ---------------------------------------------------------------------------------------------------
// The run.

async function main() {
  const loadBefore = uptime();
  log(`mode ${CFG.mode}; data in ${dataDir}; ${loadBefore}`);
  const { appRoot, ...build } = await snapshotBuild();
  log(`build ${build.buildId} (${build.builtAt}) copied to ${appRoot}/.next`);
  // Timed from here: waiting for someone else's build does not count.
  const started = Date.now();
  const watchdog = setTimeout(() => {
    console.error(`[bench] still running after ${CFG.watchdogSeconds}s: giving up`);
    process.kill(process.pid, 'SIGTERM');
  }, CFG.watchdogSeconds * 1000).unref();
  targets = await startTargets(appRoot, build);
  db = new pg.Client({ connectionString: targets.databaseUrl });
  db.on('error', () => {});
  await db.connect();
  const idleRss = { A: rssKiB(serverPid('A')) ?? 0, B: rssKiB(serverPid('B')) ?? 0 };
  const appCommand = commandLine(serverPid('B')).replace(/^\S*\/node\b/, 'node');
  log(`B is served by pid ${serverPid('B')}: ${appCommand}`);
  log(
    `ready after ${((Date.now() - started) / 1000).toFixed(0)}s; idle RSS A ${(idleRss.A / 1024).toFixed(0)} MiB, B ${(idleRss.B / 1024).toFixed(0)} MiB`,
  );

  const c = CFG.connections;
  for (const t of ['A', 'B'] as const)
    await round(t, 'warmup', { connections: c, seconds: CFG.warmupSeconds, record: false });
  for (let i = 0; i < CFG.rounds; i++)
    for (const t of ['A', 'B'] as const)
      await round(t, 'main', { connections: c, seconds: CFG.roundSeconds });
  const main32 = rounds.filter((r) => r.phase === 'main');
  const sumA = summarise(main32, 'A');
  const sumB = summarise(main32, 'B');

  for (const conns of CFG.sweep) {
    for (let i = 0; i < CFG.sweepRounds; i++)
      for (const t of ['A', 'B'] as const)
        await round(t, `sweep`, { connections: conns, seconds: CFG.sweepSeconds });
  }

  const halfRate = Math.max(1, Math.round(sumB.rps / 2));
  for (let i = 0; i < CFG.halfRateRounds; i++)
    for (const t of ['A', 'B'] as const)
      await round(t, 'half-rate', { connections: c, seconds: CFG.halfRateSeconds, overallRate: halfRate });

  // Where B's time goes, at one connection (no queueing): a start; a POST without a key (answered 401 by
  // the route's handler: no crypto, no database); a GET (405, through Next.js's own request handling).
  if (CFG.oneConnSeconds)
    for (const t of ['A', 'B'] as const)
      await round(t, 'one-conn', { connections: 1, seconds: CFG.oneConnSeconds });
  for (const t of ['A', 'B'] as const)
    await round(t, 'probe-401', { connections: 1, seconds: CFG.probeSeconds, probe: 'no-key' });
  for (const t of ['A', 'B'] as const)
    await round(t, 'probe-405', { connections: 1, seconds: CFG.probeSeconds, probe: 'get' });

  await stopProc(targets.floor);
  const e2e = await endToEnd();
  const loadAfter = uptime();
  const seconds = (Date.now() - started) / 1000;
  clearTimeout(watchdog);

  const report = writeReport({
    sumA,
    sumB,
    halfRate,
    e2e,
    idleRss,
    loadBefore,
    loadAfter,
    seconds,
    appCommand,
  });
  console.log(`\n${report.console}`);
  log(`wrote bench/RESULTS.md; ${seconds.toFixed(0)}s in all`);
}

// ---------------------------------------------------------------------------------------------------
// The report.

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

function writeReport(r: {
  sumA: Summary;
  sumB: Summary;
  halfRate: number;
  e2e: EndToEnd;
  idleRss: { A: number; B: number };
  loadBefore: string;
  loadAfter: string;
  seconds: number;
  appCommand: string;
}) {
  const { sumA, sumB, e2e } = r;
  const ratio = sumB.rps / sumA.rps;
  const half = {
    A: summarise(
      rounds.filter((x) => x.phase === 'half-rate'),
      'A',
    ),
    B: summarise(
      rounds.filter((x) => x.phase === 'half-rate'),
      'B',
    ),
  };
  const bRounds = rounds.filter((x) => x.target === 'B' && !x.phase.startsWith('probe'));
  const rssUnderLoad = Math.max(...bRounds.map((x) => x.rssMaxKiB)) / 1024;
  const allRowsOk = rounds.every((x) => x.rowsOk);
  const oneConn = rounds.filter((x) => x.connections === 1 && !x.overallRate && !x.phase.startsWith('probe'));
  const one = oneConn.length ? { A: summarise(oneConn, 'A'), B: summarise(oneConn, 'B') } : null;
  const probe = {
    A: summarise(
      rounds.filter((x) => x.phase === 'probe-401'),
      'A',
    ),
    B: summarise(
      rounds.filter((x) => x.phase === 'probe-401'),
      'B',
    ),
  };
  const probeGet = {
    A: summarise(
      rounds.filter((x) => x.phase === 'probe-405'),
      'A',
    ),
    B: summarise(
      rounds.filter((x) => x.phase === 'probe-405'),
      'B',
    ),
  };
  const m = machine();
  const { buildId, builtAt: buildTime } = targets.build;
  const dirty = git([
    'status',
    '--porcelain',
    '--',
    'app',
    'server',
    'lib',
    'scripts',
    'worker',
    'prisma',
    'next.config.ts',
  ])
    .split('\n')
    .filter(Boolean).length;

  const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '-');
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const halfMissed = Math.min(half.A.rps, half.B.rps) < r.halfRate * 0.95;
  const targetsRows = [
    [
      `B/A at ${CFG.connections} connections ≥ 0.5, no errors`,
      `${ratio.toFixed(2)} (B ${f0(sumB.rps)} / A ${f0(sumA.rps)} req/s), B non-2xx ${sumB.non2xx}, errors ${sumB.errors}`,
      mark(ratio >= 0.5 && sumB.non2xx === 0 && sumB.errors === 0),
    ],
    [
      `p99 at half of B's rate (${r.halfRate}/s) within 5 ms of A's`,
      `B ${ms(half.B.p99)} vs A ${ms(half.A.p99)} (${(half.B.p99 - half.A.p99 >= 0 ? '+' : '') + (half.B.p99 - half.A.p99).toFixed(2)} ms)` +
        (halfMissed
          ? `; **the rate was not reached** (A ${f0(half.A.rps)}/s, B ${f0(half.B.rps)}/s): the machine had less CPU than in the 32-connection rounds, so these are saturated latencies`
          : ''),
      halfMissed ? 'not measured' : mark(half.B.p99 - half.A.p99 <= 5),
    ],
    [
      'app RSS under load ≤ 300 MiB',
      `${rssUnderLoad.toFixed(0)} MiB (idle ${(r.idleRss.B / 1024).toFixed(0)} MiB)`,
      mark(rssUnderLoad <= 300),
    ],
    [
      'POST → run started ≤ 20 ms at p50',
      `${ms(e2e.seq.postToStartedP50)} (queuedAt → startedAt ${ms(e2e.seq.queuedToStartedP50)})`,
      mark(e2e.seq.postToStartedP50 <= 20),
    ],
    ['runs written = 2xx answers, every round', allRowsOk ? 'yes' : 'NO: see the rounds', mark(allRowsOk)],
  ];

  const table = (head: string[], body: string[][]) =>
    [
      `| ${head.join(' | ')} |`,
      `| ${head.map(() => '---').join(' | ')} |`,
      ...body.map((row) => `| ${row.join(' | ')} |`),
    ].join('\n');
  const sumRow = (s: Summary, label: string) => [
    label,
    `${f0(s.rps)} (${f0(s.rpsMin)}–${f0(s.rpsMax)})`,
    ms(s.p50),
    ms(s.p99),
    String(s.non2xx),
    String(s.errors),
    `${s.rssMaxMiB.toFixed(0)} MiB`,
    `${f0(s.serverCpuUsPerReq)} µs`,
    `${f0(s.pgCpuUsPerReq)} µs`,
    `${f0(s.serverCpuPercent)}%`,
    s.rowsOk
      ? `yes: ${s.rows} rows, ${s.ok} 2xx + ${s.rows - s.ok} cut off at round ends`
      : `NO: ${s.rows} rows, ${s.ok} 2xx`,
  ];
  const head = [
    'target',
    'req/s median (min–max)',
    'p50',
    'p99',
    'non-2xx',
    'errors',
    'RSS max',
    'server CPU/req',
    'Postgres CPU/req',
    'server CPU',
    'runs = 2xx',
  ];
  const mainTable = table(head, [sumRow(sumA, 'A floor'), sumRow(sumB, 'B app')]);

  const sweepConns = [
    ...new Set(rounds.filter((x) => x.phase === 'sweep' || x.phase === 'main').map((x) => x.connections)),
  ].sort((a, b) => a - b);
  const sweepTable = CFG.sweep.length
    ? table(
        ['connections', 'A req/s', 'B req/s', 'B/A', 'A p50', 'B p50', 'A p99', 'B p99', 'B RSS max'],
        sweepConns.map((conns) => {
          const list = rounds.filter(
            (x) => (x.phase === 'sweep' || x.phase === 'main') && x.connections === conns,
          );
          const a = summarise(list, 'A');
          const b = summarise(list, 'B');
          return [
            String(conns),
            f0(a.rps),
            f0(b.rps),
            (b.rps / a.rps).toFixed(2),
            ms(a.p50),
            ms(b.p50),
            ms(a.p99),
            ms(b.p99),
            `${b.rssMaxMiB.toFixed(0)} MiB`,
          ];
        }),
      )
    : '';
  const halfTable = table(
    ['target', 'rate', 'achieved req/s', 'p50', 'p99', 'non-2xx'],
    (['A', 'B'] as const).map((t) => [
      t,
      `${r.halfRate}/s`,
      f0(half[t].rps),
      ms(half[t].p50),
      ms(half[t].p99),
      String(half[t].non2xx),
    ]),
  );

  const a1 =
    one?.A ??
    summarise(
      rounds.filter((x) => x.phase === 'sweep' && x.connections === 1),
      'A',
    );
  const b1 =
    one?.B ??
    summarise(
      rounds.filter((x) => x.phase === 'sweep' && x.connections === 1),
      'B',
    );
  const extra = b1.p50 - a1.p50;
  const where = [
    `Serving process of B: \`${r.appCommand}\`.`,
    '',
    table(
      [
        'at 1 connection, p50',
        'A',
        'B',
        'B − A',
        'server CPU/req A',
        'server CPU/req B',
        'Postgres CPU/req A',
        'Postgres CPU/req B',
      ],
      [
        [
          'start (202)',
          ms(a1.p50),
          ms(b1.p50),
          ms(extra),
          `${f0(a1.serverCpuUsPerReq)} µs`,
          `${f0(b1.serverCpuUsPerReq)} µs`,
          `${f0(a1.pgCpuUsPerReq)} µs`,
          `${f0(b1.pgCpuUsPerReq)} µs`,
        ],
        [
          'POST without key (401: no crypto, no database)',
          ms(probe.A.p50),
          ms(probe.B.p50),
          ms(probe.B.p50 - probe.A.p50),
          `${f0(probe.A.serverCpuUsPerReq)} µs`,
          `${f0(probe.B.serverCpuUsPerReq)} µs`,
          '-',
          '-',
        ],
        [
          'GET (405; B: through Next.js routing)',
          ms(probeGet.A.p50),
          ms(probeGet.B.p50),
          ms(probeGet.B.p50 - probeGet.A.p50),
          `${f0(probeGet.A.serverCpuUsPerReq)} µs`,
          `${f0(probeGet.B.serverCpuUsPerReq)} µs`,
          '-',
          '-',
        ],
      ],
    ),
    '',
    `B − A at 1 connection, p50: ${ms(extra)} for a start, ${ms(probe.B.p50 - probe.A.p50)} for a POST refused before any crypto or database work (401). In server CPU per request, B − A: ${f0(probe.B.serverCpuUsPerReq - probe.A.serverCpuUsPerReq)} µs for the refused POST, which is the handling around the handler (node:http to a web Request and back, the wrapper, problem+json); ${f0(b1.serverCpuUsPerReq - a1.serverCpuUsPerReq)} µs for a full start, so ${f0(b1.serverCpuUsPerReq - a1.serverCpuUsPerReq - (probe.B.serverCpuUsPerReq - probe.A.serverCpuUsPerReq))} µs for the start's own work (token, key and job, validation, the insert, the response). A GET through Next.js's router costs B ${f0(probeGet.B.serverCpuUsPerReq)} µs of CPU: what the hot path skips, and what every other route still pays.`,
    `At ${CFG.connections} connections the server spends ${f0(sumA.serverCpuUsPerReq)} µs of CPU per start on A and ${f0(sumB.serverCpuUsPerReq)} µs on B; Postgres ${f0(sumA.pgCpuUsPerReq)} µs on A (three queries a start: key row, job row, etl_start_run) and ${f0(sumB.pgCpuUsPerReq)} µs on B. With server, Postgres and the load generator sharing ${m.nproc} CPUs, CPU per start is what bounds the rate.`,
  ].join('\n');

  const e2eTable = table(
    ['measure', 'p50', 'p99'],
    [
      [
        'POST → run startedAt (client clock → row)',
        ms(e2e.seq.postToStartedP50),
        ms(e2e.seq.postToStartedP99),
      ],
      [
        'queuedAt → startedAt (both in the row)',
        ms(e2e.seq.queuedToStartedP50),
        ms(e2e.seq.queuedToStartedP99),
      ],
      ['POST answered (client)', ms(e2e.seq.postP50), ms(e2e.seq.postP99)],
    ],
  );
  const b = e2e.burst;
  const burstLine = b.unfinished
    ? `Burst of ${b.count} starts of \`${JOB_NAME}\` (command \`true\`) at 32 connections with the worker running: ${b.accepted} accepted in ${b.postSeconds.toFixed(1)} s (${f0(b.postRps)} req/s); **${b.unfinished} still unfinished** when the harness stopped waiting after ${b.wallSeconds.toFixed(0)} s: ${b.succeeded + b.failed} finished, **${b.runsPerSecond.toFixed(0)} runs/s** (${b.succeeded} succeeded, ${b.failed} failed).`
    : `Burst of ${b.count} starts of \`${JOB_NAME}\` (command \`true\`) at 32 connections with the worker running: ${b.accepted} accepted in ${b.postSeconds.toFixed(1)} s (${f0(b.postRps)} req/s); from the first run queued to the last finished ${b.drainSeconds.toFixed(1)} s, **${b.runsPerSecond.toFixed(0)} runs/s** (${b.succeeded} succeeded, ${b.failed} failed); a run took p50 ${ms(b.runMsP50)} from startedAt to finishedAt, with ${e2e.workerConcurrency} at a time.`;

  const roundsTable = table(
    [
      'phase',
      'target',
      'conns',
      'rate',
      'req/s',
      'p50',
      'p99',
      'non-2xx',
      'errors',
      'RSS max',
      'rows / 2xx / rows of cut-off requests',
    ],
    rounds.map((x) => [
      x.phase,
      x.target,
      String(x.connections),
      x.overallRate ? `${x.overallRate}/s` : '-',
      f0(x.rps),
      ms(x.p50),
      ms(x.p99),
      String(x.non2xx),
      String(x.errors + x.timeouts),
      `${(x.rssMaxKiB / 1024).toFixed(0)} MiB`,
      x.rows === null
        ? '-'
        : `${x.rows} / ${x.status2xx} / ${x.rows - x.status2xx}${x.rowsOk ? '' : ' MISMATCH'}`,
    ]),
  );

  const md = `# Benchmark results: \`npm run bench${quick ? ' -- --quick' : ''}\`

Taken ${new Date().toISOString()} in ${r.seconds.toFixed(0)} s (not counting any wait for a build), mode **${CFG.mode}**.

Machine: ${m.nproc} CPUs (\`nproc\`), ${m.cpuModel}, ${m.memory} memory, Node ${m.node}, Linux ${m.kernel}.
Load before: \`${r.loadBefore}\`
Load after: \`${r.loadAfter}\`
${/load average: (\d+(\.\d+)?)/.test(r.loadBefore) && Number(r.loadBefore.match(/load average: (\d+(\.\d+)?)/)![1]) > m.nproc ? `\n**The machine was busy** (load average above its ${m.nproc} CPUs: other builds and tests were running), so absolute figures are low and noisy; A and B alternate round by round, so the ratio suffers less than the absolutes.\n` : ''}
Build: \`.next/BUILD_ID\` ${buildId}, built ${buildTime}, run from a private copy of \`.next\`; git HEAD ${git(['rev-parse', '--short', 'HEAD'])}${dirty ? ` with ${dirty} uncommitted change(s) in app code (the build holds whatever was in the tree when it was made)` : ''}.

## Setup

- A fresh embedded Postgres in a temporary DATA_DIR; the app (B) started by the launcher (\`scripts/start.ts\`, i.e. \`npm start\`) with **\`START_WORKER=false\` during the throughput rounds**, so no worker competes for the CPUs (runs stay queued; the end-to-end part starts a worker).
- Key made by \`npm run admin -- key create ... --rate-limit 0\`; job \`${JOB_NAME}\`: \`{"type":"command","config":{"command":"true"},"concurrency":"parallel"}\`.
- A, the floor (\`bench/floor.ts\`): \`node:http\` + \`jose\` + \`pg\`, pool of 10 like the app; per request it reads the body, verifies the token (HS256, secret by kid), **loads the key row by id** (no cache) and compares the SHA-256 digest (\`timingSafeEqual\`), loads the job by name, calls \`etl_start_run\` (run row + queue entry in one transaction) and answers 202: three queries per start.
- B, the product: \`POST ${API_PATH}\` with \`x-api-key\`, body \`{"id":"${JOB_NAME}","jobid":"<round>"}\`.
- autocannon ${CFG.connections} connections, ${CFG.warmupSeconds} s warm-up each, then A, B, A, B, ... ${CFG.rounds} rounds each of ${CFG.roundSeconds} s. autocannon runs in the harness process on the same CPUs as both servers and Postgres. Latency percentiles are computed from every 2xx response time (unrounded); RSS is the max of VmRSS of the serving process (the one listening on the port) sampled every 200 ms. Runs written are counted by the round's \`jobid\` (stored as externalRef): every 2xx has its row, and the only extra rows are of requests cut off unanswered when the round stopped (at most one per connection).

## Targets (issue 6)

${table(['target', 'measured', ''], targetsRows)}

## Throughput at ${CFG.connections} connections: **B/A = ${ratio.toFixed(2)}**

${mainTable}

CPU per request = the process's user+system CPU during the round / answers; Postgres = all its processes. Server CPU is the share of one CPU the server got. Server, Postgres and autocannon together used ${sumA.coresUsed.toFixed(2)} CPUs in A's rounds and ${sumB.coresUsed.toFixed(2)} in B's, of ${m.nproc}${Math.max(sumA.coresUsed, sumB.coresUsed) < m.nproc * 0.75 ? ': the rest went to other work on the machine, so these rounds were starved' : ''}.
${sweepTable ? `\n## Sweep (median of the rounds at each connection count)\n\n${sweepTable}\n` : ''}
## p99 at half of B's rate

Both at a steady ${r.halfRate} req/s (one request every ${(1000 / r.halfRate).toFixed(1)} ms, open loop, latency counted from each request's due time), over at most ${CFG.connections} keep-alive connections, ${CFG.halfRateSeconds} s × ${CFG.halfRateRounds}; nothing is cut off at the end, so rows must equal 2xx exactly. Not autocannon's \`overallRate\`: it sends each second's quota at once at the top of the second (a burst of ${r.halfRate} every second), which measures how fast a burst drains, not latency at half load.

${halfTable}

## Where B spends its time

${where}

## End to end (worker running, concurrency ${e2e.workerConcurrency})

${e2e.seq.count} starts one at a time (each POST after the previous run started, plus ${e2e.seq.gapMs} ms; ${e2e.seq.non202} not 202, ${e2e.seq.notStarted} not started):

${e2eTable}

${burstLine}

Postgres TimeZone: ${e2e.dbTimeZone} (\`queuedAt\` is CURRENT_TIMESTAMP, \`startedAt\` is now() at time zone 'utc'; they agree only in UTC).

## Every round

${roundsTable}
`;
  writeFileSync(path.join(root, 'bench', 'RESULTS.md'), md);

  const consoleOut = [
    `mode ${CFG.mode} · ${m.nproc} CPUs ${m.cpuModel} · ${m.memory} · Node ${m.node} · ${r.loadBefore.replace(/^.*load average/, 'load average')}`,
    '',
    mainTable,
    '',
    `B/A = ${ratio.toFixed(2)}   (CPUs used by server + Postgres + autocannon: A ${sumA.coresUsed.toFixed(2)}, B ${sumB.coresUsed.toFixed(2)} of ${m.nproc})`,
    '',
    sweepTable,
    halfTable,
    '',
    where,
    '',
    e2eTable,
    '',
    burstLine,
    '',
    table(['target', 'measured', ''], targetsRows),
  ]
    .filter((line, i, all) => !(line === '' && all[i - 1] === ''))
    .join('\n');
  return { console: consoleOut };
}

main()
  .catch((error) => {
    if (!interrupted) {
      console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
      keepLogs();
    }
    process.exitCode = 1;
  })
  .finally(async () => {
    if (!interrupted) await cleanup();
    if (!interrupted) process.exit(process.exitCode ?? 0);
  });

/** On failure the temporary folder is removed too; keep its *.log files beside it. */
function keepLogs() {
  const logs = ['app.log', 'floor.log', 'worker.log'].filter((name) => existsSync(path.join(dataDir, name)));
  if (logs.length === 0) return;
  const dest = mkdtempSync(path.join(os.tmpdir(), 'etl-bench-logs-'));
  for (const name of logs) writeFileSync(path.join(dest, name), readFileSync(path.join(dataDir, name)));
  console.error(`[bench] copied the logs of the processes it started to ${dest}`);
}
