/**
 * One start as etl_start_runs (migration 20261203120000_start_runs_batch) takes it: named fields, so a
 * new field is one more key here and one more column there, never a shifted position.
 */
export interface RunStart {
  runId: string;
  orgId: string;
  jobId: string;
  params: Record<string, unknown>;
  /** "api", "console", "cli" or "schedule". */
  trigger: string;
  apiKeyId: string | null;
  userId: string | null;
  externalRef: string | null;
  scheduleId: string | null;
  /** The job runs one at a time: refused while a run of it is queued or running. */
  single: boolean;
  /** For the audit event: "key:<id>", "user:<id>" or "system", with a readable name. */
  actor: string;
  actorName: string;
  ip: string | null;
  jobName: string;
}

/** A start's outcome: its run, or the active run that kept a "single" job busy. */
export type RunStartOutcome = { runId: string } | { activeRunId: string };

/**
 * The one SQL text that starts runs: the run rows, their queue entries (etl_enqueue_runs, with each
 * organisation's fair-share rank as priority; it names queue.ts's EXECUTE_RUN_TASK, and
 * prisma/migrations.test.ts keeps the two equal) and their audit events, in one transaction.
 * $1 is startsParam(...).
 */
export const START_RUNS_SQL = 'select i, run_id::text, active_run_id::text from etl_start_runs($1::jsonb)';

export function startsParam(starts: RunStart[]): string {
  return JSON.stringify(starts.map((start, i) => ({ i, ...start })));
}

export interface StartRow {
  i: number;
  run_id: string | null;
  active_run_id: string | null;
}

/** The rows back, in the order of the starts; a start without its row is a broken promise, so it throws. */
export function outcomesOf(starts: RunStart[], rows: StartRow[]): RunStartOutcome[] {
  const byIndex = new Map(rows.map((row) => [row.i, row]));
  return starts.map((_, i) => {
    const row = byIndex.get(i);
    if (row?.run_id) return { runId: row.run_id };
    if (row?.active_run_id) return { activeRunId: row.active_run_id };
    throw new Error(`etl_start_runs returned no outcome for start ${i}`);
  });
}
