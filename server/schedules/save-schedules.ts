import { z } from 'zod';
import { cronOf } from '../../lib/schedules/cron';
import { schedulesSchema, type Schedule } from '../../lib/validations/schedule';
import type { Prisma } from '../db';
import { scheduleMinIntervalSeconds } from '../config';
import { AppError, type FieldError } from '../errors';
import { checkParams } from '../jobs/check-params';

const withSchedules = z.object({ schedules: schedulesSchema.optional() });

/** The schedules of a job definition (already checked by jobColumns), or undefined when it has none. */
export function jobSchedules(input: unknown): Schedule[] | undefined {
  return withSchedules.parse(input).schedules;
}

const nextTick = (s: Pick<Schedule, 'cron' | 'timezone' | 'enabled'>, from: Date) =>
  s.enabled ? cronOf(s.cron, s.timezone).nextRun(from) : null;

/** The shortest gap between the next ticks of a cron expression, in seconds (Infinity with fewer than two). */
function shortestGapSeconds(s: Pick<Schedule, 'cron' | 'timezone'>): number {
  // A cron expression is a product of its fields: its densest burst shows within the next ticks.
  const ticks = cronOf(s.cron, s.timezone).nextRuns(25);
  let gap = Infinity;
  for (let i = 1; i < ticks.length; i++)
    gap = Math.min(gap, (ticks[i].getTime() - ticks[i - 1].getTime()) / 1000);
  return gap;
}

/**
 * The rules a job's schedules must keep when it is saved: each one's params fit the job's params
 * schema, and none ticks more often than SCHEDULE_MIN_INTERVAL_SECONDS. 422 with every broken path.
 */
function assertSchedulesAllowed(
  job: { id: string; orgId: string; updatedAt: Date; paramsSchema: unknown },
  schedules: Pick<Schedule, 'cron' | 'timezone' | 'params'>[],
  { interval = true } = {},
): void {
  const minimum = interval ? scheduleMinIntervalSeconds() : 0;
  const errors: FieldError[] = [];
  schedules.forEach((s, i) => {
    if (minimum > 0 && shortestGapSeconds(s) < minimum)
      errors.push({
        path: `schedules.${i}.cron`,
        message: `Runs more often than this installation allows: at most once every ${minimum} seconds`,
        rule: 'schedule_too_frequent',
      });
    try {
      checkParams(job, s.params);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      for (const e of error.errors ?? []) errors.push({ ...e, path: `schedules.${i}.${e.path}` });
    }
  });
  if (errors.length > 0) throw new AppError('validation_failed', 'A schedule is not allowed', { errors });
}

/**
 * Replaces a job's schedules with `schedules` (inside the transaction that saves the job). A schedule
 * given with its id keeps its history; a changed expression, zone or switch counts ticks from now, so a
 * schedule never fires for a time before it was saved. undefined leaves the schedules alone (their
 * params are still checked against the job's params schema, which may have changed).
 */
export async function saveSchedules(
  tx: Prisma.TransactionClient,
  orgId: string,
  jobId: string,
  schedules: Schedule[] | undefined,
): Promise<void> {
  const job = await tx.job.findFirstOrThrow({
    where: { id: jobId, orgId },
    select: { id: true, orgId: true, updatedAt: true, paramsSchema: true },
  });
  const existing = await tx.jobSchedule.findMany({ where: { orgId, jobId }, orderBy: { createdAt: 'asc' } });
  if (schedules === undefined) {
    if (job.paramsSchema !== null)
      assertSchedulesAllowed(
        job,
        existing.map((e) => ({ ...e, params: e.params as Record<string, unknown> })),
        { interval: false },
      );
    return;
  }
  assertSchedulesAllowed(job, schedules);
  const now = new Date();
  const kept = new Set(schedules.map((s) => s.id).filter(Boolean));
  await tx.jobSchedule.deleteMany({ where: { orgId, jobId, id: { notIn: [...kept] as string[] } } });
  for (const s of schedules) {
    const data = {
      cron: s.cron,
      timezone: s.timezone,
      params: s.params as Prisma.InputJsonValue,
      enabled: s.enabled,
    };
    const before = s.id ? existing.find((e) => e.id === s.id) : undefined;
    if (!before) {
      await tx.jobSchedule.create({ data: { orgId, jobId, ...data, nextRunAt: nextTick(s, now) } });
      continue;
    }
    const changed = before.cron !== s.cron || before.timezone !== s.timezone || before.enabled !== s.enabled;
    await tx.jobSchedule.update({
      where: { id: before.id },
      data: { ...data, ...(changed ? { nextRunAt: nextTick(s, now) } : {}) },
    });
  }
}
