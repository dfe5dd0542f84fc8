// Schedules with real worker processes (`npx tsx worker/main.ts`): two workers tick a `* * * * *`
// schedule for three minutes and it runs exactly once a minute; ticks missed while no worker ran run once
// on restart inside SCHEDULE_CATCH_UP and not at all outside it.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, waitFor, type TestDatabase } from './test-support';

let t: TestDatabase;
const children: ChildProcess[] = [];
const MINUTE = 60_000;

function worker(env: Record<string, string> = {}) {
  const child = spawn('npx', ['tsx', 'worker/main.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, DATABASE_URL: t.url, DATA_DIR: t.dir, ...env },
    detached: true,
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const started = waitFor(() => output.includes('started (pid'), 60_000, 'a worker to start');
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.on('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  };
  return { started, stop, output: () => output };
}

async function job(concurrency: 'single' | 'parallel' = 'parallel') {
  const id = await t.createJob({ type: 'command', config: { command: process.execPath, args: ['-e', ''] } });
  await t.db.job.update({ where: { id }, data: { concurrency } });
  return id;
}

beforeAll(async () => {
  t = await startTestDatabase();
});
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  await t?.stop();
});

describe('schedules with worker processes', () => {
  it('a * * * * * schedule runs exactly once a minute with two workers, for three minutes', async () => {
    const jobId = await job('single');
    const { saveSchedules } = await import('../server/schedules/save-schedules');
    process.env.SCHEDULE_MIN_INTERVAL_SECONDS = '60'; // every minute, which the default refuses
    await t.db.$transaction((tx) =>
      saveSchedules(tx, t.orgId, jobId, [{ cron: '* * * * *', timezone: 'UTC', params: {}, enabled: true }]),
    );
    // The first tick is the one the save computed: a save that straddles a minute boundary (a busy
    // machine) makes it the boundary before Date.now() here, not the one after.
    const saved = await t.db.jobSchedule.findFirstOrThrow({ where: { jobId } });
    const firstTick = saved.nextRunAt!.getTime();
    const workers = [worker(), worker()];
    await Promise.all(workers.map((w) => w.started));
    // Three minute boundaries from the schedule's first, and time for the last one to be run.
    const ticks = [0, 1, 2].map((i) => new Date(firstTick + i * MINUTE));
    await new Promise((resolve) => setTimeout(resolve, ticks[2].getTime() + 15_000 - Date.now()));
    await Promise.all(workers.map((w) => w.stop()));

    const runs = await t.db.jobRun.findMany({ where: { jobId }, orderBy: { queuedAt: 'asc' } });
    const s = await t.db.jobSchedule.findFirstOrThrow({ where: { jobId } });
    expect(runs.map((r) => r.trigger)).toEqual(['schedule', 'schedule', 'schedule']);
    expect(runs.every((r) => r.scheduleId === s.id && r.status === 'succeeded')).toBe(true);
    // Each run belongs to its own tick: queued within seconds after it.
    runs.forEach((r, i) => {
      expect(r.queuedAt.getTime() - ticks[i].getTime()).toBeGreaterThanOrEqual(0);
      expect(r.queuedAt.getTime() - ticks[i].getTime()).toBeLessThan(10_000);
    });
    console.log(
      `[schedules] tick-to-run lag (ms): ${runs.map((r, i) => r.queuedAt.getTime() - ticks[i].getTime()).join(', ')}`,
    );
    expect(s.lastTickAt).toEqual(ticks[2]);
    // Both workers did take part (each saw at least one tick through), yet no tick ran twice.
    expect(workers.map((w) => /tick .*: run /.test(w.output()))).toContain(true);
  }, 300_000);

  it('on restart, a tick missed inside the catch-up window runs once; one outside it is skipped', async () => {
    const now = Date.now();
    const daily = (at: Date) => `${at.getUTCMinutes()} ${at.getUTCHours()} * * *`;
    const inside = new Date(Math.floor((now - 10 * MINUTE) / MINUTE) * MINUTE);
    const outside = new Date(Math.floor((now - 40 * MINUTE) / MINUTE) * MINUTE);
    const insideJob = await job();
    const outsideJob = await job();
    // As if saved before everything stopped: their next ticks passed meanwhile.
    const a = await t.db.jobSchedule.create({
      data: { orgId: t.orgId, jobId: insideJob, cron: daily(inside), nextRunAt: inside },
    });
    const b = await t.db.jobSchedule.create({
      data: { orgId: t.orgId, jobId: outsideJob, cron: daily(outside), nextRunAt: outside },
    });

    const workers = [worker({ SCHEDULE_CATCH_UP: '30m' }), worker({ SCHEDULE_CATCH_UP: '30m' })];
    await Promise.all(workers.map((w) => w.started));
    const run = await waitFor(
      () => t.db.jobRun.findFirst({ where: { jobId: insideJob, status: 'succeeded' } }),
      30_000,
      'the caught-up run',
    );
    expect(run).toMatchObject({ trigger: 'schedule', scheduleId: a.id });
    await waitFor(
      async () => (await t.db.jobSchedule.findUniqueOrThrow({ where: { id: b.id } })).lastSkipReason,
      15_000,
      'the skip to be recorded',
    );
    await new Promise((resolve) => setTimeout(resolve, 6_000)); // a few more ticks of both workers
    await Promise.all(workers.map((w) => w.stop()));

    expect(await t.db.jobRun.count({ where: { jobId: insideJob } })).toBe(1);
    expect(await t.db.jobRun.count({ where: { jobId: outsideJob } })).toBe(0);
    const skipped = await t.db.jobSchedule.findUniqueOrThrow({ where: { id: b.id } });
    expect(skipped.lastSkippedAt).toEqual(outside);
    expect(skipped.lastSkipReason).toMatch(/catch-up window \(1800 s\)/);
    expect(skipped.nextRunAt!.getTime()).toBeGreaterThan(now);
    expect(
      await t.db.auditEvent.count({ where: { action: 'schedule.skipped', target: `schedule:${b.id}` } }),
    ).toBe(1);
  }, 120_000);

  it('a tick is not held up while every run slot of the worker is busy with a long run', async () => {
    const { startWorker } = await import('./index');
    const w = await startWorker({ connectionString: t.url, concurrency: 1, log: () => {} });
    try {
      const sleeper = await t.createJob({
        type: 'command',
        config: { command: process.execPath, args: ['-e', 'setTimeout(() => {}, 30000)'] },
      });
      const busy = await t.startRun(sleeper);
      await waitFor(async () => (await t.run(busy)).status === 'running', 20_000, 'the long run to start');
      const jobId = await job();
      const tick = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
      await t.db.jobSchedule.create({ data: { orgId: t.orgId, jobId, cron: '* * * * *', nextRunAt: tick } });
      const run = await waitFor(
        () => t.db.jobRun.findFirst({ where: { jobId } }),
        15_000,
        'the scheduled run to be created',
      );
      expect(run).toMatchObject({ trigger: 'schedule', status: 'queued' });
      expect((await t.run(busy)).status).toBe('running');
    } finally {
      await t.db.jobRun.updateMany({ where: { status: 'running' }, data: { cancelRequestedAt: new Date() } });
      await w.stop();
    }
  }, 90_000);
});
