import { db } from '../db';
import { retryOrFailRun, type OrphanedRun, type OrphanOutcome } from './retry-or-fail-run';

/**
 * A stopping worker gives back a run it could not finish within its grace period: queued again for
 * another worker, without using one of its attempts (a deploy is not the job's fault). Null when it
 * was no longer ours.
 */
export async function handBackRun(runId: string, workerId: string): Promise<OrphanOutcome | null> {
  return db.$transaction(async (tx) => {
    const [run] = await tx.$queryRawUnsafe<OrphanedRun[]>(
      `select r.id, r.attempt, j."maxAttempts", r."cancelRequestedAt"
       from "JobRun" r join "Job" j on j.id = r."jobId"
       where r.id = $1::uuid and r."workerId" = $2 and r.status = 'running'
       for update of r`,
      runId,
      workerId,
    );
    return run ? retryOrFailRun(tx, run, 'worker stopped', { handedBack: true }) : null;
  });
}
