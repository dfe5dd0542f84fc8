import { cronOf, decideTick } from '../../lib/schedules/cron';
import { recordAudit } from '../audit/record';
import { db } from '../db';
import { ENQUEUE_TICK } from './sql';

export interface TickPayload {
  scheduleId: string;
  tick: string;
  skipped: string | null;
  skipReason: string | null;
}

export const tickJobKey = (scheduleId: string, tick: Date) => `schedule:${scheduleId}:${tick.toISOString()}`;

/**
 * Every worker calls this every few seconds: each due schedule gets the queue entry of its tick (see
 * runScheduleTick for the run itself). Ticks too old for the catch-up window are skipped here, recorded
 * on the schedule and in the audit log; the conditional update lets one worker record it.
 */
export async function enqueueDueTicks(
  catchUp: number,
  now = new Date(),
): Promise<{ queued: number; skipped: number }> {
  const due = await db.jobSchedule.findMany({
    where: { enabled: true, nextRunAt: { lte: now } },
    orderBy: { nextRunAt: 'asc' },
    take: 500,
    select: { id: true, orgId: true, cron: true, timezone: true, nextRunAt: true },
  });
  let queued = 0;
  let skipped = 0;
  for (const s of due) {
    let cron;
    try {
      cron = cronOf(s.cron, s.timezone);
    } catch (error) {
      // Saved around the form's checks (SQL, an older rule): parked with the reason instead of stalling the others.
      await db.jobSchedule.updateMany({
        where: { id: s.id, nextRunAt: s.nextRunAt },
        data: {
          nextRunAt: null,
          lastSkippedAt: now,
          lastSkipReason: `cannot be read: ${(error as Error).message}`,
        },
      });
      continue;
    }
    const decision = decideTick(cron, s.nextRunAt!, now, catchUp);
    if (decision.run) {
      await db.$executeRawUnsafe(
        ...ENQUEUE_TICK.args({
          scheduleId: s.id,
          tick: decision.run.toISOString(),
          skipped: decision.skipped?.toISOString() ?? null,
          skipReason: decision.skipReason,
          jobKey: tickJobKey(s.id, decision.run),
        }),
      );
      queued++;
      continue;
    }
    const recorded = await db.$transaction(async (tx) => {
      const { count } = await tx.jobSchedule.updateMany({
        where: { id: s.id, nextRunAt: s.nextRunAt },
        data: {
          nextRunAt: cron.nextRun(now),
          lastSkippedAt: decision.skipped,
          lastSkipReason: decision.skipReason,
        },
      });
      if (count) await recordSkip(tx, s.orgId, s.id, decision.skipped!, decision.skipReason!);
      return count;
    });
    skipped += recorded;
  }
  return { queued, skipped };
}

export async function recordSkip(
  tx: Parameters<typeof recordAudit>[1],
  orgId: string,
  scheduleId: string,
  tick: Date,
  reason: string,
) {
  await recordAudit(
    {
      orgId,
      actor: 'system',
      actorName: 'scheduler',
      action: 'schedule.skipped',
      target: `schedule:${scheduleId}`,
      details: { tick: tick.toISOString(), reason },
    },
    tx,
  );
}
