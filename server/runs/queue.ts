import type { Prisma } from '../db';

/**
 * The queue entry of a run: a graphile-worker job `execute-run` with `{runId}`. Run it in the same
 * transaction that inserts (or re-queues) the JobRun row, so a run is never queued without its row.
 * max_attempts 1: retries are the run's own business (JobRun.attempt), not the queue's.
 * add_job sits in FROM and only the id comes back: Prisma cannot read graphile's composite row type,
 * so this text works with $executeRawUnsafe and $queryRawUnsafe alike. $1 is the run id.
 */
/** The queue's task that executes a run; etl_start_runs (SQL, migration start_runs_batch) names it too. */
export const EXECUTE_RUN_TASK = 'execute-run';

export const ENQUEUE_RUN_SQL = `select id::text as "queueJobId" from graphile_worker.add_job('${EXECUTE_RUN_TASK}', json_build_object('runId', $1::text), max_attempts => 1)`;

/** Queues a run inside a Prisma transaction (`db.$transaction(async (tx) => ...)`). */
export async function enqueueRun(tx: Prisma.TransactionClient, runId: string): Promise<void> {
  await tx.$executeRawUnsafe(ENQUEUE_RUN_SQL, runId);
}
