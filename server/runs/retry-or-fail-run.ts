import type { Prisma } from '../db';
import { appendSystemLog } from './append-system-log';
import { enqueueRun } from './queue';
import { END_ORPHAN, REQUEUE_ORPHAN } from './sql';

export interface OrphanedRun {
  id: string;
  attempt: number;
  maxAttempts: number;
  cancelRequestedAt: Date | null;
}

export type OrphanOutcome = 'requeued' | 'failed' | 'cancelled';

/**
 * A running run whose worker went away (lost, or stopped before the run ended): queue it again while
 * it has attempts left, else fail it with `reason`. A run handed back by a worker that is shutting down
 * (`handedBack`) was interrupted by us, not by the job: it is queued again without using an attempt.
 * The caller holds the row's lock in `tx`.
 */
export async function retryOrFailRun(
  tx: Prisma.TransactionClient,
  run: OrphanedRun,
  reason: string,
  options: { handedBack?: boolean } = {},
): Promise<OrphanOutcome> {
  if (run.cancelRequestedAt) {
    // Somebody wanted it stopped anyway: do not start it again.
    await tx.$executeRawUnsafe(
      ...END_ORPHAN.args({ runId: run.id, status: 'cancelled', error: `${reason} while cancelling` }),
    );
    await appendSystemLog(tx, run.id, `${reason}; run cancelled`);
    return 'cancelled';
  }
  if (run.attempt < run.maxAttempts || options.handedBack) {
    const next = options.handedBack ? run.attempt : run.attempt + 1;
    await tx.$executeRawUnsafe(...REQUEUE_ORPHAN.args({ runId: run.id, attempt: next }));
    await appendSystemLog(
      tx,
      run.id,
      options.handedBack ? `${reason}; queued again` : `${reason}; retrying (attempt ${next})`,
    );
    await enqueueRun(tx, run.id);
    return 'requeued';
  }
  await tx.$executeRawUnsafe(...END_ORPHAN.args({ runId: run.id, status: 'failed', error: reason }));
  await appendSystemLog(tx, run.id, `${reason}; no attempts left`);
  return 'failed';
}
