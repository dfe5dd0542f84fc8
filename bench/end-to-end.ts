// End to end, with a worker: starts one at a time until each run started, then a burst to drain.
import path from 'node:path';
import { percentile, runLoad } from './lib/load';
import { API_PATH, CFG, JOB_NAME, log, ms, nowMs, sleep } from './config';
import { dataDir, state } from './lifecycle';
import { bench } from './rounds';
import { baseEnv, post } from './targets';
import { startService, stopProc } from '../testkit/processes';

export interface EndToEnd {
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

export async function endToEnd(): Promise<EndToEnd> {
  // The throughput rounds left their runs queued (no worker): clear them so the worker sees only these.
  await state.db!.query('truncate graphile_worker._private_jobs');
  await state.db!.query('truncate "JobRun" cascade');
  const dbTimeZone = (await state.db!.query<{ TimeZone: string }>('show timezone')).rows[0].TimeZone;
  const workerConcurrency = Number(process.env.WORKER_CONCURRENCY ?? 4);
  const worker = await startService('worker', ['--import', 'tsx', 'worker/main.ts'], {
    env: baseEnv({
      DATABASE_URL: bench.targets.databaseUrl,
      API_KEY_SECRETS: bench.targets.secrets,
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
      for (let w = 0; w < 1000 && runId && !state.interrupted; w++) {
        const { rows } = await state.db!.query<{ status: string }>(
          'select status from "JobRun" where id = $1',
          [runId],
        );
        if (!rows[0] || rows[0].status !== 'queued') return;
        await sleep(10);
      }
    };
    await waitUntilStarted(
      (await post(bench.targets.ports.B, { id: JOB_NAME, jobid: 'seq-warmup' }, bench.targets.token)).text,
    );
    for (let i = 0; i < CFG.seqCount && !state.interrupted; i++) {
      const ref = `seq-${i}`;
      const res = await post(bench.targets.ports.B, { id: JOB_NAME, jobid: ref }, bench.targets.token);
      sent.push({ ref, sentAt: res.sentAt, answeredAt: res.answeredAt, status: res.status });
      await waitUntilStarted(res.text);
      await sleep(CFG.seqGapMs);
    }
    type SeqRow = { ref: string; queued: string; started: string | null };
    let rows: SeqRow[] = [];
    for (let i = 0; i < 300 && !state.interrupted; i++) {
      rows = (
        await state.db!.query<SeqRow>(
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
      url: `http://127.0.0.1:${bench.targets.ports.B}${API_PATH}`,
      headers: { 'content-type': 'application/json', 'x-api-key': bench.targets.token },
      body: JSON.stringify({ id: JOB_NAME, jobid: 'burst' }),
      connections: 32,
      amount: CFG.burst,
    });
    type Count = { total: number; done: number; succeeded: number; failed: number };
    let count: Count = { total: 0, done: 0, succeeded: 0, failed: 0 };
    // Bounded from the first POST: in quick mode the whole burst gets at most this long.
    const deadline = wallStart + CFG.drainTimeoutSeconds * 1000;
    while (!state.interrupted && nowMs() < deadline) {
      count = (
        await state.db!.query<Count>(
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
      await state.db!.query<{ seconds: string | null; run_ms: number | null }>(
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
