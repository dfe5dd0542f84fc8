import { db } from '../db';
import { FINISH_RUN } from './sql';

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
    ...FINISH_RUN.args({
      runId,
      workerId,
      status: outcome.status,
      exitCode: outcome.exitCode ?? null,
      error: outcome.error ?? null,
    }),
  );
  return count > 0;
}
