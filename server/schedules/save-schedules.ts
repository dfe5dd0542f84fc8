import { z } from 'zod';
import { cronOf } from '../../lib/schedules/cron';
import { schedulesSchema, type Schedule } from '../../lib/validations/schedule';
import type { Prisma } from '../db';

const withSchedules = z.object({ schedules: schedulesSchema.optional() });

/** The schedules of a job definition (already checked by jobColumns), or undefined when it has none. */
export function jobSchedules(input: unknown): Schedule[] | undefined {
  return withSchedules.parse(input).schedules;
}

const nextTick = (s: Pick<Schedule, 'cron' | 'timezone' | 'enabled'>, from: Date) =>
  s.enabled ? cronOf(s.cron, s.timezone).nextRun(from) : null;

/**
 * Replaces a job's schedules with `schedules` (inside the transaction that saves the job). A schedule
 * given with its id keeps its history; a changed expression, zone or switch counts ticks from now, so a
 * schedule never fires for a time before it was saved. undefined leaves the schedules alone.
 */
export async function saveSchedules(
  tx: Prisma.TransactionClient,
  orgId: string,
  jobId: string,
  schedules: Schedule[] | undefined,
): Promise<void> {
  if (schedules === undefined) return;
  const now = new Date();
  const existing = await tx.jobSchedule.findMany({ where: { orgId, jobId } });
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
