// The product's Prometheus metrics (names start with etl_) in one registry a process (process-wide.ts):
// every copy of server/ in the web process counts into the registry that /metrics serves. Recording is
// an in-memory increment; nothing here does I/O.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { processWide } from '../runtime/process-wide';

function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    apiRequests: new Counter({
      name: 'etl_api_requests_total',
      help: 'Job API requests by method, route, HTTP status and error code ("none" when it succeeded)',
      labelNames: ['method', 'route', 'status', 'code'] as const,
      registers: [registry],
    }),
    apiDuration: new Histogram({
      name: 'etl_api_request_duration_seconds',
      help: 'Job API response time by method and route (a start is POST /etl-mgr/api/apijob)',
      labelNames: ['method', 'route'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    runsStarted: new Counter({
      name: 'etl_runs_started_total',
      help: 'Runs a worker began to execute, by job type',
      labelNames: ['job_type'] as const,
      registers: [registry],
    }),
    runsFinished: new Counter({
      name: 'etl_runs_finished_total',
      help: 'Attempts a worker ended, by job type and outcome (succeeded, failed, cancelled, timed_out, handed_back, lost)',
      labelNames: ['job_type', 'outcome'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof create>;

/** This process's metrics. Other modules add theirs with `registers: [metrics().registry]`. */
export function metrics(): Metrics {
  return processWide('metrics', create);
}

const METHOD_LABELS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'CONNECT',
]);
/** The most label sets the request metrics keep; past it new ones are counted under OVERFLOW. */
export const MAX_API_SERIES = 500;
const OVERFLOW = 'other';

/**
 * Counts one answer of the job API. `route` must be a route template (api-paths.ts' routeTemplate):
 * nothing a client sends becomes a label value, a method outside HTTP's own is OTHER, and past
 * MAX_API_SERIES label sets every new one shares one series, so the registry cannot grow without end.
 */
export function recordApiRequest(
  method: string,
  route: string,
  status: number,
  code: string,
  startedAt: number,
): void {
  const m = metrics();
  const methodLabel = METHOD_LABELS.has(method) ? method : 'OTHER';
  let labels = [methodLabel, route, String(status), code] as const;
  const seen = processWide('api-series', () => new Set<string>());
  const id = labels.join(' ');
  if (!seen.has(id)) {
    if (seen.size >= MAX_API_SERIES) labels = [OVERFLOW, OVERFLOW, OVERFLOW, OVERFLOW];
    else seen.add(id);
  }
  m.apiRequests.labels(...labels).inc();
  m.apiDuration.labels(labels[0], labels[1]).observe((performance.now() - startedAt) / 1000);
}

type SlotSource = { busy: () => number; size: number };

/** Reports the slots busy and the slots of every worker in this process (tests run several). */
export function trackWorkerSlots(busy: () => number, size: number): () => void {
  const slotSources = processWide('worker-slots', () => slotGauges(new Set<SlotSource>()));
  const source = { busy, size };
  slotSources.add(source);
  return () => slotSources.delete(source);
}

/** The two slot gauges, summing over every worker of the process; made once. */
function slotGauges(slotSources: Set<SlotSource>): Set<SlotSource> {
  const registers = [metrics().registry];
  const sum = (f: (s: SlotSource) => number) => [...slotSources].reduce((n, s) => n + f(s), 0);
  new Gauge({
    name: 'etl_worker_slots_busy',
    help: 'Runs executing on this worker process',
    registers,
    collect() {
      this.set(sum((s) => s.busy()));
    },
  });
  new Gauge({
    name: 'etl_worker_slots',
    help: 'Runs this worker process executes at once at most',
    registers,
    collect() {
      this.set(sum((s) => s.size));
    },
  });
  return slotSources;
}
