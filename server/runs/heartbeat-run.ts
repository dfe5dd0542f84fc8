import { db } from '../db';
import { HEARTBEAT_RUN } from './sql';

/**
 * Marks a running run as alive and reports whether it is still ours (a sweeper may have given it to
 * another worker) and whether someone asked to cancel it.
 */
export async function heartbeatRun(
  runId: string,
  workerId: string,
): Promise<{ owned: boolean; cancelRequested: boolean }> {
  const rows = await db.$queryRawUnsafe<{ cancelRequestedAt: Date | null }[]>(
    ...HEARTBEAT_RUN.args({ runId, workerId }),
  );
  return { owned: rows.length > 0, cancelRequested: rows[0]?.cancelRequestedAt != null };
}
