import type { UserActor } from '../auth/actor';
import { db, type LogStream } from '../db';
import type { KeyPrincipal } from '../keys/authenticate-key';
import { getRun } from './get-run';

export const LOG_PAGE_SIZE = 500;
/** Log seqs are Postgres integers: "before" this reads the last page. */
export const LAST_LOG_SEQ = 2_147_483_647;

const pageSize = (limit: number) => Math.min(Math.max(limit, 1), LOG_PAGE_SIZE);
const shape = (r: { seq: number; stream: LogStream; text: string; at: Date }) => ({
  seq: r.seq,
  stream: r.stream,
  text: r.text,
  at: r.at.toISOString(),
});

/**
 * Log lines after `after` (a seq), in order; `next` is the seq to ask after next time. A range of the
 * primary key (runId, seq): as fast on line 100,000 as on line 1.
 */
export async function listRunLogs(
  principal: KeyPrincipal | UserActor,
  runId: string,
  after: number,
  limit = LOG_PAGE_SIZE,
) {
  const run = await getRun(principal, runId);
  const rows = await db.runLog.findMany({
    where: { runId: run.id, seq: { gt: after } },
    orderBy: { seq: 'asc' },
    take: pageSize(limit),
  });
  return { run, lines: rows.map(shape), next: rows.length ? rows[rows.length - 1].seq : after };
}

/**
 * The `limit` lines before `before` (a seq), in order: the last page of a log with before=LAST_LOG_SEQ
 * (a long run opens at its end), older lines on demand. `next` follows on from the last line read (0
 * when there is none); `prev` is the `before` of the page above it, null at the first line.
 */
export async function listRunLogsBefore(
  principal: KeyPrincipal | UserActor,
  runId: string,
  before: number,
  limit = LOG_PAGE_SIZE,
) {
  const run = await getRun(principal, runId);
  const size = pageSize(limit);
  const rows = await db.runLog.findMany({
    where: { runId: run.id, seq: { lt: before } },
    orderBy: { seq: 'desc' },
    take: size + 1,
  });
  const page = rows.slice(0, size).reverse();
  return {
    run,
    lines: page.map(shape),
    // No line before `before` at all (a run that has written nothing yet): follow from the start.
    next: page.length ? page[page.length - 1].seq : 0,
    prev: rows.length > size ? page[0].seq : null,
  };
}
