import { intFromEnv } from '../config';
import { db } from '../db';
import { appendSystemLog } from './append-system-log';
import { enqueueRun } from './queue';
import { retryOrFailRun, type OrphanedRun, type OrphanOutcome } from './retry-or-fail-run';
import { LOCK_LOST_RUNS, LOCK_STRANDED_RUNS } from './sql';

export type SweepResult = Record<OrphanOutcome, string[]>;

/** Seconds without a heartbeat after which a running run's worker counts as gone. */
export function heartbeatTimeoutSeconds(): number {
  return intFromEnv('RUN_HEARTBEAT_TIMEOUT_SECONDS', 30);
}

/**
 * Also queues again the queued runs that lost their queue entry (see below).
 *
 * Runs marked running whose worker stopped heartbeating (it crashed, or lost the database): retried
 * while attempts remain, else failed "worker lost". Every worker calls this; `skip locked` lets them
 * share the work instead of waiting on each other. (A queued run whose job was deleted cannot exist:
 * JobRun.jobId cascades on delete, and the queue entry then finds no run.)
 */
export async function sweepLostRuns(
  options: { heartbeatTimeoutSeconds?: number; limit?: number } = {},
): Promise<SweepResult> {
  const timeout = options.heartbeatTimeoutSeconds ?? heartbeatTimeoutSeconds();
  const limit = options.limit ?? 100;
  const result: SweepResult = { requeued: [], failed: [], cancelled: [] };
  await db.$transaction(
    async (tx) => {
      const lost = await tx.$queryRawUnsafe<OrphanedRun[]>(...LOCK_LOST_RUNS.args({ timeout, limit }));
      for (const run of lost) result[await retryOrFailRun(tx, run, 'worker lost')].push(run.id);

      // Queued runs whose queue entry is gone, or was taken by a worker that died before claiming the
      // run (graphile-worker frees such a lock only after 4 hours): queue them again. A worker that
      // is merely slow loses nothing, since claiming a run is conditional on it still being queued.
      const stranded = await tx.$queryRawUnsafe<{ id: string }[]>(
        ...LOCK_STRANDED_RUNS.args({ timeout, limit }),
      );
      for (const run of stranded) {
        await enqueueRun(tx, run.id);
        await appendSystemLog(tx, run.id, 'queue entry lost; queued again');
        result.requeued.push(run.id);
      }
    },
    { timeout: 30_000 },
  );
  return result;
}
