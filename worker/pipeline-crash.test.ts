// Pipelines across two real worker processes, one SIGKILLed while it runs a step: every step is started
// exactly once (one step row and one run each), the lost step's run is retried by the other worker, and
// the pipeline finishes. The steps' ends, recorded by both workers at once, advance the pipeline in the
// database, so no process has to survive between two steps.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { UserActor } from '../server/auth/actor';
import { startTestDatabase, waitFor, type TestDatabase } from './test-support';

let t: TestDatabase;
const children: ChildProcess[] = [];

function workerProcess(env: Record<string, string>) {
  const child = spawn('npx', ['tsx', 'worker/main.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    detached: true,
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  return { child, output: () => output };
}

beforeAll(async () => {
  t = await startTestDatabase();
});
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  await t?.stop();
});

it('starts each step exactly once across two workers, one of them killed mid-pipeline', async () => {
  const env = {
    DATABASE_URL: t.workerUrl,
    DATA_DIR: t.dir,
    WORKER_CONCURRENCY: '2',
    RUN_HEARTBEAT_TIMEOUT_SECONDS: '4',
    RUN_SWEEP_INTERVAL_SECONDS: '1',
  };
  const workers = [workerProcess(env), workerProcess(env)];
  const ids = await Promise.all(
    workers.map(({ output }) =>
      waitFor(() => output().match(/worker (\S+) started/)?.[1], 60_000, 'a worker to start'),
    ),
  );

  const { createJob } = await import('../server/jobs/create-job');
  const { startJob } = await import('../server/jobs/start-job');
  const audit = { actor: 'system', actorName: 'test' };
  const command = async (name: string, seconds: number) =>
    createJob(
      t.orgId,
      {
        name,
        type: 'command',
        concurrency: 'parallel',
        maxAttempts: 2,
        config: {
          command: process.execPath,
          args: ['-e', `void 'pipeline-crash'; setTimeout(() => {}, ${seconds * 1000})`],
        },
      },
      audit,
      'operator',
    );
  await command('quick', 0);
  await command('slow', 3);
  const fan = ['s1', 's2', 's3', 's4'];
  const pipeline = await createJob(
    t.orgId,
    {
      name: 'nightly',
      type: 'pipeline',
      config: {
        steps: [
          { id: 'root', job: 'quick' },
          ...fan.map((id) => ({ id, job: 'slow', parents: ['root'] })),
          { id: 'join', job: 'quick', parents: fan },
          { id: 'tail', job: 'quick', parents: ['join'] },
        ],
      },
    },
    audit,
    'operator',
  );
  const owner: UserActor = {
    kind: 'user',
    userId: '00000000-0000-4000-8000-000000000002',
    email: 'owner@example.test',
    name: 'Owner',
    orgId: t.orgId,
    orgSlug: 'org',
    role: 'owner',
  };
  const started = await startJob(owner, { id: pipeline.id });
  if (started.dryRun) throw new Error('not a dry run');

  // Kill the first worker while it runs one of the fan's steps.
  const victim = await waitFor(
    async () =>
      t.db.jobRun.findFirst({
        where: { pipelineRunId: started.runId, status: 'running', workerId: ids[0] },
      }),
    60_000,
    'a step running on the first worker',
  );
  process.kill(-workers[0].child.pid!, 'SIGKILL');

  const run = await waitFor(
    async () => {
      const r = await t.run(started.runId);
      return ['succeeded', 'failed', 'cancelled'].includes(r.status) ? r : null;
    },
    120_000,
    'the pipeline to finish',
  );
  expect(run.status).toBe('succeeded');

  const stepRows = await t.db.pipelineStepRun.findMany({ where: { pipelineRunId: started.runId } });
  expect(stepRows.map((s) => s.stepId).sort()).toEqual(['join', 'root', ...fan, 'tail'].sort());
  expect(stepRows.every((s) => s.attempt === 1 && s.runId)).toBe(true);
  const runs = await t.db.jobRun.findMany({ where: { pipelineRunId: started.runId } });
  expect(runs).toHaveLength(7);
  expect(new Set(runs.map((r) => r.id))).toEqual(new Set(stepRows.map((s) => s.runId)));
  expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
  // The killed worker's step was retried (its run's next attempt) by the worker that lived.
  const retried = runs.find((r) => r.id === victim.id)!;
  expect(retried).toMatchObject({ attempt: 2, workerId: ids[1] });
  // One start recorded per step run (etl_start_runs writes the audit event with the run).
  const starts = await t.db.auditEvent.findMany({
    where: { action: 'job.started', target: { in: runs.map((r) => `run:${r.id}`) } },
  });
  expect(starts).toHaveLength(7);
  process.kill(-workers[1].child.pid!, 'SIGTERM');
});
