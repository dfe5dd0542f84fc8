import { db } from '../db';
import { LOCK_OWN_RUN } from './sql';
import { retryOrFailRun, type OrphanedRun, type OrphanOutcome } from './retry-or-fail-run';

/**
 * A stopping worker gives back a run it could not finish within its grace period: queued again for
 * another worker, without using one of its attempts (a deploy is not the job's fault). Null when it
 * was no longer ours.
 */
export async function handBackRun(runId: string, workerId: string): Promise<OrphanOutcome | null> {
  return db.$transaction(async (tx) => {
    const [run] = await tx.$queryRawUnsafe<OrphanedRun[]>(...LOCK_OWN_RUN.args({ runId, workerId }));
    return run ? retryOrFailRun(tx, run, 'worker stopped', { handedBack: true }) : null;
  });
}
