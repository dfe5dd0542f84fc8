import { pool } from '../db';
import { NOW } from './sql';

export type LogStream = 'stdout' | 'stderr' | 'system';

export interface LogLine {
  runId: string;
  seq: number;
  stream: LogStream;
  text: string;
  at: Date;
}

export interface RunOutcome {
  status: 'succeeded' | 'failed' | 'cancelled';
  exitCode?: number | null;
  error?: string | null;
}

export interface RunEnd {
  runId: string;
  workerId: string;
  outcome: RunOutcome;
}

// One statement, so one transaction: the lines go in, and the runs whose end is given are finished,
// together or not at all; a finished run's log is complete. A run is finished only while it is still
// running and ours: when a sweeper already decided (worker lost, retried elsewhere), its decision stands.
// `on conflict do nothing`: a worker wrongly thought lost must not fail on the seq of the run's new attempt.
// Timestamps go in as UTC wall time, as Prisma writes them.
const RECORD = `with lines as (
    insert into "RunLog" ("runId", seq, stream, text, at)
    select line."runId", line.seq, line.stream::"LogStream", line.text, line.at
    from unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::timestamp[]) as line("runId", seq, stream, text, at)
    on conflict do nothing
    returning 1)
  update "JobRun" r set status = e.status::"RunStatus", "exitCode" = e.code, error = e.error, "finishedAt" = ${NOW}
  from unnest($6::uuid[], $7::text[], $8::text[], $9::int[], $10::text[]) as e(id, worker, status, code, error)
  where r.id = e.id and r."workerId" = e.worker and r.status = 'running'
  returning r.id`;

/**
 * Writes log lines of any number of runs and the ends of runs in one round trip. Returns the ids of the
 * runs whose end was written.
 */
export async function recordRuns(lines: LogLine[], ends: RunEnd[]): Promise<Set<string>> {
  const { rows } = await pool.query<{ id: string }>(RECORD, [
    lines.map((l) => l.runId),
    lines.map((l) => l.seq),
    lines.map((l) => l.stream),
    lines.map((l) => l.text),
    lines.map((l) => l.at.toISOString()),
    ends.map((e) => e.runId),
    ends.map((e) => e.workerId),
    ends.map((e) => e.outcome.status),
    ends.map((e) => e.outcome.exitCode ?? null),
    ends.map((e) => e.outcome.error ?? null),
  ]);
  return new Set(rows.map((r) => r.id));
}
