// npm run bench -- --worker: the worker as shipped (default settings: the sandbox COMMAND_SANDBOX gives by
// default, fair share on, nothing lifted) beside two floors, on a fresh embedded Postgres. A burst of RUNS
// runs of one organisation's command job `true` (all queued in one transaction) drained by one worker
// process (worker/main.ts) at concurrency 8. The floors (bench/worker-floor.ts) are a bare
// graphile-worker task that spawns `true`, bare or in a minimal bubblewrap sandbox, and writes a finished
// row. Then the flood: one organisation's 160 runs of `sleep 0.25` and a second organisation's runs
// queued behind them. Writes bench/WORKER-RESULTS.md. Everything it starts, it stops.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations } from '../server/db/migrate';
import { applyGrants } from '../server/db/roles';
import { startEmbeddedPostgres } from '../server/runtime/embedded-postgres';
import { cpuMs, machine, processTree, uptime } from '../testkit/proc-fs';
import { isolatedEnv, startService, stopAllProcs, stopProc } from '../testkit/processes';
import { segmentTable, traceSegments, type Segment } from './worker-trace';

const RUNS = Number(process.env.BENCH_WORKER_RUNS ?? 400);
const FLOOD_RUNS = 160;
const FLOOD_OTHER_RUNS = 8;
/** Another checkout (its node_modules in place): its worker runs beside this one's, for a before/after. */
const BASELINE = process.env.BENCH_WORKER_BASELINE;
const CONCURRENCY = 8;
const root = path.resolve(import.meta.dirname, '..');
const log = (line: string) => console.log(`[bench:worker] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Phase {
  name: string;
  label: string;
  runs: number;
  unfinished: number;
  failed: number;
  drainSeconds: number;
  runsPerSecond: number;
  /** claim (startedAt) → finishedAt, ms */
  claimToFinished: number[];
  /** spawn → exit as the worker measured it, ms (worker only) */
  processMs: number[];
  overheadMs: number[];
  cpuMsPerRun: { worker: number; postgres: number };
  /** Postgres transactions committed per run (each autocommit statement is one): round trips that write. */
  xactsPerRun: number;
  /** Where a run's time goes in the worker (bench/worker-trace.ts); none for the floor. */
  segments: Segment[];
  /** The machine's load as the phase began (uptime): it is shared. */
  load: string;
}

const XACTS = `select xact_commit::float as n from pg_stat_database where datname = current_database()`;

const INSERT_RUNS = `insert into "JobRun" (id, "orgId", "jobId", trigger, "externalRef")
    select gen_random_uuid(), $1::uuid, $2::uuid, 'api', $3 from generate_series(1, $4) returning id::text`;

/**
 * `count` runs of a job in one transaction: the product's task queued as its start path queues it
 * (etl_enqueue_runs, with fair share's priority), a floor's task plainly.
 */
async function enqueue(
  db: pg.Client,
  ids: { orgId: string; jobId: string },
  label: string,
  count: number,
  task: string,
): Promise<number> {
  await db.query('begin');
  try {
    const runIds = (await db.query(INSERT_RUNS, [ids.orgId, ids.jobId, label, count])).rows.map((r) => r.id);
    if (task === 'execute-run') await db.query('select etl_enqueue_runs($1::uuid[])', [runIds]);
    else
      await db.query(
        `select graphile_worker.add_job($1, json_build_object('runId', id), max_attempts => 1) from unnest($2::text[]) id`,
        [task, runIds],
      );
    await db.query('commit');
    return runIds.length;
  } catch (error) {
    await db.query('rollback');
    throw error;
  }
}

const RESULTS = `select r.id, extract(epoch from r."startedAt") * 1000 as started, extract(epoch from r."finishedAt") * 1000 as finished,
    r.status, (select substring(l.text from 'after ([0-9.]+) ms$') from "RunLog" l
      where l."runId" = r.id and l.stream = 'system' and l.text like 'process %' order by l.seq desc limit 1) as process
  from "JobRun" r where r."externalRef" = $1`;

async function phase(
  db: pg.Client,
  ids: { orgId: string; jobId: string },
  name: string,
  label: string,
  start: () => Promise<{
    pid: number;
    stop(): Promise<void>;
    processMs?(): Record<string, number>;
    segments?(): Segment[];
  }>,
  task: string,
  postgresPid: number,
): Promise<Phase> {
  const proc = await start();
  await sleep(1000); // let it settle (LISTEN, first poll)
  const load = uptime();
  const cpu0 = { worker: cpuMs(processTree(proc.pid)), postgres: cpuMs(processTree(postgresPid)) };
  const xact0 = (await db.query(XACTS)).rows[0].n as number;
  const n = await enqueue(db, ids, label, RUNS, task);
  log(`${name}: ${n} runs queued`);
  const deadline = Date.now() + 180_000;
  let done = 0;
  let polls = 0;
  while (Date.now() < deadline) {
    polls++;
    const { rows } = await db.query(
      `select count(*)::int as n from "JobRun" where "externalRef" = $1 and "finishedAt" is not null`,
      [label],
    );
    done = rows[0].n;
    if (done >= RUNS) break;
    await sleep(200);
  }
  const cpu1 = { worker: cpuMs(processTree(proc.pid)), postgres: cpuMs(processTree(postgresPid)) };
  await sleep(1000); // Postgres publishes its counters about once a second
  // Less our own: the first count, the enqueue's transaction and the polls.
  const xacts = ((await db.query(XACTS)).rows[0].n as number) - xact0 - polls - 2;
  await proc.stop();
  const own = proc.processMs?.() ?? {};
  const rows = (await db.query(RESULTS, [label])).rows.map((r) => ({
    ...r,
    process: r.process ?? own[r.id],
  })) as {
    started: string | null;
    finished: string | null;
    status: string;
    process: string | null;
  }[];
  const finished = rows.filter((r) => r.started && r.finished);
  const started = Math.min(...finished.map((r) => Number(r.started)));
  const last = Math.max(...finished.map((r) => Number(r.finished)));
  const drainSeconds = (last - started) / 1000;
  const claimToFinished = finished.map((r) => Number(r.finished) - Number(r.started));
  const processMs = finished.filter((r) => r.process).map((r) => Number(r.process));
  const overheadMs = finished
    .filter((r) => r.process)
    .map((r) => Number(r.finished) - Number(r.started) - Number(r.process));
  const result: Phase = {
    name,
    label,
    runs: rows.length,
    unfinished: RUNS - done,
    failed: rows.filter((r) => r.status === 'failed').length,
    drainSeconds,
    runsPerSecond: finished.length / drainSeconds,
    claimToFinished,
    processMs,
    overheadMs,
    xactsPerRun: xacts / Math.max(1, done),
    segments: proc.segments?.() ?? [],
    load,
    cpuMsPerRun: {
      worker: (cpu1.worker - cpu0.worker) / Math.max(1, done),
      postgres: (cpu1.postgres - cpu0.postgres) / Math.max(1, done),
    },
  };
  log(
    `${name}: ${finished.length} finished in ${drainSeconds.toFixed(1)} s = ${result.runsPerSecond.toFixed(0)} runs/s; overhead p50 ${p(overheadMs, 50)}`,
  );
  return result;
}

function baselineCommit(): string {
  try {
    return execFileSync('git', ['-C', BASELINE!, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).trim();
  } catch {
    return BASELINE!; // not a git checkout (an export of one)
  }
}

const percentile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((q / 100) * sorted.length) - 1))];
};
const p = (values: number[], q: number) => (values.length ? `${percentile(values, q).toFixed(1)} ms` : '-');

export async function benchWorker(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'etl-bench-worker-'));
  const pgHandle = await startEmbeddedPostgres(dataDir);
  const db = new pg.Client({ connectionString: pgHandle.url });
  try {
    await applyMigrations(pgHandle.url);
    await applyGrants(pgHandle.url, { web: pgHandle.webUrl, worker: pgHandle.workerUrl });
    await db.connect();
    // The postmaster is the parent of every backend: its tree is all of Postgres.
    const pgRoot = Number(
      readFileSync(path.join(pgHandle.dataFolder!, 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    const ids = (
      await db.query(`with org as (insert into "Organization" (id, slug, name, "commandJobsRole") values (gen_random_uuid(), 'bench', 'Bench', 'admin') returning id)
        insert into "Job" (id, "orgId", name, type, config, concurrency, "updatedAt")
        select gen_random_uuid(), org.id, 'bench-true', 'command', '{"command":"true"}', 'parallel', now() from org
        returning id as "jobId", "orgId"`)
    ).rows[0] as { orgId: string; jobId: string };
    const before = uptime();
    const env = (extra: Record<string, string>) =>
      isolatedEnv({ DATABASE_URL: pgHandle.workerUrl!, DATA_DIR: dataDir, ...extra });
    const service = async (
      name: string,
      script: string,
      ready: RegExp,
      extra: Record<string, string>,
      cwd = root,
    ) => {
      const proc = await startService(name, ['--import', 'tsx', script], {
        cwd,
        env: env(extra),
        logFile: path.join(dataDir, `${name}.log`),
        ready,
        timeoutMs: 60_000,
      });
      return { pid: proc.pid, stop: () => stopProc(proc) };
    };
    const worker =
      (cwd = root) =>
      async () => {
        const name = `worker${cwd === root ? '' : '-baseline'}`;
        const traceFile = path.join(dataDir, `trace-${name}.json`);
        // Defaults: no COMMAND_*, no ORG_MAX_CONCURRENT_RUNS, only the slots and the bench's trace.
        const settings = { WORKER_CONCURRENCY: String(CONCURRENCY), WORKER_TRACE_FILE: traceFile };
        return {
          ...(await service(name, 'worker/main.ts', /worker \S+ started/, settings, cwd)),
          segments: () => traceSegments(traceFile),
        };
      };
    const floor = (sandbox: 'none' | 'bubblewrap') => async () => {
      const statsFile = path.join(dataDir, `floor-${sandbox}-stats.json`);
      return {
        ...(await service(`floor-${sandbox}`, 'bench/worker-floor.ts', /floor ready/, {
          CONCURRENCY: String(CONCURRENCY),
          FLOOR_SANDBOX: sandbox,
          STATS_FILE: statsFile,
        })),
        processMs: () => JSON.parse(readFileSync(statsFile, 'utf8')) as Record<string, number>,
      };
    };

    const phases: Phase[] = [];
    phases.push(await phase(db, ids, 'floor, bare spawn', 'floor', floor('none'), 'bench-floor', pgRoot));
    phases.push(
      await phase(db, ids, 'floor, bubblewrap', 'floor-bwrap', floor('bubblewrap'), 'bench-floor', pgRoot),
    );
    // The baseline first, then this checkout's worker, back to back.
    if (BASELINE) {
      const start = worker(path.resolve(BASELINE));
      phases.push(await phase(db, ids, 'baseline worker', 'base', start, 'execute-run', pgRoot));
    }
    phases.push(await phase(db, ids, 'worker, defaults', 'worker', worker(), 'execute-run', pgRoot));
    const floodResult = await flood(db, worker());
    const md = report(phases, floodResult, before, uptime());
    writeFileSync(path.join(root, 'bench', 'WORKER-RESULTS.md'), md);
    console.log(md);
  } finally {
    await stopAllProcs();
    await db.end().catch(() => {});
    await pgHandle.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Flood {
  load: string;
  /** Organisation A's runs/s over its drain, and the most of its runs running at once. */
  aRate: number;
  aMostRunning: number;
  /** A's runs still queued when B's were queued, and how many of A's started before B's first. */
  aQueuedAtB: number;
  aStartedBeforeB: number;
  /** B's runs: queued (the bench's clock, at commit) to started, ms. */
  bWaitMs: number[];
  failed: number;
}

/** One organisation's flood of `sleep 0.25` runs, and a second organisation's queued behind it. */
async function flood(
  db: pg.Client,
  start: () => Promise<{ pid: number; stop(): Promise<void> }>,
): Promise<Flood> {
  const job = async (slug: string) =>
    (
      await db.query(
        `with org as (insert into "Organization" (id, slug, name) values (gen_random_uuid(), $1, $1) returning id)
        insert into "Job" (id, "orgId", name, type, config, concurrency, "updatedAt")
        select gen_random_uuid(), org.id, 'sleep', 'command', '{"command":"sleep","args":["0.25"]}', 'parallel', now() from org
        returning id as "jobId", "orgId"`,
        [slug],
      )
    ).rows[0] as { orgId: string; jobId: string };
  const a = await job('flood-a');
  const b = await job('flood-b');
  const proc = await start();
  await sleep(1000);
  const load = uptime();
  await enqueue(db, a, 'flood-a', FLOOD_RUNS, 'execute-run');
  const count = async (label: string, where: string) =>
    (await db.query(`select count(*)::int as n from "JobRun" where "externalRef" = $1 and ${where}`, [label]))
      .rows[0].n as number;
  while ((await count('flood-a', `"startedAt" is not null`)) === 0) await sleep(20);
  const aQueuedAtB = await count('flood-a', `status = 'queued'`);
  const bQueuedAt = Date.now(); // before the enqueue's commit: the wait is an upper bound
  await enqueue(db, b, 'flood-b', FLOOD_OTHER_RUNS, 'execute-run');
  log(
    `flood: ${FLOOD_RUNS} runs of organisation A queued, then ${FLOOD_OTHER_RUNS} of B (${aQueuedAtB} of A's still queued)`,
  );
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const done =
      (await count('flood-a', `"finishedAt" is not null`)) +
      (await count('flood-b', `"finishedAt" is not null`));
    if (done >= FLOOD_RUNS + FLOOD_OTHER_RUNS) break;
    await sleep(200);
  }
  await proc.stop();
  const times = async (label: string) =>
    (
      await db.query(
        `select extract(epoch from "startedAt") * 1000 as s, extract(epoch from "finishedAt") * 1000 as f, status::text
         from "JobRun" where "externalRef" = $1`,
        [label],
      )
    ).rows.map((r) => ({ s: Number(r.s), f: Number(r.f), status: r.status as string }));
  const aRuns = (await times('flood-a')).filter((r) => r.s && r.f);
  const bRuns = await times('flood-b');
  const bFirst = Math.min(...bRuns.map((r) => r.s));
  // The most of A's runs running at once: a sweep over starts and ends.
  const events = aRuns
    .flatMap((r) => [
      [r.s, 1],
      [r.f, -1],
    ])
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let running = 0;
  let most = 0;
  for (const [, delta] of events) most = Math.max(most, (running += delta));
  const aDrain = (Math.max(...aRuns.map((r) => r.f)) - Math.min(...aRuns.map((r) => r.s))) / 1000;
  const result: Flood = {
    load,
    aRate: aRuns.length / aDrain,
    aMostRunning: most,
    aQueuedAtB,
    aStartedBeforeB: aRuns.filter((r) => r.s < bFirst).length,
    bWaitMs: bRuns.map((r) => r.s - bQueuedAt),
    failed: [...aRuns, ...bRuns].filter((r) => r.status !== 'succeeded').length,
  };
  log(
    `flood: A ${result.aRate.toFixed(1)} runs/s, ${most} at once; B's runs started ${p(result.bWaitMs, 0)} to ${p(result.bWaitMs, 100)} after queueing`,
  );
  return result;
}

