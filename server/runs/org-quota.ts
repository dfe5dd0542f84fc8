import { pool } from '../db';
import { namedSql } from '../db/named-sql';

// The operator's quota of running runs per organisation (ORG_MAX_CONCURRENT_RUNS, off by default; the
// claim refuses a run over it, etl_claim_runs). A refused run neither spins nor sleeps a fixed delay: it
// waits in RunQuotaWait until a run of its organisation ends, and that end queues it again at once.

/** Seconds after which a waiting run's queue entry comes round anyway (a wake lost to a crashed worker). */
export const QUOTA_FALLBACK_SECONDS = 30;

const WAIT = namedSql<{ runId: string; fallbackSeconds: number }>(
  'select etl_wait_for_quota(:runId::uuid, :fallbackSeconds::int)',
);
const WAKE = namedSql<{ orgId: string }>('select etl_wake_quota_waiter(:orgId::uuid)');

/** A run the claim refused for its organisation's quota waits for the next of its organisation's runs to end. */
export async function waitForQuota(runId: string): Promise<void> {
  const [text, ...values] = WAIT.args({ runId, fallbackSeconds: QUOTA_FALLBACK_SECONDS });
  await pool.query(text, values);
}

/** A run of `orgId` ended: its organisation's longest-waiting run over the quota is queued again. */
export async function wakeQuotaWaiter(orgId: string): Promise<void> {
  const [text, ...values] = WAKE.args({ orgId });
  await pool.query(text, values);
}
