import { pool } from '../db';
import { isDatabaseUnavailable } from '../db/outage';
import {
  outcomesOf,
  START_RUNS_SQL,
  startsParam,
  type RunStart,
  type RunStartOutcome,
  type StartRow,
} from './start-runs';

// Group commit for starts. Each start waits for a write of its own batch: the starts that arrive while a
// batch is being written go together into the next one, written by one statement in one transaction
// (etl_start_runs). Idle, a start is written at once (no timer); under load, one commit serves many
// starts, which is what bounds the database's cost per start.

/** A batch larger than this is cut in two (bounded statement size and lock time). */
const MAX_BATCH = 256;

interface Waiting {
  start: RunStart;
  resolve: (outcome: RunStartOutcome) => void;
  reject: (error: unknown) => void;
}

let waiting: Waiting[] = [];
let writing = false;

/**
 * Starts a run through the next batch. Resolves once the batch committed: the run, its queue entry and
 * its audit event are durable. Rejects with the database's error when the batch could not be written
 * (an outage answers every start of the batch alike).
 */
export function startRun(start: RunStart): Promise<RunStartOutcome> {
  return new Promise((resolve, reject) => {
    waiting.push({ start, resolve, reject });
    if (!writing) {
      writing = true;
      // A microtask, not a timer: starts that arrive in the same turn of the event loop share a batch.
      queueMicrotask(() => void writeAll());
    }
  });
}

async function writeAll(): Promise<void> {
  try {
    while (waiting.length > 0) {
      const batch = waiting.slice(0, MAX_BATCH);
      waiting = waiting.slice(batch.length);
      await writeBatch(batch);
    }
  } finally {
    writing = false;
  }
}

async function writeBatch(batch: Waiting[]): Promise<void> {
  const starts = batch.map((w) => w.start);
  let rows: StartRow[];
  try {
    ({ rows } = await pool.query<StartRow>(START_RUNS_SQL, [startsParam(starts)]));
  } catch (error) {
    // Postgres refused the statement, so nothing of it was written: when one start's data did that
    // (say, its job deleted since it was looked up), each start is written on its own, and only the one
    // at fault fails. An outage is not retried (the commit may have happened): every start gets it.
    if (batch.length > 1 && !isDatabaseUnavailable(error)) {
      await Promise.all(batch.map((w) => writeBatch([w])));
    } else {
      for (const w of batch) w.reject(error);
    }
    return;
  }
  let outcomes: RunStartOutcome[];
  try {
    outcomes = outcomesOf(starts, rows);
  } catch (error) {
    for (const w of batch) w.reject(error);
    return;
  }
  batch.forEach((w, i) => w.resolve(outcomes[i]));
}
