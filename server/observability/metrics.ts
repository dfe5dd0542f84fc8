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

/**
 * The route as a label: the path with each route parameter's value replaced by its name
 * (/etl-mgr/api/runs/:runId), so ids never become label values.
 */
export function routeLabel(url: string, params: Record<string, string>): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const query = url.indexOf('?', start);
  let path = start < 0 ? '/' : url.slice(start, query < 0 ? undefined : query);
  for (const [name, value] of Object.entries(params))
    path = path.replace(`/${encodeURIComponent(value)}`, `/:${name}`);
  return path;
}

export function recordApiRequest(
  method: string,
  route: string,
  status: number,
  code: string,
  startedAt: number,
): void {
  const m = metrics();
  m.apiRequests.labels(method, route, String(status), code).inc();
  m.apiDuration.labels(method, route).observe((performance.now() - startedAt) / 1000);
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
