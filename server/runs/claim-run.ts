import { pool } from '../db';
import { groupCommit } from '../db/group-commit';
import { isUuid } from '../../lib/validations/ids';
import { CLAIM_RUNS } from './sql';

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

export interface Claim {
  runId: string;
  workerId: string;
  orgMaxRunning: number;
}

export type ClaimAnswer = ClaimedRun | typeof ORG_BUSY | null;

interface ClaimRow {
  busy: boolean;
  id: string;
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
 * Claims in one statement per fair-share limit (one in practice: a worker's own), in one round trip
 * (etl_claim_runs). Rows of runs that are no longer queued are absent.
 */
export async function writeClaims(claims: Claim[]): Promise<ClaimRow[]> {
  const limits = [...new Set(claims.map((c) => c.orgMaxRunning))];
  const results = await Promise.all(
    limits.map(async (orgMaxRunning) => {
      const own = claims.filter((c) => c.orgMaxRunning === orgMaxRunning);
      const [text, ...values] = CLAIM_RUNS.args({
        runIds: own.map((c) => c.runId),
        workerIds: own.map((c) => c.workerId),
        orgMaxRunning,
      });
      return (await pool.query<ClaimRow>(text, values)).rows;
    }),
  );
  return results.flat();
}

/** Each claim's answer; a run asked for twice in one batch goes to the first claim only. */
export function claimAnswers(claims: Claim[], rows: ClaimRow[]): ClaimAnswer[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return claims.map((claim) => {
    const row = byId.get(claim.runId);
    byId.delete(claim.runId);
    if (!row) return null;
    if (row.busy) return ORG_BUSY;
    return {
      id: row.id,
      orgId: row.orgId,
      jobId: row.jobId,
      params: row.params,
      attempt: row.attempt,
      job: { id: row.jobId, type: row.jobType, config: row.jobConfig, timeoutSeconds: row.timeoutSeconds },
      log: { lastSeq: row.logSeq, lines: row.logLines, bytes: Number(row.logBytes) },
    };
  });
}

// Group commit (server/db/group-commit.ts): a worker's slots that claim together share one statement,
// one fair-share lock per organisation and one commit, instead of queueing on that lock one commit each.
const claim = groupCommit<Claim, ClaimRow[], ClaimAnswer>('claim-run', {
  write: writeClaims,
  answers: claimAnswers,
});

/**
 * Takes a queued run for `workerId`, with its job and where its log stands, or returns null when it is
 * no longer queued (cancelled meanwhile, or another worker took it): one conditional UPDATE, so two
 * workers never both win. With `orgMaxRunning` > 0 it returns ORG_BUSY instead when the run's
 * organisation already has that many running runs; claims of one organisation take a
 * transaction-scoped lock first, so two workers cannot both take the last slot.
 */
export async function claimRun(runId: string, workerId: string, orgMaxRunning = 0): Promise<ClaimAnswer> {
  if (!isUuid(runId)) return null;
  return claim({ runId, workerId, orgMaxRunning });
}
