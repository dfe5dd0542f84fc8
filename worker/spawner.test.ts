// The worker's spawner (worker/spawner-process.mjs) dying mid-run: the run fails with the reason, its
// processes do not outlive it, and the next run gets a new spawner.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { childrenOf, commandLine } from '../testkit/proc-fs';
import { processesMatching, startTestDatabase, waitFor, type TestDatabase } from './test-support';

let t: TestDatabase;

beforeAll(async () => {
  t = await startTestDatabase();
});
afterAll(async () => {
  await t?.stop();
});

const spawners = () =>
  childrenOf(process.pid).filter((pid) => commandLine(pid).includes('spawner-process.mjs'));

it('fails a run whose spawner dies, ends its processes, and starts a new spawner for the next', async () => {
  const { loadWorkerSettings } = await import('./settings');
  const { executeRun } = await import('./execute-run');
  const options = {
    workerId: 'spawner-test',
    commandJobs: true,
    active: new Map(),
    settings: { ...loadWorkerSettings({ PATH: process.env.PATH }), sandbox: 'none' as const },
  };
  const script = "void 'spawner-kill'; console.log('started'); setTimeout(() => {}, 60000)";
  const long = await t.createJob({
    type: 'command',
    config: { command: process.execPath, args: ['-e', script] },
  });
  const runId = await t.startRun(long, {}, { enqueue: false });
  const running = executeRun(runId, options);
  await waitFor(() => processesMatching("void 'spawner-kill'").length > 0, 20_000, 'the run to start');
  const [spawner] = spawners();
  expect(spawner).toBeGreaterThan(0);
  process.kill(spawner, 'SIGKILL');
  await running;

  expect(await t.run(runId)).toMatchObject({
    status: 'failed',
    error: "the worker's spawner process ended (SIGKILL)",
  });
  await waitFor(() => processesMatching("void 'spawner-kill'").length === 0, 5_000, 'the run to be gone');

  const quick = await t.createJob({ type: 'command', config: { command: 'true' } });
  const next = await t.startRun(quick, {}, { enqueue: false });
  await executeRun(next, options);
  expect(await t.run(next)).toMatchObject({ status: 'succeeded' });
  expect(spawners()).toHaveLength(1);
  expect(spawners()).not.toContain(spawner);
}, 60_000);
