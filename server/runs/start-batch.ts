import { pool } from '../db';
import { groupCommit } from '../db/group-commit';
import { outcomesOf, START_RUNS_SQL, startsParam, type RunStart, type StartRow } from './start-runs';

/**
 * Starts a run with the other starts of the moment (group commit, ../db/group-commit.ts): one
 * etl_start_runs statement and one transaction a batch. Resolves once the batch committed: the run, its
 * queue entry and its audit event are durable. Rejects with the database's error when the batch could
 * not be written (an outage answers every start of the batch alike).
 */
export const startRun = groupCommit('run-starts', {
  write: async (starts: RunStart[]) =>
    (await pool.query<StartRow>(START_RUNS_SQL, [startsParam(starts)])).rows,
  answers: outcomesOf,
});
