import { db } from '../db';
import { NOW } from './sql';
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

/** The advisory-lock class of "claims of one organisation" (two-int keys: apart from the job locks). */
const ORG_CLAIM_LOCK = 0x45544c31;

const CLAIM = `update "JobRun" set status = 'running', "startedAt" = ${NOW}, "workerId" = $2, "heartbeatAt" = ${NOW}
     where id = $1::uuid and status = 'queued'`;
const RETURNING = `returning id, "orgId", "jobId", params, attempt`;

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
    const rows = await db.$queryRawUnsafe<ClaimedRun[]>(`${CLAIM} ${RETURNING}`, runId, workerId);
    return rows[0] ?? null;
  }
  return db.$transaction(async (tx) => {
    const queued = await tx.$queryRawUnsafe<{ orgId: string }[]>(
      `select "orgId", pg_advisory_xact_lock(${ORG_CLAIM_LOCK}, hashtext("orgId"::text))::text
       from "JobRun" where id = $1::uuid and status = 'queued'`,
      runId,
    );
    if (!queued[0]) return null;
    // A statement of its own after the lock, so its snapshot sees the claims committed before it.
    const rows = await tx.$queryRawUnsafe<(Partial<ClaimedRun> & { busy: boolean })[]>(
      `with busy as (select count(*) >= $4 as busy from "JobRun" where "orgId" = $3::uuid and status = 'running'),
            claimed as (${CLAIM} and not (select busy from busy) ${RETURNING})
       select (select busy from busy) as busy, claimed.* from (select 1) as one left join claimed on true`,
      runId,
      workerId,
      queued[0].orgId,
      orgMaxRunning,
    );
    const { busy, ...run } = rows[0];
    if (busy) return ORG_BUSY;
    return run.id ? (run as ClaimedRun) : null;
  });
}
