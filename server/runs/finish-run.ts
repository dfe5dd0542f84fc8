import { db } from '../db';
import { NOW } from './sql';

export interface RunOutcome {
  status: 'succeeded' | 'failed' | 'cancelled';
  exitCode?: number | null;
  error?: string | null;
}

/**
 * Records how a run ended. Only while it is still running and ours: when a sweeper already decided
 * (worker lost, retried elsewhere), its decision stands. Returns whether the row was written.
 */
export async function finishRun(runId: string, workerId: string, outcome: RunOutcome): Promise<boolean> {
  const count = await db.$executeRawUnsafe(
    `update "JobRun" set status = $3::"RunStatus", "exitCode" = $4::int, error = $5::text, "finishedAt" = ${NOW}
     where id = $1::uuid and "workerId" = $2 and status = 'running'`,
    runId,
    workerId,
    outcome.status,
    outcome.exitCode ?? null,
    outcome.error ?? null,
  );
  return count > 0;
}
