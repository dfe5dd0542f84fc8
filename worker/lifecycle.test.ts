// The run lifecycle without a running queue: requestCancel, the lost-run sweep, and a worker's shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, waitFor, type TestDatabase } from './test-support';

const node = process.execPath;
let t: TestDatabase;

beforeAll(async () => {
  t = await startTestDatabase();
});
afterAll(async () => {
  await t?.stop();
});

async function queueEntries(runId: string): Promise<number> {
  const rows = await t.db.$queryRawUnsafe<{ n: number }[]>(
    // The public `jobs` view leaves the payload out; a test may look behind it.
    `select count(*)::int as n from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id
     where k.identifier = 'execute-run' and j.payload->>'runId' = $1`,
    runId,
  );
  return rows[0].n;
}

/** A run some worker took and then stopped heartbeating for `silentSeconds`. */
async function runningRun(jobId: string, silentSeconds: number, attempt = 1): Promise<string> {
  const runId = await t.startRun(jobId, {}, { enqueue: false });
  await t.db.$executeRawUnsafe(
    `update "JobRun" set status = 'running', "workerId" = 'ghost', attempt = $2, "startedAt" = now() at time zone 'utc',
       "heartbeatAt" = (now() at time zone 'utc') - make_interval(secs => $3)
     where id = $1::uuid`,
    runId,
    attempt,
    silentSeconds,
  );
  return runId;
}

describe('requestCancel', () => {
  it("cancels a queued run at once, reports a finished one, and hides other organisations' runs", async () => {
    const { requestCancel } = await import('../server/runs/cancel-run');
    const jobId = await t.createJob({ type: 'command', config: { command: node } });
    const runId = await t.startRun(jobId, {}, { enqueue: false });

    const first = await requestCancel(t.orgId, runId);
    expect(first).toEqual({ outcome: 'cancelled', run: { id: runId, jobId, status: 'cancelled' } });
    const run = await t.run(runId);
    expect(run.finishedAt).toBeInstanceOf(Date);
    expect(run.cancelRequestedAt).toBeInstanceOf(Date);
    expect((await requestCancel(t.orgId, runId)).outcome).toBe('already_finished');

    const other = await t.db.organization.create({
      data: { slug: `other-${Date.now()}`, name: 'Other', commandJobsRole: 'admin' },
    });
    await expect(requestCancel(other.id, runId)).rejects.toMatchObject({
      code: 'run_not_found',
      status: 404,
    });
    await expect(requestCancel(t.orgId, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'run_not_found',
    });
    await expect(requestCancel(t.orgId, 'not-a-uuid')).rejects.toMatchObject({ code: 'run_not_found' });
  });

  it('marks a running run for its worker', async () => {
    const { requestCancel } = await import('../server/runs/cancel-run');
    const jobId = await t.createJob({ type: 'command', config: { command: node } });
    const runId = await runningRun(jobId, 0);
    expect((await requestCancel(t.orgId, runId)).outcome).toBe('cancel_requested');
    const run = await t.run(runId);
    expect(run.status).toBe('running');
    expect(run.cancelRequestedAt).toBeInstanceOf(Date);
  });
});

describe('sweepLostRuns', () => {
  it('retries a run whose worker went silent while attempts remain, then fails it "worker lost"', async () => {
    const { sweepLostRuns } = await import('../server/runs/sweep-lost-runs');
    const jobId = await t.createJob({ type: 'command', config: { command: node }, maxAttempts: 2 });
    const lost = await runningRun(jobId, 60);
    const alive = await runningRun(jobId, 5);

    const first = await sweepLostRuns({ heartbeatTimeoutSeconds: 30 });
    expect(first.requeued).toEqual([lost]);
    expect(await t.run(alive)).toMatchObject({ status: 'running', workerId: 'ghost' });
    expect(await t.run(lost)).toMatchObject({
      status: 'queued',
      attempt: 2,
      workerId: null,
      heartbeatAt: null,
    });
    expect(await queueEntries(lost)).toBe(1);
    expect((await t.logs(lost)).map((l) => [l.stream, l.text])).toEqual([
      ['system', 'worker lost; retrying (attempt 2)'],
    ]);

    // The second attempt's worker is lost too: no attempts left.
    await t.db.$executeRawUnsafe(
      `update "JobRun" set status = 'running', "workerId" = 'ghost-2', "heartbeatAt" = (now() at time zone 'utc') - interval '1 minute' where id = $1::uuid`,
      lost,
    );
    const second = await sweepLostRuns({ heartbeatTimeoutSeconds: 30 });
    expect(second.failed).toEqual([lost]);
    const run = await t.run(lost);
    expect(run).toMatchObject({ status: 'failed', error: 'worker lost', attempt: 2 });
    expect(run.finishedAt).toBeInstanceOf(Date);
    expect((await t.logs(lost)).at(-1)).toMatchObject({ seq: 2, text: 'worker lost; no attempts left' });
  });

  it('ends a lost run that was being cancelled as cancelled, not retried', async () => {
    const { sweepLostRuns } = await import('../server/runs/sweep-lost-runs');
    const jobId = await t.createJob({ type: 'command', config: { command: node }, maxAttempts: 3 });
    const runId = await runningRun(jobId, 60);
    await t.db.jobRun.update({ where: { id: runId }, data: { cancelRequestedAt: new Date() } });
    expect((await sweepLostRuns({ heartbeatTimeoutSeconds: 30 })).cancelled).toEqual([runId]);
    expect(await t.run(runId)).toMatchObject({ status: 'cancelled' });
    expect(await queueEntries(runId)).toBe(0);
  });
});

