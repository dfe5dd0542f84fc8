// npm run bench -- --pipeline: how fast a pipeline hands one step to the next. On a fresh embedded
// Postgres with one worker process (worker/main.ts, default settings: sandbox, concurrency 4), it measures
// a single run of `/bin/true` (queued → finished, one after the other) and a pipeline of 50 such steps in
// a chain, and checks the pipeline against 50 × the single run's latency + 2 s. A step's end starts the
// next step in the same transaction (etl_pipeline_advance), whose queue entry wakes a worker through
// LISTEN/NOTIFY: no poll interval between two steps. Writes bench/PIPELINE-RESULTS.md.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations } from '../server/db/migrate';
import { applyGrants } from '../server/db/roles';
import { startEmbeddedPostgres } from '../server/runtime/embedded-postgres';
import { machine } from '../testkit/proc-fs';
import { isolatedEnv, startService, stopAllProcs, stopProc } from '../testkit/processes';

const STEPS = 50;
const SINGLES = Number(process.env.BENCH_PIPELINE_SINGLES ?? 20);
const PIPELINES = Number(process.env.BENCH_PIPELINE_ROUNDS ?? 3);
const root = path.resolve(import.meta.dirname, '..');
const log = (line: string) => console.log(`[bench:pipeline] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const describe = (m: ReturnType<typeof machine>) => `${m.nproc} × ${m.cpuModel}, ${m.memory}, Node ${m.node}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function start(db: pg.Client, orgId: string, jobId: string): Promise<string> {
  const runId = randomUUID();
  const starts = [
    {
      i: 0,
      runId,
      orgId,
      jobId,
      params: {},
      trigger: 'api',
      single: false,
      actor: 'system',
      actorName: 'bench',
      jobName: 'bench',
    },
  ];
  await db.query('select * from etl_start_runs($1::jsonb)', [JSON.stringify(starts)]);
  return runId;
}

/** queued → finished of a run, ms, once it has finished (polled every 20 ms). */
async function finished(
  db: pg.Client,
  runId: string,
  timeoutMs: number,
): Promise<{ ms: number; status: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query(
      `select status::text, extract(epoch from ("finishedAt" - "queuedAt")) * 1000 as ms from "JobRun" where id = $1`,
      [runId],
    );
    if (rows[0] && ['succeeded', 'failed', 'cancelled'].includes(rows[0].status))
      return { ms: Number(rows[0].ms), status: rows[0].status };
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish within ${timeoutMs} ms`);
    await sleep(20);
  }
}

export async function benchPipeline(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'etl-bench-pipeline-'));
  const pgHandle = await startEmbeddedPostgres(dataDir);
  const db = new pg.Client({ connectionString: pgHandle.url });
  let worker: Awaited<ReturnType<typeof startService>> | undefined;
  try {
    await applyMigrations(pgHandle.url);
    await applyGrants(pgHandle.url, { web: pgHandle.webUrl, worker: pgHandle.workerUrl });
    await db.connect();
    const { orgId, jobId } = (
      await db.query(`with org as (insert into "Organization" (id, slug, name) values (gen_random_uuid(), 'bench', 'Bench') returning id)
        insert into "Job" (id, "orgId", name, type, config, concurrency, "updatedAt")
        select gen_random_uuid(), org.id, 'bench-true', 'command', '{"command":"/bin/true"}', 'parallel', now() from org
        returning id as "jobId", "orgId"`)
    ).rows[0] as { orgId: string; jobId: string };
    const steps = Array.from({ length: STEPS }, (_, i) => ({
      id: `s${i + 1}`,
      job: jobId,
      parents: i ? [`s${i}`] : [],
      condition: 'succeeded',
      params: {},
    }));
    const pipelineId = (
      await db.query(
        `insert into "Job" (id, "orgId", name, type, config, concurrency, "updatedAt")
         values (gen_random_uuid(), $1, 'bench-chain', 'pipeline', $2, 'parallel', now()) returning id`,
        [orgId, JSON.stringify({ steps })],
      )
    ).rows[0].id as string;

    worker = await startService('worker', ['--import', 'tsx', 'worker/main.ts'], {
      cwd: root,
      env: isolatedEnv({ DATABASE_URL: pgHandle.workerUrl!, DATA_DIR: dataDir }),
      logFile: path.join(dataDir, 'worker.log'),
      ready: /worker \S+ started/,
      timeoutMs: 60_000,
    });
    await sleep(1000); // LISTEN and the first poll

    // Warm up, then single runs one after the other.
    for (let i = 0; i < 3; i++) await finished(db, await start(db, orgId, jobId), 30_000);
    const singles: number[] = [];
    for (let i = 0; i < SINGLES; i++)
      singles.push((await finished(db, await start(db, orgId, jobId), 30_000)).ms);
    const single = median(singles);
    log(`single run of /bin/true, queued → finished: median ${single.toFixed(1)} ms (${SINGLES} runs)`);

    const chains: number[] = [];
    for (let i = 0; i < PIPELINES; i++) {
      const run = await finished(db, await start(db, orgId, pipelineId), 120_000);
      if (run.status !== 'succeeded') throw new Error(`the pipeline ended ${run.status}`);
      chains.push(run.ms);
      log(`pipeline of ${STEPS} steps in a chain: ${run.ms.toFixed(0)} ms`);
    }
    const chain = median(chains);
    const budget = STEPS * single + 2000;
    const verdict = chain <= budget ? 'within' : 'OVER';
    log(
      `median ${chain.toFixed(0)} ms; budget ${STEPS} × ${single.toFixed(1)} + 2000 = ${budget.toFixed(0)} ms: ${verdict}`,
    );
    writeFileSync(
      path.join(root, 'bench', 'PIPELINE-RESULTS.md'),
      `# Pipeline hand-off (npm run bench -- --pipeline)

${new Date().toISOString()}, ${describe(machine())}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}. One worker process, default settings (sandbox, concurrency 4);
a fresh embedded Postgres.

| what | figure |
| --- | --- |
| single run of \`/bin/true\`, queued → finished (median of ${SINGLES}) | ${single.toFixed(1)} ms |
| pipeline of ${STEPS} \`/bin/true\` steps in a chain, queued → finished (median of ${PIPELINES}) | ${chain.toFixed(0)} ms (${chains.map((c) => c.toFixed(0)).join(', ')}) |
| per step | ${(chain / STEPS).toFixed(1)} ms |
| budget: ${STEPS} × single + 2 s | ${budget.toFixed(0)} ms: **${verdict}** |
`,
    );
    if (verdict !== 'within') process.exitCode = 1;
  } finally {
    if (worker) await stopProc(worker);
    await stopAllProcs();
    await db.end().catch(() => {});
    await pgHandle.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
