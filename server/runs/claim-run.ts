import { db } from '../db';
import { CLAIM_RUN, CLAIM_RUN_WITHIN_ORG_LIMIT, LOCK_ORG_CLAIMS } from './sql';
import { isUuid } from '../../lib/validations/ids';

export interface ClaimedRun {
  id: string;
  orgId: string;
  jobId: string;
  params: unknown;
  attempt: number;
}

/** The organisation already has its share of running runs: leave the run queued and try again later. */
export const ORG_BUSY = 'org_busy';

/**
 * Takes a queued run for `workerId`, or returns null when it is no longer queued (cancelled meanwhile,
 * or another worker took it). One UPDATE, so two workers never both win. With `orgMaxRunning` > 0 it
 * returns ORG_BUSY instead when the run's organisation already has that many running runs: claims of one
 * organisation take a transaction-scoped lock first, so two workers cannot both take the last slot.
 */
export async function claimRun(
  runId: string,
  workerId: string,
  orgMaxRunning = 0,
): Promise<ClaimedRun | typeof ORG_BUSY | null> {
  if (!isUuid(runId)) return null;
  if (orgMaxRunning <= 0) {
    const rows = await db.$queryRawUnsafe<ClaimedRun[]>(...CLAIM_RUN.args({ runId, workerId }));
    return rows[0] ?? null;
  }
  return db.$transaction(async (tx) => {
    const queued = await tx.$queryRawUnsafe<{ orgId: string }[]>(...LOCK_ORG_CLAIMS.args({ runId }));
    if (!queued[0]) return null;
    // A statement of its own after the lock, so its snapshot sees the claims committed before it.
    const rows = await tx.$queryRawUnsafe<(Partial<ClaimedRun> & { busy: boolean })[]>(
      ...CLAIM_RUN_WITHIN_ORG_LIMIT.args({
        runId,
        workerId,
        orgId: queued[0].orgId,
        maxRunning: orgMaxRunning,
      }),
    );
    const { busy, ...run } = rows[0];
    if (busy) return ORG_BUSY;
    return run.id ? (run as ClaimedRun) : null;
  });
}
