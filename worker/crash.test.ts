// A real worker process (`npx tsx worker/main.ts`) killed mid-run: another worker's sweeper notices the
// missing heartbeats, retries the run while attempts remain and fails it "worker lost" otherwise.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningWorker } from './index';
import { isAlive, processesMatching, startTestDatabase, waitFor, type TestDatabase } from './test-support';

const node = process.execPath;
let t: TestDatabase;
const children: ChildProcess[] = [];

/** `npm run worker` as a process group of its own, so the whole of it can be killed like a crashed machine. */
function workerProcess(env: Record<string, string | undefined>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn('npx', ['tsx', 'worker/main.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    detached: true,
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

beforeAll(async () => {
  t = await startTestDatabase();
});
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  await t?.stop();
});

describe('worker/main.ts', () => {
  it('refuses to start without DATABASE_URL or a running embedded database, with a message saying so', async () => {
    const { output, exited } = workerProcess({ DATABASE_URL: '', DATA_DIR: path.join(t.dir, 'elsewhere') });
    expect(await exited).toBe(2);
    expect(output()).toContain('DATABASE_URL is not set and no embedded database of DATA_DIR');
  });

  it('without DATABASE_URL, joins the running embedded database of DATA_DIR as its worker role', async () => {
    const { child, output } = workerProcess({ DATABASE_URL: '', DATA_DIR: t.dir });
    await waitFor(() => output().includes('started'), 60_000, 'the worker to start');
    const roles = await t.db.$queryRawUnsafe<{ usename: string }[]>(
      `select distinct usename from pg_stat_activity where pid <> pg_backend_pid() and usename is not null and backend_type = 'client backend'`,
    );
    expect(roles.map((r) => r.usename)).toContain('etl_worker');
    const runId = await t.startRun(
      await t.createJob({
        type: 'command',
        config: { command: node, args: ['-e', "console.log('joined')"] },
      }),
    );
    await waitFor(async () => (await t.run(runId)).status === 'succeeded', 30_000, 'the run to succeed');
    process.kill(-child.pid!, 'SIGTERM');
    await waitFor(() => /worker \S+ stopped/.test(output()), 30_000, 'the worker to stop');
  });

  it('stops on SIGTERM', async () => {
    const { output } = workerProcess({ DATABASE_URL: t.workerUrl, DATA_DIR: t.dir });
    const pid = Number(
      await waitFor(() => output().match(/started \(pid (\d+)\)/)?.[1], 60_000, 'the worker to start'),
    );
    // To the worker itself: tsx, relaying a signal, SIGKILLs a child that does not acknowledge it within 30 ms.
    process.kill(pid, 'SIGTERM');
    await waitFor(() => /worker \S+ stopped/.test(output()), 30_000, 'the worker to stop');
    await waitFor(() => !isAlive(pid), 10_000, 'the worker to exit');
    expect(output()).not.toContain('exiting without waiting');
  });

  it('a killed worker\'s runs are retried, or failed "worker lost", within 90 s', async () => {
    const env = {
      DATABASE_URL: t.workerUrl,
      DATA_DIR: t.dir,
      RUN_HEARTBEAT_TIMEOUT_SECONDS: '5',
      RUN_SWEEP_INTERVAL_SECONDS: '1',
    };
    const { child, output } = workerProcess(env);
    await waitFor(() => output().includes('started'), 60_000, 'the worker to start');

    const script = "void 'crash-run'; console.log('started'); setTimeout(() => console.log('done'), 4000)";
    const retried = await t.startRun(
      await t.createJob({ type: 'command', config: { command: node, args: ['-e', script] }, maxAttempts: 2 }),
    );
    const lost = await t.startRun(
      await t.createJob({ type: 'command', config: { command: node, args: ['-e', script] }, maxAttempts: 1 }),
    );
    for (const runId of [retried, lost]) {
      await waitFor(
        async () => (await t.logs(runId)).some((l) => l.text === 'started'),
        30_000,
        `run ${runId} to start`,
      );
    }
    expect((await t.run(retried)).workerId).toBeTruthy();

    process.kill(-child.pid!, 'SIGKILL');
    const killed = Date.now();
    // The sandboxes die with their worker (bwrap --die-with-parent): no run goes on unsupervised.
    await waitFor(
      () => processesMatching("void 'crash-run'").length === 0,
      5_000,
      "the killed worker's runs to end",
    );

    const { startWorker } = await import('./index');
    let second: RunningWorker | undefined;
    try {
      second = await startWorker({
        connectionString: t.url,
        heartbeatTimeoutSeconds: 5,
        sweepIntervalSeconds: 1,
        log: () => {},
      });
      const failed = await waitFor(
        async () => {
          const run = await t.run(lost);
          return run.status === 'failed' ? run : null;
        },
        90_000,
        'the run without attempts left to fail',
      );
      expect(failed.error).toBe('worker lost');

      const done = await waitFor(
        async () => {
          const run = await t.run(retried);
          return run.status === 'succeeded' ? run : null;
        },
        90_000,
        'the retried run to succeed',
      );
      expect(Date.now() - killed).toBeLessThan(90_000);
      expect(done.attempt).toBe(2);
      expect(done.workerId).toBe(second.workerId);
      const texts = (await t.logs(retried)).map((l) => l.text);
      expect(texts).toContain('worker lost; retrying (attempt 2)');
      expect(texts.filter((text) => text === 'done')).toHaveLength(1); // the first attempt's output ended with its worker's log
    } finally {
      await second?.stop();
    }
  }, 180_000);
  it('a worker SIGKILLed mid-burst loses no run: each ends once, its batched log intact up to the kill', async () => {
    const env = {
      DATABASE_URL: t.workerUrl,
      DATA_DIR: t.dir,
      WORKER_CONCURRENCY: '8',
      ORG_MAX_CONCURRENT_RUNS: '0',
      RUN_HEARTBEAT_TIMEOUT_SECONDS: '5',
      RUN_SWEEP_INTERVAL_SECONDS: '1',
    };
    const { child, output } = workerProcess(env);
    await waitFor(() => output().includes('started'), 60_000, 'the worker to start');
    const script = 'for i in 1 2 3 4 5 6; do echo "line $i"; sleep 0.02; done';
    const jobId = await t.createJob({
      type: 'command',
      config: { command: 'sh', args: ['-c', script] },
      maxAttempts: 2,
    });
    const total = 240;
    await t.db.$executeRawUnsafe(
      `with runs as (
         insert into "JobRun" (id, "orgId", "jobId", trigger, "externalRef")
         select gen_random_uuid(), $1::uuid, $2::uuid, 'api', 'burst-kill' from generate_series(1, $3) returning id)
       select count(*) from runs, graphile_worker.add_job('execute-run', json_build_object('runId', runs.id::text), max_attempts => 1)`,
      t.orgId,
      jobId,
      total,
    );
    const ended = () => t.db.jobRun.count({ where: { jobId, finishedAt: { not: null } } });
    await waitFor(async () => (await ended()) >= total / 3, 60_000, 'a third of the burst to end');
    process.kill(-child.pid!, 'SIGKILL');
    const atKill = await t.db.jobRun.groupBy({ by: ['status'], where: { jobId }, _count: true });
    expect(atKill.find((s) => s.status === 'running')?._count ?? 0).toBeGreaterThan(0);

    const { startWorker } = await import('./index');
    const second = await startWorker({
      connectionString: t.url,
      concurrency: 8,
      heartbeatTimeoutSeconds: 5,
      sweepIntervalSeconds: 1,
      log: () => {},
    });
    try {
      await waitFor(async () => (await ended()) === total, 120_000, 'every run of the burst to end');
      const runs = await t.db.jobRun.findMany({ where: { jobId }, select: { id: true, status: true } });
      expect(runs.filter((r) => r.status !== 'succeeded')).toEqual([]);
      const lines = await t.db.runLog.findMany({
        where: { run: { jobId } },
        orderBy: [{ runId: 'asc' }, { seq: 'asc' }],
        select: { runId: true, seq: true, stream: true, text: true },
      });
      const byRun = new Map<string, typeof lines>();
      for (const line of lines) byRun.set(line.runId, [...(byRun.get(line.runId) ?? []), line]);
      expect(byRun.size).toBe(total);
      const output = (attempt: typeof lines) =>
        attempt.filter((l) => l.stream === 'stdout').map((l) => l.text);
      const full = ['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6'];
      let retried = 0;
      for (const [runId, log] of byRun) {
        expect(
          log.map((l) => l.seq),
          runId,
        ).toEqual(log.map((_, i) => i + 1)); // no hole, no line twice
        expect(
          log.filter((l) => l.text === 'run succeeded'),
          runId,
        ).toHaveLength(1); // ended once
        expect(log.at(-1)?.text, runId).toBe('run succeeded');
        // Attempts, each from its "started" line: the last ran it all; an earlier one, cut by the kill,
        // left a prefix of its output in order (batches are written in order, each whole or not at all).
        const starts = log.flatMap((l, i) => (/^attempt \d+ started/.test(l.text) ? [i] : []));
        const attempts = starts.map((from, k) => log.slice(from, starts[k + 1] ?? log.length));
        expect(output(attempts.at(-1)!), runId).toEqual(full);
        for (const cut of attempts.slice(0, -1)) {
          const out = output(cut);
          expect(out, runId).toEqual(full.slice(0, out.length));
        }
        if (log.some((l) => l.text === 'worker lost; retrying (attempt 2)')) retried++;
      }
      expect(retried).toBeGreaterThan(0); // the runs the kill cut short were run again, once
    } finally {
      await second.stop();
    }
  }, 240_000);
});
