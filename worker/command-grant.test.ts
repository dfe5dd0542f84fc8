// A queued command run of an organisation that lost the operator's grant fails with the reason, as the
// worker's own database role (which reads only the organisation's id and grant).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestDatabase, type TestDatabase } from './test-support';

let t: TestDatabase;

beforeAll(async () => {
  t = await startTestDatabase();
});
afterAll(async () => {
  await t?.stop();
});

it('a command run queued before the grant was withdrawn fails with the reason; granted again, it runs', async () => {
  const { executeRun } = await import('./execute-run');
  const { loadWorkerSettings } = await import('./settings');
  const { grantCommandJobs } = await import('../server/members/command-grant');
  const settings = loadWorkerSettings({ PATH: process.env.PATH, COMMAND_SANDBOX: 'none' });
  const jobId = await t.createJob({ type: 'command', config: { command: 'true' } });
  const queued = await t.startRun(jobId, {}, { enqueue: false });
  await grantCommandJobs(t.orgId, null);
  await executeRun(queued, { workerId: 'w', commandJobs: true, active: new Map(), settings });
  const refused = await t.run(queued);
  expect(refused.status).toBe('failed');
  expect(refused.error).toMatch(/no grant for command jobs.*org grant-commands/);

  await grantCommandJobs(t.orgId, 'admin');
  const again = await t.startRun(jobId, {}, { enqueue: false });
  await executeRun(again, { workerId: 'w', commandJobs: true, active: new Map(), settings });
  expect((await t.run(again)).status).toBe('succeeded');
});
