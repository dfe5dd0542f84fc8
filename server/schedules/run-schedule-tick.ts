import { randomUUID } from 'node:crypto';
import { cronOf } from '../../lib/schedules/cron';
import { db } from '../db';
import { scheduleMaxQueuedRuns } from '../config';
import { outcomesOf, START_RUNS_SQL, startsParam, type RunStart, type StartRow } from '../runs/start-runs';
import { recordSkip, type TickPayload } from './enqueue-due-ticks';

export type TickOutcome =
  { outcome: 'started'; runId: string } | { outcome: 'skipped'; reason: string } | { outcome: 'duplicate' };

/**
 * The queue task of one tick: in one transaction, claims the tick on the schedule (a conditional update:
 * a second entry for the same tick, added after the first was done, finds it taken), then starts the run
 * as the schedule's, with its queue entry and audit event (etl_start_runs). A "single"
 * job with a run still active, or a job with SCHEDULE_MAX_QUEUED_RUNS queued, skips the tick and says why.
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

    // A job whose runs pile up (a slow or stuck worker, a full quota) gets no more from its schedules.
    const cap = scheduleMaxQueuedRuns();
    if (cap > 0) {
      const waiting = await tx.jobRun.count({ where: { jobId: s.jobId, status: 'queued' } });
      if (waiting >= cap)
        return skip(`the job already has ${waiting} runs queued (SCHEDULE_MAX_QUEUED_RUNS is ${cap})`);
    }

    const start: RunStart = {
      runId: randomUUID(),
      orgId: s.orgId,
      jobId: s.jobId,
      params: (s.params ?? {}) as Record<string, unknown>,
      trigger: 'schedule',
      apiKeyId: null,
      userId: null,
      externalRef: null,
      scheduleId: s.id,
      single: s.job.concurrency === 'single',
      actor: 'system',
      actorName: `schedule ${s.cron} (${s.timezone})`,
      ip: null,
      jobName: s.job.name,
    };
    const rows = await tx.$queryRawUnsafe<StartRow[]>(START_RUNS_SQL, startsParam([start]));
    const [outcome] = outcomesOf([start], rows);
    if ('activeRunId' in outcome)
      return skip(`the job runs one at a time and run ${outcome.activeRunId} was still queued or running`);
    await tx.jobSchedule.update({ where: { id: s.id }, data: { lastRunId: outcome.runId } });
    return { outcome: 'started', runId: outcome.runId } as const;
  });
}
