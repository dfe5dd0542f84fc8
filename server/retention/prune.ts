// Retention: old finished runs with their logs, past idempotency records and old audit events are
// deleted in small batches (one short transaction each, a pause between them), so a prune never holds
// locks or a long transaction that starts would wait on. One pruner at a time across every worker.
import { z } from 'zod';
import { pool } from '../db';

/** The advisory-lock key of "the pruner" (beside 7215001/7215002 of the setup and the grants). */
export const PRUNE_LOCK = 7215003;
/** Idempotency records answer replays for 24 hours (server/http/idempotency.ts); after that they are dead. */
const IDEMPOTENCY_KEEP_HOURS = 24;
const FINISHED = `'succeeded', 'failed', 'cancelled'`;

export interface RetentionSettings {
  /** Finished runs (and their logs) queued and finished more than this many days ago go; null keeps them. */
  runDays: number | null;
  /** Audit events older than this many days go; null keeps them. */
  auditDays: number | null;
  /** Rows a transaction (default 1,000). */
  batchSize?: number;
  /** The pause between two batches, in ms (default 50). */
  pauseMs?: number;
  /** A pass stops after this long (default 30 s) and the next one carries on. */
  budgetMs?: number;
}

export interface PruneResult {
  /** false: another worker's pruner holds the lock; this pass did nothing. */
  ran: boolean;
  runs: number;
  logLines: number;
  idempotencyRecords: number;
  auditEvents: number;
}

const days = z.coerce.number().int().min(1).max(36_500).optional();

/** RUN_RETENTION_DAYS and AUDIT_RETENTION_DAYS (unset or empty: keep everything). */
export function retentionFromEnv(env: Record<string, string | undefined> = process.env) {
  const read = (name: string) => {
    const raw = env[name]?.trim();
    const parsed = days.safeParse(raw === '' ? undefined : raw);
    if (!parsed.success) throw new Error(`${name} must be a whole number of days from 1 to 36500`);
    return parsed.data ?? null;
  };
  return { runDays: read('RUN_RETENTION_DAYS'), auditDays: read('AUDIT_RETENTION_DAYS') };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One pass of retention; returns what it deleted. */
export async function pruneOnce(settings: RetentionSettings): Promise<PruneResult> {
  const result: PruneResult = { ran: false, runs: 0, logLines: 0, idempotencyRecords: 0, auditEvents: 0 };
  const batch = settings.batchSize ?? 1_000;
  const pause = settings.pauseMs ?? 50;
  const deadline = Date.now() + (settings.budgetMs ?? 30_000);
  const lockHolder = await pool.connect();
  try {
    const { rows } = await lockHolder.query('select pg_try_advisory_lock($1) as locked', [PRUNE_LOCK]);
    if (!rows[0].locked) return result;
    result.ran = true;
    const more = () => Date.now() < deadline;
    /** Runs `statement` (deleting at most `batch` rows) until it deletes fewer, or the time is up. */
    const drain = async (statement: string, params: unknown[]) => {
      let total = 0;
      for (;;) {
        const { rowCount } = await pool.query(statement, params);
        total += rowCount ?? 0;
        if ((rowCount ?? 0) < batch || !more()) return total;
        await sleep(pause);
      }
    };

    result.idempotencyRecords = await drain(
      `delete from "IdempotencyRecord" where ("orgId", "keyId", key) in (
         select "orgId", "keyId", key from "IdempotencyRecord"
         where "createdAt" < now() - make_interval(hours => $1) limit $2)`,
      [IDEMPOTENCY_KEEP_HOURS, batch],
    );
    const { rows: orgs } = await pool.query<{ id: string }>('select id from "Organization"');
    for (const { id: orgId } of orgs) {
      if (settings.runDays !== null && more()) {
        const pruned = await pruneRuns(orgId, settings.runDays, batch, drain, more);
        result.runs += pruned.runs;
        result.logLines += pruned.logLines;
      }
      if (settings.auditDays !== null && more())
        result.auditEvents += await drain(
          `delete from "AuditEvent" where id in (
             select id from "AuditEvent" where "orgId" = $1 and at < now() - make_interval(days => $2)
             order by at limit $3)`,
          [orgId, settings.auditDays, batch],
        );
    }
    return result;
  } finally {
    await lockHolder.query('select pg_advisory_unlock($1)', [PRUNE_LOCK]).catch(() => {});
    lockHolder.release();
  }
}

/**
 * A run goes with its logs: lines first, `batch` at a time (a run may have 100,000), then the runs whose
 * lines are gone, a hundred at a time, oldest first through the Runs list's index.
 */
async function pruneRuns(
  orgId: string,
  runDays: number,
  batch: number,
  drain: (statement: string, params: unknown[]) => Promise<number>,
  more: () => boolean,
): Promise<{ runs: number; logLines: number }> {
  const done = { runs: 0, logLines: 0 };
  const perRound = Math.max(1, Math.floor(batch / 10));
  while (more()) {
    const { rows } = await pool.query<{ id: string }>(
      `select id from "JobRun"
       where "orgId" = $1 and "queuedAt" < now() - make_interval(days => $2)
         and status in (${FINISHED}) and "finishedAt" < now() - make_interval(days => $2)
       order by "queuedAt" limit $3`,
      [orgId, runDays, perRound],
    );
    if (rows.length === 0) break;
    const ids = rows.map((r) => r.id);
    done.logLines += await drain(
      `delete from "RunLog" where ("runId", seq) in (
         select "runId", seq from "RunLog" where "runId" = any($1::uuid[]) limit $2)`,
      [ids, batch],
    );
    if (!more()) break;
    // Still finished (a retry could have queued one again meanwhile): only those go, with any late line.
    const { rowCount } = await pool.query(
      `delete from "JobRun" where id = any($1::uuid[]) and status in (${FINISHED})`,
      [ids],
    );
    done.runs += rowCount ?? 0;
  }
  return done;
}
