import { randomUUID } from 'node:crypto';
import { cronOf } from '../../lib/schedules/cron';
import { db } from '../db';
import { recordSkip, type TickPayload } from './enqueue-due-ticks';

export type TickOutcome =
  { outcome: 'started'; runId: string } | { outcome: 'skipped'; reason: string } | { outcome: 'duplicate' };

/**
 * The queue task of one tick: in one transaction, claims the tick on the schedule (a conditional update:
 * a second entry for the same tick, added after the first was done, finds it taken), then starts the run
 * with its queue entry and audit event (etl_start_run) and marks the run as the schedule's. A "single"
 * job with a run still active skips the tick and says why.
 */
export async function runScheduleTick(
  payload: TickPayload,
  catchUp: number,
  now = new Date(),
): Promise<TickOutcome> {
  const tick = new Date(payload.tick);
  if (Number.isNaN(tick.getTime())) return { outcome: 'duplicate' };
  return db.$transaction(async (tx) => {
    const s = await tx.jobSchedule.findUnique({ where: { id: payload.scheduleId }, include: { job: true } });
    if (!s || !s.enabled) return { outcome: 'duplicate' } as const;
    const { count } = await tx.jobSchedule.updateMany({
      where: {
        id: s.id,
        enabled: true,
        nextRunAt: { lte: tick },
        OR: [{ lastTickAt: null }, { lastTickAt: { lt: tick } }],
      },
      data: { lastTickAt: tick, nextRunAt: cronOf(s.cron, s.timezone).nextRun(tick) },
    });
    if (count === 0) return { outcome: 'duplicate' } as const;
    if (payload.skipped && payload.skipReason)
      await recordSkip(tx, s.orgId, s.id, new Date(payload.skipped), payload.skipReason);

    const skip = async (reason: string) => {
      await tx.jobSchedule.update({
        where: { id: s.id },
        data: { lastSkippedAt: tick, lastSkipReason: reason },
      });
      await recordSkip(tx, s.orgId, s.id, tick, reason);
      return { outcome: 'skipped', reason } as const;
    };
    // Queued long ago and only now taken (every worker was down meanwhile): the window still applies.
    if (now.getTime() - tick.getTime() > catchUp)
      return skip(`older than the catch-up window (${Math.round(catchUp / 1000)} s) when a worker took it`);

    const rows = await tx.$queryRawUnsafe<{ run_id: string | null; active_run_id: string | null }[]>(
      'select run_id::text, active_run_id::text from etl_start_run($1::uuid, $2::uuid, $3::uuid, $4::jsonb, $5, null, null, null, $6, $7, $8, null, $9)',
      randomUUID(),
      s.orgId,
      s.jobId,
      JSON.stringify(s.params ?? {}),
      'schedule',
      s.job.concurrency === 'single',
      'system',
      `schedule ${s.cron} (${s.timezone})`,
      s.job.name,
    );
    const { run_id, active_run_id } = rows[0];
    if (!run_id)
      return skip(`the job runs one at a time and run ${active_run_id} was still queued or running`);
    await tx.jobRun.update({ where: { id: run_id }, data: { scheduleId: s.id } });
    await tx.jobSchedule.update({ where: { id: s.id }, data: { lastRunId: run_id } });
    return { outcome: 'started', runId: run_id } as const;
  });
}
