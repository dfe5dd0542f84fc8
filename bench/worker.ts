// npm run bench -- --worker: the worker's cost per run, beside a floor, on a fresh embedded Postgres.
// A burst of RUNS runs of a command job `true` (all queued in one transaction) drained by one worker
// process (worker/main.ts) at concurrency 8: with bubblewrap, and without a sandbox. The floor
// (bench/worker-floor.ts) is a bare graphile-worker task that spawns `true` and writes a finished row.
// Writes bench/WORKER-RESULTS.md. Everything it starts, it stops.
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

const RUNS = Number(process.env.BENCH_WORKER_RUNS ?? 2000);
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
}

const XACTS = `select xact_commit::float as n from pg_stat_database where datname = current_database()`;

const ENQUEUE = `with runs as (
    insert into "JobRun" (id, "orgId", "jobId", trigger, "externalRef")
    select gen_random_uuid(), $1::uuid, $2::uuid, 'api', $3 from generate_series(1, $4)
    returning id)
  select count(*)::int as n from runs, graphile_worker.add_job($5, json_build_object('runId', runs.id::text), max_attempts => 1)`;

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
  const cpu0 = { worker: cpuMs(processTree(proc.pid)), postgres: cpuMs(processTree(postgresPid)) };
  const xact0 = (await db.query(XACTS)).rows[0].n as number;
  const [{ n }] = (await db.query(ENQUEUE, [ids.orgId, ids.jobId, label, RUNS, task])).rows;
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
  // Less our own: the first count, the enqueue and the polls.
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
      (sandbox: string, cwd = root) =>
      async () => {
        const name = `worker-${sandbox}${cwd === root ? '' : '-baseline'}`;
        const traceFile = path.join(dataDir, `trace-${name}.json`);
        const settings = {
          WORKER_CONCURRENCY: String(CONCURRENCY),
          COMMAND_SANDBOX: sandbox,
          // Fair share on (its lock is taken on every claim) but not binding: one organisation, one worker.
          ORG_MAX_CONCURRENT_RUNS: String(CONCURRENCY),
          WORKER_TRACE_FILE: traceFile,
        };
        return {
          ...(await service(name, 'worker/main.ts', /worker \S+ started/, settings, cwd)),
          segments: () => traceSegments(traceFile),
        };
      };
    const statsFile = path.join(dataDir, 'floor-stats.json');
    const floor = async () => ({
      ...(await service('floor', 'bench/worker-floor.ts', /floor ready/, {
        CONCURRENCY: String(CONCURRENCY),
        STATS_FILE: statsFile,
      })),
      processMs: () => JSON.parse(readFileSync(statsFile, 'utf8')) as Record<string, number>,
    });

    const phases: Phase[] = [];
    phases.push(await phase(db, ids, 'floor', 'floor', floor, 'bench-floor', pgRoot));
    for (const [sandbox, label] of [
      ['bubblewrap', 'bwrap'],
      ['none', 'none'],
    ]) {
      const name = sandbox === 'none' ? 'no sandbox' : sandbox;
      // The baseline first, then this checkout's worker, back to back.
      if (BASELINE) {
        const start = worker(sandbox, path.resolve(BASELINE));
        phases.push(await phase(db, ids, `baseline, ${name}`, `${label}-base`, start, 'execute-run', pgRoot));
      }
      phases.push(await phase(db, ids, `worker, ${name}`, label, worker(sandbox), 'execute-run', pgRoot));
    }
    const md = report(phases, before, uptime());
    writeFileSync(path.join(root, 'bench', 'WORKER-RESULTS.md'), md);
    console.log(md);
  } finally {
    await stopAllProcs();
    await db.end().catch(() => {});
    await pgHandle.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(phases: Phase[], before: string, after: string): string {
  const [floor, ...workers] = phases;
  const m = machine();
  const row = (ph: Phase) =>
    `| ${ph.name} | ${ph.runsPerSecond.toFixed(0)} | ${ph === floor ? '1.00' : (ph.runsPerSecond / floor.runsPerSecond).toFixed(2)} | ${p(ph.claimToFinished, 50)} | ${p(ph.claimToFinished, 99)} | ${p(ph.processMs, 50)} | ${p(ph.overheadMs, 50)} | ${p(ph.overheadMs, 99)} | ${ph.cpuMsPerRun.worker.toFixed(2)} ms | ${ph.cpuMsPerRun.postgres.toFixed(2)} ms | ${ph.xactsPerRun.toFixed(2)} | ${ph.failed} | ${ph.unfinished} |`;
  const target = (ph: Phase) => {
    const o = percentile(ph.overheadMs, 50);
    const r = ph.runsPerSecond / floor.runsPerSecond;
    return `| ${ph.name} | overhead p50 ${o.toFixed(1)} ms ≤ 10 ms: **${o <= 10 ? 'met' : 'not met'}** | ${r.toFixed(2)}× the floor ≥ 0.5×: **${r >= 0.5 ? 'met' : 'not met'}** | ${ph.unfinished === 0 && ph.failed === 0 ? 'all succeeded' : `${ph.failed} failed, ${ph.unfinished} unfinished`} |`;
  };
  return `# Worker benchmark: \`npm run bench -- --worker\`

Taken ${new Date().toISOString()}. Machine: ${m.nproc} CPUs, ${m.cpuModel}, Node ${m.node}, Linux ${m.kernel}.
Load before: \`${before}\`; after: \`${after}\`.

A burst of ${RUNS} runs of a command job \`true\` (queued in one transaction: run rows and queue entries),
drained by one process at concurrency ${CONCURRENCY}, on a fresh embedded Postgres.${BASELINE ? ` Each "baseline" row is the worker of another checkout (\`BENCH_WORKER_BASELINE\`, at ${baselineCommit()}) run just before this one's, against the same database.` : ''} The floor
(\`bench/worker-floor.ts\`) is a bare graphile-worker task with the worker's queue settings
(\`worker/queue-options.ts\`) that spawns \`true\` and writes the finished row in one statement. The
worker is \`worker/main.ts\` as \`npm run worker\` starts it, as the worker role, with
\`ORG_MAX_CONCURRENT_RUNS=${CONCURRENCY}\` (fair share's lock taken on every claim, never binding).

- throughput: runs finished / (last finishedAt − first startedAt);
- claim → finished: finishedAt − startedAt of each run (database clock, ms precision);
- process: spawn → exit of the run's process as the worker measured it (its log line \`process exited
  with code 0 after N ms\`; the floor measures the same around its \`spawn\`); under bubblewrap that
  includes the sandbox's set-up and tear-down;
- overhead = claim → finished − process: what the worker adds to a run.

## Targets

| worker | overhead | throughput | runs |
| --- | --- | --- | --- |
${workers
  .filter((ph) => !ph.name.startsWith('baseline'))
  .map(target)
  .join('\n')}

## Figures

| phase | runs/s | × floor | claim→finished p50 | p99 | process p50 | overhead p50 | overhead p99 | worker CPU/run | Postgres CPU/run | transactions/run | failed | unfinished |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${phases.map(row).join('\n')}

## Where a run's time goes in the worker

Wall-clock marks at each hand-over of a run (\`WORKER_TRACE_FILE\`, bench only: worker/trace.ts; the
spawner's marks come with its messages), p50 / p90 of each segment over all runs of the phase.

${segmentTable(workers)}
`;
}
