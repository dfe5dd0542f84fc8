// Schedules against a real Postgres: many tickers at once queue one entry per tick, a tick's entry run
// twice starts one run, missed ticks follow the catch-up window, single jobs skip while busy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type TestDatabase } from '../../worker/test-support';

let t: TestDatabase;
let enqueueDueTicks: typeof import('./enqueue-due-ticks').enqueueDueTicks;
let runScheduleTick: typeof import('./run-schedule-tick').runScheduleTick;
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await startTestDatabase();
  ({ enqueueDueTicks } = await import('./enqueue-due-ticks'));
  ({ runScheduleTick } = await import('./run-schedule-tick'));
});
afterAll(async () => {
  await t?.stop();
});

async function schedule(cron: string, nextRunAt: Date, concurrency: 'single' | 'parallel' = 'parallel') {
  const jobId = await t.createJob({ type: 'command', config: { command: '/bin/true' } });
  await t.db.job.update({ where: { id: jobId }, data: { concurrency } });
  const s = await t.db.jobSchedule.create({
    data: { orgId: t.orgId, jobId, cron, timezone: 'UTC', params: { from: 'schedule' }, nextRunAt },
  });
  return { jobId, scheduleId: s.id };
}

const queued = (scheduleId: string) =>
  t.db.$queryRawUnsafe<{ key: string; payload: { tick: string } }[]>(
    'select key, payload from graphile_worker._private_jobs where key like $1',
    `schedule:${scheduleId}:%`,
  );

