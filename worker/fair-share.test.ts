// Fair share (issues 10 and 22): an organisation alone uses every slot; with several organisations
// waiting, the queue's order goes round among them (each queue entry's priority is its organisation's
// rank); ORG_MAX_CONCURRENT_RUNS is an operator quota, off by default, that holds across workers.
import { randomUUID } from 'node:crypto';
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

async function newOrg(name: string, seconds = '30') {
  const org = await t.db.organization.create({
    data: { slug: `${name}-${Date.now()}`, name, commandJobsRole: 'admin' },
  });
  const job = await t.db.job.create({
    data: {
      orgId: org.id,
      name: 'long',
      type: 'command',
      concurrency: 'parallel',
      config: { command: 'sleep', args: [seconds] },
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
  // Through the API's start path (etl_start_runs, group commit): `count` starts at once.
  const startMany = async (count: number) => {
    const { startRun } = await import('../server/runs/start-batch');
    const runIds = Array.from({ length: count }, () => randomUUID());
    await Promise.all(
      runIds.map((runId) =>
        startRun({
          runId,
          orgId: org.id,
          jobId: job.id,
          params: {},
          trigger: 'api',
          apiKeyId: null,
          userId: null,
          externalRef: null,
          scheduleId: null,
          single: false,
          actor: 'system',
          actorName: 'fair-share test',
          ip: null,
          jobName: job.name,
        }),
      ),
    );
    return runIds;
  };
  const running = () => t.db.jobRun.count({ where: { orgId: org.id, status: 'running' } });
  const count = (status: 'queued' | 'running' | 'succeeded') =>
    t.db.jobRun.count({ where: { orgId: org.id, status } });
  const startTimes = async () =>
    (await t.db.jobRun.findMany({ where: { orgId: org.id }, select: { startedAt: true } }))
      .map((r) => r.startedAt?.getTime() ?? Infinity)
      .sort((a, b) => a - b);
  return { id: org.id, start, startMany, running, count, startTimes };
}

async function defaultWorker(concurrency: number, env: Record<string, string> = {}) {
  const { startWorker } = await import('./index');
  const { loadWorkerSettings } = await import('./settings');
  const worker = await startWorker({
    connectionString: t.url,
    concurrency,
    settings: loadWorkerSettings({ PATH: process.env.PATH, ...env }),
    shutdownGraceSeconds: 0,
    sweepIntervalSeconds: 3600,
    log: () => {},
  });
  workers.push(worker);
  return worker;
}

/** The most runs of `org` running at once while `until` is pending. */
async function mostRunning(org: { running(): Promise<number> }, until: Promise<unknown>) {
  let most = 0;
  let done = false;
  void until.finally(() => (done = true));
  while (!done) {
    most = Math.max(most, await org.running());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return most;
}

it("queues each run at its organisation's rank, so a later organisation's first run is fetched next", async () => {
  const a = await newOrg('rank-a');
  const b = await newOrg('rank-b');
  await a.startMany(5);
  await b.startMany(2);
  await a.start(); // a single enqueue (retries, hand-backs) ranks the same way
  const rows = await t.db.$queryRawUnsafe<{ orgId: string; priority: number }[]>(
    `select r."orgId"::text as "orgId", j.priority from graphile_worker._private_jobs j
     join "JobRun" r on r.id = (j.payload->>'runId')::uuid order by j.priority, j.id`,
  );
  const of = (org: { id: string }) => rows.filter((r) => r.orgId === org.id).map((r) => r.priority);
  expect(of(a)).toEqual([0, 1, 2, 3, 4, 5]);
  expect(of(b)).toEqual([0, 1]);
  // Fetch order (priority, then age): A, B, A, B, A, A, A, A
  expect(rows.map((r) => (r.orgId === a.id ? 'A' : 'B')).join('')).toBe('ABABAAAA');
  await t.db.$executeRawUnsafe(`delete from graphile_worker._private_jobs`);
  await t.db.jobRun.updateMany({ where: { orgId: { in: [a.id, b.id] } }, data: { status: 'cancelled' } });
});

it('lets one organisation alone use every slot, on default settings', async () => {
  const worker = await defaultWorker(8);
  const org = await newOrg('alone');
  await org.startMany(8);
  await waitFor(async () => (await org.running()) === 8, 30_000, 'all 8 runs to run at once');
  await t.db.jobRun.updateMany({ where: { orgId: org.id }, data: { cancelRequestedAt: new Date() } });
  await worker.stop();
  workers.splice(workers.indexOf(worker), 1);
}, 60_000);

it("starts a second organisation's runs long before the first organisation's flood queued ahead of them", async () => {
  const worker = await defaultWorker(8);
  const flood = await newOrg('flood-a', '0.25');
  const other = await newOrg('other-b', '0.25');
  await flood.startMany(160);
  await waitFor(async () => (await flood.running()) > 0, 30_000, "the flood's first runs to start");
  await other.startMany(5);
  // B's runs were queued while most of A's still waited
  expect(await flood.count('queued')).toBeGreaterThan(100);
  const drained = waitFor(
    async () => (await flood.count('succeeded')) + (await other.count('succeeded')) === 165,
    120_000,
    'all 165 runs to succeed',
  );
  expect(await mostRunning(flood, drained)).toBe(8);

  const a = await flood.startTimes();
  const [bFirst] = await other.startTimes();
  // How many of A's runs started before B's first: round robin keeps it to what the worker had
  // already fetched (its local queue) when B's runs arrived, far from all 160 of them.
  expect(a.filter((at) => at < bFirst).length).toBeLessThan(40);
  await worker.stop();
  workers.splice(workers.indexOf(worker), 1);
}, 150_000);

it('keeps an operator quota (ORG_MAX_CONCURRENT_RUNS) and still runs every queued run to the end', async () => {
  const worker = await defaultWorker(8, { ORG_MAX_CONCURRENT_RUNS: '3' });
  const org = await newOrg('quota', '0.25');
  const entries = async () =>
    Number(
      (
        await t.db.$queryRawUnsafe<{ n: bigint }[]>(
          `select pg_sequence_last_value(pg_get_serial_sequence('graphile_worker._private_jobs', 'id')::regclass) as n`,
        )
      )[0].n,
    );
  const before = await entries();
  await org.startMany(24);
  const drained = waitFor(async () => (await org.count('succeeded')) === 24, 120_000, '24 runs to succeed');
  expect(await mostRunning(org, drained)).toBe(3);
  // No spinning: a refused run waits for a wake (and has one fallback entry), it is not fetched again
  // and again. Each run: its entry, at most a fallback and a wake, rarely a second round.
  expect((await entries()) - before).toBeLessThanOrEqual(24 * 4);
  await worker.stop();
  workers.splice(workers.indexOf(worker), 1);
}, 150_000);

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
