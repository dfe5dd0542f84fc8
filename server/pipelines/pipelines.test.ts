// Pipelines against a real Postgres and a real worker: saving (a DAG of the organisation's jobs), the
// flow (fan-out, fan-in, conditions, params), the pipeline run's status, starting a step again, cancel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserActor } from '../auth/actor';
import type { RunningWorker } from '../../worker/index';
import { startTestDatabase, waitFor, type TestDatabase } from '../../worker/test-support';

let t: TestDatabase;
let worker: RunningWorker;
let owner: UserActor;
const audit = { actor: 'system', actorName: 'test' };
let n = 0;

const api = async () => ({
  ...(await import('../jobs/create-job')),
  ...(await import('../jobs/update-job')),
  ...(await import('../jobs/start-job')),
  ...(await import('../runs/cancel-run')),
  ...(await import('./restart-step')),
  ...(await import('./pipeline-steps')),
});

/** A command job that exits with `code` after `sleep` seconds (0: at once). */
async function commandJob(code: number, options: { sleep?: number; name?: string } = {}) {
  const { createJob } = await api();
  const script = `setTimeout(() => process.exit(${code}), ${(options.sleep ?? 0) * 1000})`;
  const job = await createJob(
    t.orgId,
    {
      name: options.name ?? `cmd-${++n}`,
      type: 'command',
      concurrency: 'parallel',
      config: { command: process.execPath, args: ['-e', script] },
    },
    audit,
    'operator',
  );
  return job;
}

async function pipeline(steps: object[], name = `pipe-${++n}`) {
  const { createJob } = await api();
  return createJob(t.orgId, { name, type: 'pipeline', config: { steps } }, audit, 'operator');
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as { code: string; errors?: { path: string; message: string }[] },
  );
  expect(error).not.toBeNull();
  return error!;
}

const DONE = ['succeeded', 'failed', 'cancelled'];
const finished = (runId: string) =>
  waitFor(
    async () => {
      const run = await t.run(runId);
      return DONE.includes(run.status) ? run : null;
    },
    60_000,
    `run ${runId} to finish`,
  );
const steps = async (runId: string) => {
  const { pipelineSteps } = await api();
  const all = (await pipelineSteps(runId)).steps!;
  return Object.fromEntries(all.map((s) => [s.id, s]));
};

beforeAll(async () => {
  t = await startTestDatabase();
  owner = {
    kind: 'user',
    userId: '00000000-0000-4000-8000-000000000001',
    email: 'owner@example.test',
    name: 'Owner',
    orgId: t.orgId,
    orgSlug: 'org',
    role: 'owner',
  };
  const { startWorker } = await import('../../worker/index');
  worker = await startWorker({
    connectionString: t.url,
    concurrency: 4,
    log: () => {},
    sweepIntervalSeconds: 3600,
  });
});

afterAll(async () => {
  await worker?.stop();
  await t?.stop();
});

describe('saving a pipeline', () => {
  it('refuses a cycle at the parent that closes it', async () => {
    const ok = await commandJob(0);
    const error = await refusal(
      pipeline([
        { id: 'a', job: ok.name },
        { id: 'b', job: ok.name, parents: ['a', 'd'] },
        { id: 'c', job: ok.name, parents: ['b'] },
        { id: 'd', job: ok.name, parents: ['c'] },
      ]),
    );
    expect(error.code).toBe('validation_failed');
    expect(error.errors).toEqual([
      { path: 'config.steps.3.parents.0', message: expect.stringContaining('cycle') },
    ]);
    expect(error.errors![0].message).toContain('d → b → c → d');
  });

  it('refuses unknown parents, repeated ids and jobs that are not the organisation’s, each at its path', async () => {
    const ok = await commandJob(0);
    const shape = await refusal(
      pipeline([
        { id: 'a', job: ok.name },
        { id: 'a', job: ok.name },
        { id: 'b', job: ok.name, parents: ['nope'] },
      ]),
    );
    expect(shape.errors!.map((e) => e.path).sort()).toEqual([
      'config.steps.1.id',
      'config.steps.2.parents.0',
    ]);

    const other = await t.db.organization.create({ data: { slug: `other-${Date.now()}`, name: 'Other' } });
    const theirs = await t.db.job.create({
      data: { orgId: other.id, name: 'theirs', type: 'command', config: { command: '/bin/true' } },
    });
    const jobs = await refusal(
      pipeline([
        { id: 'a', job: ok.name },
        { id: 'b', job: 'no-such-job', parents: ['a'] },
        { id: 'c', job: theirs.id, parents: ['a'] },
      ]),
    );
    expect(jobs.errors!.map((e) => e.path)).toEqual(['config.steps.1.job', 'config.steps.2.job']);
  });

  it('refuses a pipeline as a step, and more than 100 steps', async () => {
    const ok = await commandJob(0);
    const inner = await pipeline([{ id: 'a', job: ok.name }]);
    const nested = await refusal(pipeline([{ id: 'x', job: inner.name }]));
    expect(nested.errors).toEqual([
      { path: 'config.steps.0.job', message: expect.stringContaining('pipeline') },
    ]);
    const many = Array.from({ length: 101 }, (_, i) => ({ id: `s${i}`, job: ok.name }));
    expect((await refusal(pipeline(many))).errors![0].path).toBe('config.steps');
  });

  it('saves the steps’ jobs by id, so a renamed job stays in the pipeline', async () => {
    const ok = await commandJob(0);
    const saved = await pipeline([{ id: 'a', job: ok.name }]);
    expect((saved.config as { steps: { job: string }[] }).steps[0].job).toBe(ok.id);
  });
});