describe('ticks', () => {
  it('ten tickers at once queue one entry for the tick; running that entry twice starts one run', async () => {
    const tick = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const { scheduleId, jobId } = await schedule('* * * * *', tick);
    await Promise.all(Array.from({ length: 10 }, () => enqueueDueTicks(HOUR)));
    const entries = await queued(scheduleId);
    expect(entries.map((e) => e.key)).toEqual([`schedule:${scheduleId}:${tick.toISOString()}`]);

    const payload = { scheduleId, tick: tick.toISOString(), skipped: null, skipReason: null };
    const outcomes = await Promise.all([runScheduleTick(payload, HOUR), runScheduleTick(payload, HOUR)]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['duplicate', 'started']);
    // Added again after it was done (a slow worker's late tick): still one run.
    expect((await runScheduleTick(payload, HOUR)).outcome).toBe('duplicate');

    const runs = await t.db.jobRun.findMany({ where: { jobId } });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      trigger: 'schedule',
      scheduleId,
      params: { from: 'schedule' },
      status: 'queued',
    });
    const s = await t.db.jobSchedule.findUniqueOrThrow({ where: { id: scheduleId } });
    expect(s.lastTickAt).toEqual(tick);
    expect(s.lastRunId).toBe(runs[0].id);
    expect(s.nextRunAt).toEqual(new Date(tick.getTime() + 60_000));
    const audit = await t.db.auditEvent.findFirst({ where: { target: `run:${runs[0].id}` } });
    expect(audit?.details).toMatchObject({ trigger: 'schedule' });
  });

  it('a tick missed by more than the catch-up window is skipped and recorded, not run', async () => {
    const old = new Date(Date.now() - 2 * HOUR);
    const cron = `${old.getUTCMinutes()} ${old.getUTCHours()} * * *`;
    const { scheduleId, jobId } = await schedule(cron, new Date(Math.floor(old.getTime() / 60_000) * 60_000));
    const result = await enqueueDueTicks(HOUR);
    expect(result.skipped).toBeGreaterThanOrEqual(1);
    expect(await queued(scheduleId)).toEqual([]);
    expect(await t.db.jobRun.count({ where: { jobId } })).toBe(0);
    const s = await t.db.jobSchedule.findUniqueOrThrow({ where: { id: scheduleId } });
    expect(s.lastSkipReason).toMatch(/catch-up window/);
    expect(s.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    expect(
      await t.db.auditEvent.count({
        where: { action: 'schedule.skipped', target: `schedule:${scheduleId}` },
      }),
    ).toBe(1);
  });

  it('a single job with a run still active skips the tick and says why', async () => {
    const tick = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const { scheduleId, jobId } = await schedule('* * * * *', tick, 'single');
    const active = await t.startRun(jobId, {}, { enqueue: false });
    const outcome = await runScheduleTick(
      { scheduleId, tick: tick.toISOString(), skipped: null, skipReason: null },
      HOUR,
    );
    expect(outcome).toEqual({ outcome: 'skipped', reason: expect.stringContaining(active) });
    expect(await t.db.jobRun.count({ where: { jobId } })).toBe(1);
    const s = await t.db.jobSchedule.findUniqueOrThrow({ where: { id: scheduleId } });
    expect(s.lastSkippedAt).toEqual(tick);
    expect(s.lastSkipReason).toMatch(/one at a time/);
  });

  it('a disabled schedule does not tick', async () => {
    const tick = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const { scheduleId } = await schedule('* * * * *', tick);
    await t.db.jobSchedule.update({ where: { id: scheduleId }, data: { enabled: false } });
    await enqueueDueTicks(HOUR);
    expect(await queued(scheduleId)).toEqual([]);
    expect(
      (await runScheduleTick({ scheduleId, tick: tick.toISOString(), skipped: null, skipReason: null }, HOUR))
        .outcome,
    ).toBe('duplicate');
  });

  it('a job definition carries its schedules: created, kept by id on edit, left alone when not given, refused when invalid', async () => {
    const { createJob } = await import('../jobs/create-job');
    const { updateJob } = await import('../jobs/update-job');
    const audit = { actor: 'system', actorName: 'test' };
    const def = { name: `with-schedules-${Date.now()}`, type: 'command', config: { command: '/bin/true' } };
    const job = await createJob(
      t.orgId,
      { ...def, schedules: [{ cron: '@hourly', timezone: 'Europe/Berlin', params: { a: 1 } }] },
      audit,
      'operator',
    );
    const [created] = await t.db.jobSchedule.findMany({ where: { jobId: job.id } });
    expect(created).toMatchObject({
      cron: '@hourly',
      timezone: 'Europe/Berlin',
      params: { a: 1 },
      enabled: true,
    });
    expect(created.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    await t.db.jobSchedule.update({ where: { id: created.id }, data: { lastTickAt: new Date(0) } });

    const actor = {
      kind: 'user' as const,
      userId: '00000000-0000-0000-0000-000000000000',
      email: 'e@x',
      name: 'e',
      orgId: t.orgId,
      orgSlug: 'x',
      role: 'owner' as const,
    };
    await updateJob(actor, job.id, {
      ...def,
      schedules: [
        { id: created.id, cron: '@hourly', timezone: 'Europe/Berlin', params: { a: 2 } },
        { cron: '*/5 * * * *' },
      ],
    });
    const after = await t.db.jobSchedule.findMany({
      where: { jobId: job.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(after).toHaveLength(2);
    expect(after[0]).toMatchObject({
      id: created.id,
      params: { a: 2 },
      lastTickAt: new Date(0),
      nextRunAt: created.nextRunAt,
    });
    await updateJob(actor, job.id, def);
    expect(await t.db.jobSchedule.count({ where: { jobId: job.id } })).toBe(2);
    await updateJob(actor, job.id, { ...def, schedules: [] });
    expect(await t.db.jobSchedule.count({ where: { jobId: job.id } })).toBe(0);

    await expect(
      updateJob(actor, job.id, { ...def, schedules: [{ cron: '* * * * * *', timezone: 'Mars/Olympus' }] }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [
        { path: 'schedules.0.cron', message: expect.stringMatching(/five fields/) },
        { path: 'schedules.0.timezone', message: expect.stringMatching(/IANA/) },
      ],
    });
  });

  it('a schedule that cannot be read is parked with the reason and does not stop the others', async () => {
    const tick = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const broken = await schedule('* * * * *', new Date(tick.getTime() - 1));
    await t.db.jobSchedule.update({ where: { id: broken.scheduleId }, data: { timezone: 'Mars/Olympus' } });
    const fine = await schedule('* * * * *', tick);
    await enqueueDueTicks(HOUR);
    expect(await queued(fine.scheduleId)).toHaveLength(1);
    const parked = await t.db.jobSchedule.findUniqueOrThrow({ where: { id: broken.scheduleId } });
    expect(parked.nextRunAt).toBeNull();
    expect(parked.lastSkipReason).toMatch(/cannot be read/);
  });
});

describe('limits on schedules', () => {
  const audit = { actor: 'system', actorName: 'test' };
  const refusal = async (promise: Promise<unknown>) => {
    try {
      await promise;
      return 'saved';
    } catch (error) {
      const e = error as { code?: string; errors?: { path: string; rule?: string }[] };
      return { code: e.code, errors: e.errors?.map((x) => ({ path: x.path, rule: x.rule })) };
    }
  };
  const def = (over: Record<string, unknown>) => ({
    name: `limits-${Date.now()}-${Math.random()}`,
    type: 'command',
    config: { command: '/bin/true' },
    ...over,
  });

  it("a schedule's params are checked against the job's params schema when the job is saved", async () => {
    const { createJob } = await import('../jobs/create-job');
    const paramsSchema = {
      type: 'object',
      properties: { day: { type: 'string' } },
      required: ['day'],
      additionalProperties: false,
    };
    expect(
      await refusal(
        createJob(
          t.orgId,
          def({
            paramsSchema,
            schedules: [
              { cron: '@daily', params: { day: 'today' } },
              { cron: '@hourly', params: { day: 3 } },
            ],
          }),
          audit,
          'operator',
        ),
      ),
    ).toEqual({ code: 'validation_failed', errors: [{ path: 'schedules.1.params.day', rule: undefined }] });
    expect(
      await refusal(
        createJob(
          t.orgId,
          def({ paramsSchema, schedules: [{ cron: '@hourly', params: {} }] }),
          audit,
          'operator',
        ),
      ),
    ).toEqual({ code: 'validation_failed', errors: [{ path: 'schedules.0.params.day', rule: undefined }] });

    // Changing the schema under schedules that are left as they are checks them too.
    const job = await createJob(
      t.orgId,
      def({ schedules: [{ cron: '@hourly', params: { day: 'x', extra: 1 } }] }),
      audit,
      'operator',
    );
    const { updateJob } = await import('../jobs/update-job');
    const owner = {
      kind: 'user' as const,
      userId: '00000000-0000-0000-0000-000000000000',
      email: 'e@x',
      name: 'e',
      orgId: t.orgId,
      orgSlug: 'x',
      role: 'owner' as const,
    };
    const { name, type, config } = job;
    expect(await refusal(updateJob(owner, job.id, { name, type, config, paramsSchema }))).toEqual({
      code: 'validation_failed',
      errors: [{ path: 'schedules.0.params.extra', rule: undefined }],
    });
    expect(await t.db.jobSchedule.count({ where: { jobId: job.id } })).toBe(1);
  });

  it('a schedule firing more often than SCHEDULE_MIN_INTERVAL_SECONDS (default 300) is refused', async () => {
    const { createJob } = await import('../jobs/create-job');
    const save = (cron: string) =>
      refusal(createJob(t.orgId, def({ schedules: [{ cron: '@daily' }, { cron }] }), audit, 'operator'));
    delete process.env.SCHEDULE_MIN_INTERVAL_SECONDS;
    for (const cron of ['* * * * *', '*/2 * * * *', '0,1 3 * * *', '* * 1 * *'])
      expect(await save(cron)).toEqual({
        code: 'validation_failed',
        errors: [{ path: 'schedules.1.cron', rule: 'schedule_too_frequent' }],
      });
    expect(await save('*/5 * * * *')).toBe('saved');
    expect(await save('@hourly')).toBe('saved');
    process.env.SCHEDULE_MIN_INTERVAL_SECONDS = '60';
    try {
      expect(await save('* * * * *')).toBe('saved');
    } finally {
      delete process.env.SCHEDULE_MIN_INTERVAL_SECONDS;
    }
  });

  it('a scheduled start is skipped, with the reason and an audit event, while the job has SCHEDULE_MAX_QUEUED_RUNS queued', async () => {
    delete process.env.SCHEDULE_MAX_QUEUED_RUNS;
    const tick = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const { scheduleId, jobId } = await schedule('* * * * *', tick);
    for (let i = 0; i < 10; i++) await t.startRun(jobId, {}, { enqueue: false });
    const outcome = await runScheduleTick(
      { scheduleId, tick: tick.toISOString(), skipped: null, skipReason: null },
      HOUR,
    );
    expect(outcome).toEqual({ outcome: 'skipped', reason: expect.stringMatching(/10 runs .*queued/) });
    expect(await t.db.jobRun.count({ where: { jobId } })).toBe(10);
    expect(
      await t.db.auditEvent.count({
        where: { action: 'schedule.skipped', target: `schedule:${scheduleId}` },
      }),
    ).toBe(1);

    // One fewer queued (nine): the next tick starts its run.
    const oldest = await t.db.jobRun.findFirstOrThrow({ where: { jobId }, orderBy: { queuedAt: 'asc' } });
    await t.db.jobRun.update({ where: { id: oldest.id }, data: { status: 'succeeded' } });
    const next = new Date(tick.getTime() + 60_000);
    expect(
      (
        await runScheduleTick(
          { scheduleId, tick: next.toISOString(), skipped: null, skipReason: null },
          HOUR,
          next,
        )
      ).outcome,
    ).toBe('started');
  });
});
