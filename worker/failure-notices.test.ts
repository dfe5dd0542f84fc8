// A failed run of a job with "notify on failure" mails its watchers once (through the outbox), as the
// worker's own database role: the trigger picks the recipients, the worker only sends.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { outboxMailsTo } from '../server/email/test-support';
import { startTestDatabase, type TestDatabase } from './test-support';

let t: TestDatabase;

beforeAll(async () => {
  t = await startTestDatabase();
  delete process.env.SMTP_URL;
  process.env.PUBLIC_URL = 'https://etl.example.test';
});
afterAll(async () => {
  delete process.env.PUBLIC_URL;
  await t?.stop();
});

async function member(email: string, options: { optOut?: boolean; orgId?: string } = {}) {
  const user = await t.db.user.create({
    data: { email, passwordHash: 'x', emailVerifiedAt: new Date(), failureNotices: !options.optOut },
  });
  await t.db.membership.create({
    data: { orgId: options.orgId ?? t.orgId, userId: user.id, role: 'editor' },
  });
  return user;
}

it('mails the creator and the listed members who did not opt out, once per run, with a link to the run', async () => {
  const { executeRun } = await import('./execute-run');
  const { loadWorkerSettings } = await import('./settings');
  const { sendFailureNotice } = await import('../server/runs/failure-notice');
  const creator = await member('creator@acme.test');
  await member('watcher@acme.test');
  await member('quiet@acme.test', { optOut: true });
  const jobId = await t.createJob({ type: 'command', config: { command: 'false' } });
  await t.db.job.update({
    where: { id: jobId },
    data: {
      notifyOnFailure: true,
      createdById: creator.id,
      notifyEmails: ['watcher@acme.test', 'quiet@acme.test', 'stranger@else.test'],
    },
  });
  const settings = loadWorkerSettings({ PATH: process.env.PATH, COMMAND_SANDBOX: 'none' });
  const runId = await t.startRun(jobId, {}, { enqueue: false });
  await executeRun(runId, { workerId: 'w', commandJobs: true, active: new Map(), settings });
  expect((await t.run(runId)).status).toBe('failed');

  // The worker's role reads the notice (and nothing about users); its queue entry is there.
  const { newClient } = await import('../server/db/pool');
  const worker = newClient(t.workerUrl);
  await worker.connect();
  try {
    const { rows } = await worker.query('select recipients from "FailureNotice" where "runId" = $1', [runId]);
    expect(rows).toEqual([{ recipients: ['creator@acme.test', 'watcher@acme.test'] }]);
    await expect(worker.query('select email from "User"')).rejects.toThrow(/permission denied/);
    const queued = await worker.query(
      `select count(*)::int as n from graphile_worker.jobs where task_identifier = 'failure-notice' and key = $1`,
      [`failure-notice:${runId}`],
    );
    expect(queued.rows[0].n).toBe(1);
  } finally {
    await worker.end();
  }

  expect(await sendFailureNotice(runId)).toBe('sent');
  expect(await sendFailureNotice(runId)).toBe('none');
  const mails = await outboxMailsTo(t.dir, 'creator@acme.test, watcher@acme.test');
  expect(mails).toHaveLength(1);
  expect(mails[0]).toMatch(/^Subject: Run of job-\d+ failed$/m);
  expect(mails[0]).toContain(`https://etl.example.test/runs/${runId}`);
  expect(await outboxMailsTo(t.dir, 'quiet@acme.test')).toHaveLength(0);
});

it('a failed run of a job without the setting mails nobody', async () => {
  const creator = await member('other-creator@acme.test');
  const quietJob = await t.createJob({ type: 'command', config: { command: 'false' } });
  await t.db.job.update({ where: { id: quietJob }, data: { createdById: creator.id } });
  const runId = await t.startRun(quietJob, {}, { enqueue: false });
  await t.db.jobRun.update({ where: { id: runId }, data: { status: 'failed' } });
  expect(await t.db.failureNotice.count({ where: { runId } })).toBe(0);
});