describe('running a pipeline', () => {
  it('fans out and in; a failed step fails the pipeline while its sibling finishes; started again, the flow finishes', async () => {
    const { startJob, updateJob, restartStep } = await api();
    const ok = await commandJob(0);
    const flaky = await commandJob(1);
    const slowOk = await commandJob(0, { sleep: 1 });
    const p = await pipeline([
      { id: 'extract', job: ok.name },
      { id: 'orders', job: flaky.name, parents: ['extract'] },
      { id: 'customers', job: slowOk.name, parents: ['extract'] },
      { id: 'report', job: ok.name, parents: ['orders', 'customers'] },
    ]);
    const started = await startJob(owner, { id: p.name });
    if (started.dryRun) throw new Error('not a dry run');
    expect((await t.run(started.runId)).status).toBe('running');

    const run = await finished(started.runId);
    expect(run).toMatchObject({ status: 'failed', error: 'step "orders" failed' });
    let s = await steps(started.runId);
    expect(s.extract.status).toBe('succeeded');
    expect(s.orders.status).toBe('failed');
    expect(s.customers.status).toBe('succeeded'); // the sibling finished
    expect(s.report).toMatchObject({ status: 'skipped', runId: null });

    // The step's runs are ordinary runs of their jobs, linked to the pipeline run.
    const stepRun = await t.run(s.orders.runId!);
    expect(stepRun).toMatchObject({ jobId: flaky.id, pipelineRunId: started.runId, trigger: 'pipeline' });

    // Fix the job, start the failed step again: the flow goes on from there.
    await updateJob(owner, flaky.id, {
      name: flaky.name,
      type: 'command',
      concurrency: 'parallel',
      config: { command: process.execPath, args: ['-e', 'process.exit(0)'] },
    });
    const again = await restartStep(owner, started.runId, 'orders');
    expect(again.stepRunId).not.toBe(s.orders.runId);
    expect((await t.run(started.runId)).status).toBe('running');
    expect(await finished(started.runId)).toMatchObject({ status: 'succeeded', error: null });
    s = await steps(started.runId);
    expect(s.orders).toMatchObject({ status: 'succeeded', attempt: 2, runId: again.stepRunId });
    expect(s.report.status).toBe('succeeded');
    // Each step started once per attempt: extract and customers were not run again.
    const rows = await t.db.jobRun.findMany({ where: { pipelineRunId: started.runId } });
    expect(rows.map((r) => r.jobId).sort()).toEqual([ok.id, flaky.id, flaky.id, slowOk.id, ok.id].sort());
  });

  it('runs a "finished" step after a failed parent, and passes the pipeline’s params to its steps', async () => {
    const { startJob } = await api();
    const ok = await commandJob(0);
    const bad = await commandJob(1);
    const p = await pipeline([
      { id: 'load', job: bad.name, params: { day: { $param: 'day' }, mode: 'full' } },
      {
        id: 'cleanup',
        job: ok.name,
        parents: ['load'],
        condition: 'finished',
        params: { missing: { $param: 'x' } },
      },
    ]);
    const started = await startJob(owner, { id: p.id, params: { day: '2026-12-08' } });
    if (started.dryRun) throw new Error('not a dry run');
    const run = await finished(started.runId);
    const s = await steps(started.runId);
    expect(s.cleanup.status).toBe('succeeded');
    expect((await t.run(s.load.runId!)).params).toEqual({ day: '2026-12-08', mode: 'full' });
    expect((await t.run(s.cleanup.runId!)).params).toEqual({});
    // Every child of the failed step runs under "finished": the flow was built to go on past it.
    expect(run.status).toBe('succeeded');
  });

  it('a dry run starts nothing', async () => {
    const { startJob } = await api();
    const p = await pipeline([{ id: 'a', job: (await commandJob(0)).name }]);
    expect(await startJob(owner, { id: p.name, dryRun: true })).toMatchObject({ dryRun: true });
    expect(await t.db.jobRun.count({ where: { jobId: p.id } })).toBe(0);
  });

  it('cancel stops the running steps and leaves the rest unstarted', async () => {
    const { startJob, requestCancel } = await api();
    const slow = await commandJob(0, { sleep: 60 });
    const ok = await commandJob(0);
    const p = await pipeline([
      { id: 'long', job: slow.name },
      { id: 'after', job: ok.name, parents: ['long'], condition: 'finished' },
    ]);
    const started = await startJob(owner, { id: p.name });
    if (started.dryRun) throw new Error('not a dry run');
    const longRun = await waitFor(async () => {
      const s = await steps(started.runId);
      return s.long.status === 'running' ? s.long.runId : null;
    });
    const result = await requestCancel(t.orgId, started.runId);
    expect(result.outcome).toBe('cancelled');
    expect((await t.run(started.runId)).status).toBe('cancelled');
    expect((await finished(longRun)).status).toBe('cancelled');
    const s = await steps(started.runId);
    expect(s.after).toMatchObject({ status: 'pending', runId: null });
    expect(await t.db.jobRun.count({ where: { pipelineRunId: started.runId } })).toBe(1);
  });
});
