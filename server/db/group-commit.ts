import { processWide } from '../runtime/process-wide';
import { isDatabaseUnavailable } from './outage';

// Group commit: callers hand in one item each and wait for the write of their batch. The items that
// arrive while a batch is being written go together into the next, written by one statement (one round
// trip, one commit). Idle, an item is written at once (no timer); under load one commit serves many.

export interface GroupCommit<T, Rows, R> {
  /** Writes the batch in one statement; throws only when nothing of it was written. */
  write(items: T[]): Promise<Rows>;
  /** Each item's answer from what the write returned (may throw: then every item of the batch fails). */
  answers(items: T[], rows: Rows): R[];
  /** A batch larger than this is cut (bounded statement size and lock time). */
  maxBatch?: number;
}

interface Waiting<T, R> {
  item: T;
  resolve: (answer: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Returns the function callers use. When Postgres refuses a batch's statement (nothing was written),
 * one item's data may be the cause, so each item is then written on its own and only the one at fault
 * fails. An outage is not retried (the commit may have happened): every item of the batch gets it, and
 * so do the items waiting for the next batch (nothing of theirs was written).
 */
export function groupCommit<T, Rows, R>(
  name: string,
  spec: GroupCommit<T, Rows, R>,
): (item: T) => Promise<R> {
  // One batcher a name per process, whichever copy of server/ asks (server/runtime/process-wide.ts).
  return processWide(`group-commit:${name}`, () => batcher(spec));
}

function batcher<T, Rows, R>(spec: GroupCommit<T, Rows, R>): (item: T) => Promise<R> {
  const maxBatch = spec.maxBatch ?? 256;
  let waiting: Waiting<T, R>[] = [];
  let writing = false;

  async function writeBatch(batch: Waiting<T, R>[]): Promise<void> {
    const items = batch.map((w) => w.item);
    let rows: Rows;
    try {
      rows = await spec.write(items);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) {
        if (batch.length > 1) await Promise.all(batch.map((w) => writeBatch([w])));
        else batch[0].reject(error);
        return;
      }
      // The items that arrived while this batch hung on a dead or frozen database get its answer now,
      // rather than a write of their own that would hang as long again (503 within the query timeout).
      const stranded = waiting;
      waiting = [];
      for (const w of [...batch, ...stranded]) w.reject(error);
      return;
    }
    let answers: R[];
    try {
      answers = spec.answers(items, rows);
    } catch (error) {
      for (const w of batch) w.reject(error);
      return;
    }
    batch.forEach((w, i) => w.resolve(answers[i]));
  }

  async function writeAll(): Promise<void> {
    try {
      while (waiting.length > 0) {
        const batch = waiting.slice(0, maxBatch);
        waiting = waiting.slice(batch.length);
        await writeBatch(batch);
      }
    } finally {
      writing = false;
    }
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (!writing) {
        writing = true;
        // A microtask, not a timer: items that arrive in the same turn of the event loop share a batch.
        queueMicrotask(() => void writeAll());
      }
    });
}
