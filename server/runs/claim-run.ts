import { db } from '../db';
import { NOW } from './sql';

export interface ClaimedRun {
  id: string;
  orgId: string;
  jobId: string;
  params: unknown;
  attempt: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Takes a queued run for `workerId`, or returns null when it is no longer queued (cancelled meanwhile,
 * or another worker took it). One UPDATE, so two workers never both win.
 */
export async function claimRun(runId: string, workerId: string): Promise<ClaimedRun | null> {
  if (!UUID.test(runId)) return null;
  const rows = await db.$queryRawUnsafe<ClaimedRun[]>(
    `update "JobRun" set status = 'running', "startedAt" = ${NOW}, "workerId" = $2, "heartbeatAt" = ${NOW}
     where id = $1::uuid and status = 'queued'
     returning id, "orgId", "jobId", params, attempt`,
    runId,
    workerId,
  );
  return rows[0] ?? null;
}