describe('sweepLostRuns and stranded queued runs', () => {
  it('queues again a queued run whose entry is gone or locked by a dead worker, and leaves a waiting one alone', async () => {
    const { sweepLostRuns } = await import('../server/runs/sweep-lost-runs');
    const jobId = await t.createJob({ type: 'command', config: { command: node } });
    const backdate = (runId: string) =>
      t.db.$executeRawUnsafe(
        `update "JobRun" set "queuedAt" = (now() at time zone 'utc') - interval '2 minutes' where id = $1::uuid`,
        runId,
      );

    const noEntry = await t.startRun(jobId, {}, { enqueue: false });
    await backdate(noEntry);
    const deadLock = await t.startRun(jobId);
    await backdate(deadLock);
    await t.db.$executeRawUnsafe(
      `update graphile_worker._private_jobs set locked_at = now() - interval '2 minutes', locked_by = 'dead-worker' where payload->>'runId' = $1`,
      deadLock,
    );
    const waiting = await t.startRun(jobId); // an old run still waiting its turn: its entry is free
    await backdate(waiting);

    const { requeued } = await sweepLostRuns({ heartbeatTimeoutSeconds: 30 });
    expect(requeued.sort()).toEqual([noEntry, deadLock].sort());
    expect(await queueEntries(noEntry)).toBe(1);
    expect(await queueEntries(deadLock)).toBe(2); // the dead worker's entry stays until graphile frees it
    expect(await queueEntries(waiting)).toBe(1);
    expect((await t.logs(noEntry)).map((l) => l.text)).toContain('queue entry lost; queued again');
    // A second sweep finds nothing more to do.
    expect((await sweepLostRuns({ heartbeatTimeoutSeconds: 30 })).requeued).toEqual([]);
  });
});

describe('a stopping worker', () => {
  it('lets runs finish within the grace period, then hands the others back without using an attempt', async () => {
    const { startWorker } = await import('./index');
    const { loadWorkerSettings } = await import('./settings');
    // The ghost runs of the tests above still count as running: no fair-share limit here.
    const settings = loadWorkerSettings({ PATH: process.env.PATH, ORG_MAX_CONCURRENT_RUNS: '0' });
    const worker = await startWorker({
      connectionString: t.url,
      settings,
      log: () => {},
      shutdownGraceSeconds: 1,
      sweepIntervalSeconds: 3600,
    });
    const long = { command: node, args: ['-e', "console.log('started'); setTimeout(() => {}, 60000)"] };
    const once = await t.startRun(await t.createJob({ type: 'command', config: long, maxAttempts: 1 }));
    const twice = await t.startRun(await t.createJob({ type: 'command', config: long, maxAttempts: 2 }));
    const quick = await t.startRun(
      await t.createJob({
        type: 'command',
        config: { command: node, args: ['-e', 'setTimeout(() => {}, 300)'] },
      }),
    );
    for (const runId of [once, twice]) {
      await waitFor(
        async () => (await t.logs(runId)).some((l) => l.text === 'started'),
        20_000,
        `run ${runId} to start`,
      );
    }

    const stopping = Date.now();
    await worker.stop();
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect(await t.run(quick)).toMatchObject({ status: 'succeeded' });
    // A deploy is not the job's fault: even a job with one attempt is queued again, as the same attempt.
    expect(await t.run(once)).toMatchObject({ status: 'queued', attempt: 1, workerId: null });
    expect(await t.run(twice)).toMatchObject({ status: 'queued', attempt: 1, workerId: null });
    expect(await queueEntries(once)).toBe(1); // the new entry; the old one was completed, not left locked
    expect(await queueEntries(twice)).toBe(1);
    expect(await queueEntries(quick)).toBe(0);
    expect((await t.logs(once)).map((l) => l.text)).toContain('worker stopped; queued again');
  });
});