function report(phases: Phase[], fl: Flood, before: string, after: string): string {
  const [bare, sandboxed, ...workers] = phases;
  const m = machine();
  const row = (ph: Phase) =>
    `| ${ph.name} | ${ph.runsPerSecond.toFixed(0)} | ${(ph.runsPerSecond / sandboxed.runsPerSecond).toFixed(2)} | ${p(ph.claimToFinished, 50)} | ${p(ph.claimToFinished, 99)} | ${p(ph.processMs, 50)} | ${p(ph.overheadMs, 50)} | ${p(ph.overheadMs, 99)} | ${ph.cpuMsPerRun.worker.toFixed(2)} ms | ${ph.cpuMsPerRun.postgres.toFixed(2)} ms | ${ph.xactsPerRun.toFixed(2)} | ${ph.failed} | ${ph.unfinished} | \`${ph.load.replace(/^.*load average: /, '')}\` |`;
  const target = (ph: Phase) => {
    const o = percentile(ph.overheadMs, 50);
    const beyond = percentile(ph.claimToFinished, 50) - percentile(sandboxed.processMs, 50);
    const r = ph.runsPerSecond / sandboxed.runsPerSecond;
    const overhead = Number.isFinite(o) ? `${o.toFixed(1)} ms` : '-';
    return `| ${ph.name} | ${r.toFixed(2)}× ≥ 0.5×: **${r >= 0.5 ? 'met' : 'not met'}** | ${overhead}; claim→finished p50 − the sandboxed floor's process p50 = ${beyond.toFixed(1)} ms; ≤ 10 ms: **${o <= 10 ? 'met' : 'not met'}** | ${ph.unfinished === 0 && ph.failed === 0 ? 'all succeeded' : `${ph.failed} failed, ${ph.unfinished} unfinished`} |`;
  };
  const bMax = percentile(fl.bWaitMs, 100);
  return `# Worker benchmark: \`npm run bench -- --worker\`

Taken ${new Date().toISOString()}. Machine: ${m.nproc} CPUs, ${m.cpuModel}, Node ${m.node}, Linux ${m.kernel}.
Load before: \`${before}\`; after: \`${after}\` (the machine is shared: each phase's load is in its row).

A burst of ${RUNS} runs of one organisation's command job \`true\` (queued in one transaction: run rows
and queue entries, as the start path writes them), drained by one process at concurrency ${CONCURRENCY},
on a fresh embedded Postgres. The worker is \`worker/main.ts\` as \`npm run worker\` starts it, as the
worker role, **on default settings**: the sandbox \`COMMAND_SANDBOX\` gives by default, fair share on,
no quota, nothing lifted (only \`WORKER_CONCURRENCY=${CONCURRENCY}\` and the bench's trace file).${BASELINE ? ` The "baseline" row is the worker of another checkout (\`BENCH_WORKER_BASELINE\`, at ${baselineCommit()}), on the same database.` : ''}
The floors (\`bench/worker-floor.ts\`) are a bare graphile-worker task with the worker's queue settings
(\`worker/queue-options.ts\`) that spawns \`true\` and writes the finished row in one statement: bare,
and in a minimal bubblewrap sandbox (\`bwrap --ro-bind / / --unshare-all --die-with-parent true\`).

- throughput: runs finished / (last finishedAt − first startedAt); "× sandboxed floor" divides by the
  bubblewrap floor's;
- claim → finished: finishedAt − startedAt of each run (database clock, ms precision);
- process: spawn → exit of the run's process as the worker measured it (its log line \`process exited
  with code 0 after N ms\`; the floors measure the same around their \`spawn\`): under a sandbox that
  includes its set-up and tear-down;
- overhead = claim → finished − process: what the worker adds to a run beyond its sandboxed process.

## Targets

| worker | throughput × the sandboxed floor | overhead p50 | runs |
| --- | --- | --- | --- |
${workers
  .filter((ph) => !ph.name.startsWith('baseline'))
  .map(target)
  .join('\n')}

The bare floor drains ${bare.runsPerSecond.toFixed(0)} runs/s, the sandboxed floor ${sandboxed.runsPerSecond.toFixed(0)}
(the sandbox alone: ${(sandboxed.runsPerSecond / bare.runsPerSecond).toFixed(2)}× the bare spawn's rate).

## Figures

| phase | runs/s | × sandboxed floor | claim→finished p50 | p99 | process p50 | overhead p50 | overhead p99 | worker CPU/run | Postgres CPU/run | transactions/run | failed | unfinished | load at start |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${phases.map(row).join('\n')}

## The flood: two organisations, default settings

Organisation A queues ${FLOOD_RUNS} runs of \`sleep 0.25\` in one transaction; once its first run has
started, organisation B queues ${FLOOD_OTHER_RUNS} (${fl.aQueuedAtB} of A's were still queued). Load at
start: \`${fl.load.replace(/^.*load average: /, '')}\`.

| figure | value | target |
| --- | --- | --- |
| A's throughput | ${fl.aRate.toFixed(1)} runs/s | ≥ 0.75 × 32 = 24 runs/s: **${fl.aRate >= 24 ? 'met' : 'not met'}** |
| most of A's runs running at once | ${fl.aMostRunning} | ${CONCURRENCY} (every slot) |
| B's runs: queued → started | first ${p(fl.bWaitMs, 0)}, p50 ${p(fl.bWaitMs, 50)}, last ${p(fl.bWaitMs, 100)} | ≤ 1.5 s: **${bMax <= 1500 ? 'met' : 'not met'}** |
| A's runs started before B's first | ${fl.aStartedBeforeB} of ${FLOOD_RUNS} | what the worker had fetched already |
| runs not succeeded | ${fl.failed} | 0 |

## Where a run's time goes in the worker

Wall-clock marks at each hand-over of a run (\`WORKER_TRACE_FILE\`, bench only: worker/trace.ts; the
spawner's marks come with its messages), p50 / p90 of each segment over all runs of the phase.

${segmentTable(workers)}
`;
}
