import { pool } from '../db';
import { isUuid } from '../../lib/validations/ids';
import { CLAIM_RUN } from './sql';

export interface ClaimedRun {
  id: string;
  orgId: string;
  jobId: string;
  params: unknown;
  attempt: number;
  /** The job it runs, as it was at the claim. */
  job: { id: string; type: string; config: unknown; timeoutSeconds: number };
  /** Where the run's log stands: lines an earlier attempt (or the sweeper) already wrote. */
  log: { lastSeq: number; lines: number; bytes: number };
}

/** The organisation already has its share of running runs: leave the run queued and try again later. */
export const ORG_BUSY = 'org_busy';

interface ClaimRow {
  busy: boolean;
  id: string | null;
  orgId: string;
  jobId: string;
  params: unknown;
  attempt: number;
  jobType: string;
  jobConfig: unknown;
  timeoutSeconds: number;
  logSeq: number;
  logLines: number;
  logBytes: string;
}

/**
 * Takes a queued run for `workerId`, with its job and where its log stands, in one round trip
 * (etl_claim_run), or returns null when it is no longer queued (cancelled meanwhile, or another worker
 * took it): one conditional UPDATE, so two workers never both win. With `orgMaxRunning` > 0 it returns
 * ORG_BUSY instead when the run's organisation already has that many running runs; claims of one
 * organisation take a transaction-scoped lock first, so two workers cannot both take the last slot.
 */
export async function claimRun(
  runId: string,
  workerId: string,
  orgMaxRunning = 0,
): Promise<ClaimedRun | typeof ORG_BUSY | null> {
  if (!isUuid(runId)) return null;
  const [text, ...values] = CLAIM_RUN.args({ runId, workerId, orgMaxRunning });
  const { rows } = await pool.query<ClaimRow>(text, values);
  const row = rows[0];
  if (!row) return null;
  if (row.busy) return ORG_BUSY;
  return {
    id: row.id!,
    orgId: row.orgId,
    jobId: row.jobId,
    params: row.params,
    attempt: row.attempt,
    job: { id: row.jobId, type: row.jobType, config: row.jobConfig, timeoutSeconds: row.timeoutSeconds },
    log: { lastSeq: row.logSeq, lines: row.logLines, bytes: Number(row.logBytes) },
  };
}
