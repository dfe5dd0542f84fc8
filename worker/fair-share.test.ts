// Fair share (issue 10): ORG_MAX_CONCURRENT_RUNS holds across workers, so one organisation's flood of
// long runs never keeps another organisation's run waiting for a slot.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningWorker } from './index';
import { startTestDatabase, waitFor, type TestDatabase } from './test-support';

let t: TestDatabase;
const workers: RunningWorker[] = [];

beforeAll(async () => {
  t = await startTestDatabase();
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await t?.stop();
});

async function newOrg(name: string) {
  const org = await t.db.organization.create({
    data: { slug: `${name}-${Date.now()}`, name, commandJobsRole: 'admin' },
  });
  const job = await t.db.job.create({
    data: {
      orgId: org.id,
      name: 'long',
      type: 'command',
      concurrency: 'parallel',
      config: { command: 'sleep', args: ['30'] },
    },
  });
  const start = async (options: { enqueue?: boolean } = {}) => {
    const { enqueueRun } = await import('../server/runs/queue');
    return t.db.$transaction(async (tx) => {
      const run = await tx.jobRun.create({
        data: { orgId: org.id, jobId: job.id, params: {}, trigger: 'api' },
      });
      if (options.enqueue !== false) await enqueueRun(tx, run.id);
      return run.id;
    });
  };
  const running = () => t.db.jobRun.count({ where: { orgId: org.id, status: 'running' } });
  return { id: org.id, start, running };
}

it('claims at most ORG_MAX_CONCURRENT_RUNS of one organisation when ten claims race', async () => {
  const { claimRun, ORG_BUSY } = await import('../server/runs/claim-run');
  const org = await newOrg('racers');
  const runIds = await Promise.all(Array.from({ length: 10 }, () => org.start({ enqueue: false })));
  const results = await Promise.all(runIds.map((runId, i) => claimRun(runId, `racer-${i}`, 3)));
  expect(results.filter((r) => r === ORG_BUSY)).toHaveLength(7);
  expect(
    results
      .filter((r) => r && r !== ORG_BUSY)
      .map((r) => (r as { id: string }).id)
      .sort(),
  ).toEqual(
    (await t.db.jobRun.findMany({ where: { orgId: org.id, status: 'running' }, select: { id: true } }))
      .map((r) => r.id)
      .sort(),
  );
  expect(await org.running()).toBe(3);
  // a deferred run is untouched: still queued, no attempt used
  const deferred = runIds[results.indexOf(ORG_BUSY)];
  expect(await t.run(deferred)).toMatchObject({ status: 'queued', attempt: 1, workerId: null });
  // 0: no limit
  expect(await claimRun(deferred, 'unlimited', 0)).toMatchObject({ id: deferred });
  await t.db.jobRun.updateMany({ where: { orgId: org.id }, data: { status: 'cancelled' } });
});

it('keeps the limit when two batches of claims race on separate connections, and gives a run asked twice once', async () => {
  const { writeClaims, claimAnswers, ORG_BUSY } = await import('../server/runs/claim-run');
  const org = await newOrg('batches');
  const runIds = await Promise.all(Array.from({ length: 10 }, () => org.start({ enqueue: false })));
  const batch = (ids: string[], worker: string) =>
    ids.map((runId) => ({ runId, workerId: worker, orgMaxRunning: 3 }));
  const [a, b] = [batch(runIds.slice(0, 5), 'a'), batch(runIds.slice(5), 'b')];
  const answers = (
    await Promise.all([a, b].map(async (claims) => claimAnswers(claims, await writeClaims(claims))))
  ).flat();
  expect(answers.filter((r) => r && r !== ORG_BUSY)).toHaveLength(3);
  expect(answers.filter((r) => r === ORG_BUSY)).toHaveLength(7);
  expect(await org.running()).toBe(3);
  // the same queued run twice in one batch (a duplicate queue entry): claimed once
  const twice = batch([runIds[answers.indexOf(ORG_BUSY)]], 'c').map((c) => ({ ...c, orgMaxRunning: 0 }));
  const claims = [...twice, ...twice];
  expect(claimAnswers(claims, await writeClaims(claims)).map((r) => r && r !== ORG_BUSY)).toEqual([
    true,
    null,
  ]);
  await t.db.jobRun.updateMany({ where: { orgId: org.id }, data: { status: 'cancelled' } });
});

it("starts another organisation's run within 5 s while one has 50 long runs queued on two workers", async () => {
  const { startWorker } = await import('./index');
  const { loadWorkerSettings } = await import('./settings');
  const settings = loadWorkerSettings({ PATH: process.env.PATH, ORG_MAX_CONCURRENT_RUNS: '3' });
  for (let i = 0; i < 2; i++) {
    workers.push(
      await startWorker({
        connectionString: t.url,
        concurrency: 4,
        settings,
        shutdownGraceSeconds: 0,
        sweepIntervalSeconds: 3600,
        log: () => {},
      }),
    );
  }
  const flood = await newOrg('flood');
  const other = await newOrg('other');
  for (let i = 0; i < 50; i++) await flood.start();
  await waitFor(async () => (await flood.running()) === 3, 20_000, 'the flood to take its share');

  let most = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      most = Math.max(most, await flood.running());
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const runId = await other.start();
  const queuedAt = Date.now();
  const started = await waitFor(
    async () => (await t.run(runId)).startedAt,
    10_000,
    "the other organisation's run to start",
  );
  const waited = Date.now() - queuedAt;
  await new Promise((resolve) => setTimeout(resolve, 3_000)); // deferred entries come round again meanwhile
  sampling = false;
  await sampler;

  expect(started).toBeInstanceOf(Date);
  expect(waited).toBeLessThan(5_000);
  expect(most).toBe(3);
  expect(await t.db.jobRun.count({ where: { orgId: flood.id, status: 'queued' } })).toBe(47);
  expect(await t.db.jobRun.aggregate({ where: { orgId: flood.id }, _max: { attempt: true } })).toEqual({
    _max: { attempt: 1 },
  });
}, 90_000);
