// The queue as gauges, read on scrape with one cheap query (the status index) and cached for a second,
// so several scrapers or a tight scrape interval cost the database nothing more.
import { Gauge } from 'prom-client';
import { pool } from '../db/app-pool';
import { NOW } from '../runs/sql';
import { processWide } from '../runtime/process-wide';
import { metrics } from './metrics';

const CACHE_MS = 1_000;
type QueueState = { depth: number; age: number };
const last = processWide('queue-state', () => ({
  cached: null as { at: number; value: Promise<QueueState> } | null,
}));

function queueState(): Promise<QueueState> {
  const { cached } = last;
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.value;
  const value = pool
    .query<QueueState>(
      `select count(*)::int as depth, coalesce(extract(epoch from ${NOW} - min("queuedAt")), 0)::float8 as age
       from "JobRun" where status = 'queued'`,
    )
    .then((r) => r.rows[0]);
  last.cached = { at: Date.now(), value };
  value.catch(() => (last.cached = null)); // a failed read is not kept
  return value;
}

/** Adds etl_queue_depth and etl_queue_oldest_age_seconds to this process's registry (once). */
export function registerQueueMetrics(): void {
  processWide('queue-gauges', queueGauges);
}

function queueGauges(): true {
  const registers = [metrics().registry];
  // While the database is away the gauges read NaN rather than failing the whole scrape.
  new Gauge({
    name: 'etl_queue_depth',
    help: 'Runs queued and not yet claimed by a worker',
    registers,
    async collect() {
      this.set((await queueState().catch(() => null))?.depth ?? NaN);
    },
  });
  new Gauge({
    name: 'etl_queue_oldest_age_seconds',
    help: 'How long the oldest queued run has waited (0 when none)',
    registers,
    async collect() {
      this.set((await queueState().catch(() => null))?.age ?? NaN);
    },
  });
  return true;
}
