// 200 concurrent starts of a parallel job, through the same start path as the API (etl_start_runs, group commit),
// all accepted and all run to success by a real worker on a real Postgres.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestDatabase, waitFor, type TestDatabase } from './test-support';

let t: TestDatabase;
let worker: { stop(): Promise<void> } | undefined;

beforeAll(async () => {
  t = await startTestDatabase();
  const { startWorker } = await import('./index');
  worker = await startWorker({
    connectionString: t.url,
    concurrency: 8,
    log: () => {},
    sweepIntervalSeconds: 3600,
  });
});
afterAll(async () => {
  await worker?.stop();
  await t?.stop();
});

it('accepts 200 concurrent starts of a parallel job and runs every one to success', async () => {
  const { startJob } = await import('../server/jobs/start-job');
  const jobId = await t.createJob({ type: 'command', config: { command: 'true', args: [] } });
  const org = await t.db.organization.findUniqueOrThrow({ where: { id: t.orgId } });
  const actor = {
    kind: 'user' as const,
    userId: '00000000-0000-4000-8000-000000000001',
    email: 'burst@test',
    name: 'burst',
    orgId: org.id,
    orgSlug: org.slug,
    role: 'owner' as const,
  };

  const results = await Promise.allSettled(
    Array.from({ length: 200 }, (_, i) => startJob(actor, { id: jobId, jobid: `burst-${i}` })),
  );
  const rejected = results.filter((r) => r.status === 'rejected');
  expect(rejected).toEqual([]);
  const runIds = results.map((r) => (r as PromiseFulfilledResult<{ runId: string }>).value.runId);
  expect(new Set(runIds).size).toBe(200);

  await waitFor(
    async () => (await t.db.jobRun.count({ where: { jobId, status: 'succeeded' } })) === 200,
    150_000,
    '200 runs to succeed',
  );
  const byStatus = await t.db.jobRun.groupBy({ by: ['status'], where: { jobId }, _count: true });
  expect(byStatus).toEqual([{ status: 'succeeded', _count: 200 }]);
}, 200_000);
