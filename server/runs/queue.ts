import type { Prisma } from '../db';

/** The queue's task that executes a run; etl_enqueue_runs (SQL, migration fair_share_priority) names it too. */
export const EXECUTE_RUN_TASK = 'execute-run';

/**
 * The queue entry of a run: a graphile-worker job `execute-run` with `{runId}`, max_attempts 1 (retries
 * are the run's own business, JobRun.attempt), and its organisation's fair-share rank as priority
 * (etl_enqueue_runs). Run it in the same transaction that inserts (or re-queues) the JobRun row, so a
 * run is never queued without its row. $1 is the run id.
 */
export const ENQUEUE_RUN_SQL = 'select etl_enqueue_runs(array[$1::uuid])';

/** Queues a run inside a Prisma transaction (`db.$transaction(async (tx) => ...)`). */
export async function enqueueRun(tx: Prisma.TransactionClient, runId: string): Promise<void> {
  await tx.$executeRawUnsafe(ENQUEUE_RUN_SQL, runId);
}
