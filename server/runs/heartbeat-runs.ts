import { pool } from '../db';
import { NOW } from './sql';

/**
 * Marks a worker's running runs as alive, in one statement, and reports for each whether it is still
 * ours (absent from the answer: a sweeper gave it away) and whether someone asked to cancel it.
 */
export async function heartbeatRuns(
  runIds: string[],
  workerId: string,
): Promise<Map<string, { cancelRequested: boolean }>> {
  const { rows } = await pool.query<{ id: string; cancelRequested: boolean }>(
    `update "JobRun" set "heartbeatAt" = ${NOW}
     where id = any($1::uuid[]) and "workerId" = $2 and status = 'running'
     returning id, "cancelRequestedAt" is not null as "cancelRequested"`,
    [runIds, workerId],
  );
  return new Map(rows.map((r) => [r.id, { cancelRequested: r.cancelRequested }]));
}
