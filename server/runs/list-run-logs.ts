import type { UserActor } from '../auth/actor';
import { db } from '../db';
import type { KeyPrincipal } from '../keys/authenticate-key';
import { getRun } from './get-run';

export const LOG_PAGE_SIZE = 500;

/** Log lines after `after` (a seq), in order; `next` is the seq to ask after next time. */
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
    take: Math.min(Math.max(limit, 1), LOG_PAGE_SIZE),
  });
  return {
    run,
    lines: rows.map((r) => ({ seq: r.seq, stream: r.stream, text: r.text, at: r.at.toISOString() })),
    next: rows.length ? rows[rows.length - 1].seq : after,
  };
}
