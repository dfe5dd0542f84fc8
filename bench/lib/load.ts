// One load round with autocannon's programmatic API. Latencies are also recorded here, unrounded, from
// autocannon's own per-response times (its histogram keeps whole milliseconds, too coarse at 1-5 ms).
import autocannon, { type Instance } from 'autocannon';
import http from 'node:http';

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration?: number;
  /** Stop after this many responses. */
  amount?: number;
  /** Requests per second across all connections (autocannon `overallRate`). */
  overallRate?: number;
  /** The status whose latencies count (default: any 2xx). */
  expectStatus?: number;
}

export interface LoadResult {
  /** Responses with the expected status (2xx unless told). */
  ok: number;
  /** 2xx answers, whatever was expected. */
  status2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Requests sent but not answered when the round stopped (a duration round cuts them off). */
  unanswered: number;
  seconds: number;
  /** Expected answers per second. */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  statusCodes: Record<string, number>;
}

let current: Instance | undefined;
let stopped = false;

/** Stops the round in progress, if any (Ctrl-C). */
export function stopLoad(): void {
  stopped = true;
  current?.stop();
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function median(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
}

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let answered = 0;
  const expected = options.expectStatus;
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const instance = autocannon(
      {
        url: options.url,
        method: options.method ?? 'POST',
        headers: options.headers,
        body: options.body,
        connections: options.connections,
        ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 10 }),
        ...(options.overallRate ? { overallRate: options.overallRate } : {}),
        timeout: 10,
      },
      (error, result) => {
        current = undefined;
        if (error) return reject(error);
        const seconds = (performance.now() - startedAt) / 1000;
        const sorted = Float64Array.from(latencies).sort();
        const statusCodes = Object.fromEntries(
          Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]),
        );
        const sent = result.requests.sent ?? answered;
        resolve({
          ok: latencies.length,
          status2xx: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          unanswered: Math.max(0, sent - answered - result.errors),
          seconds,
          rps: latencies.length / seconds,
          p50: percentile(sorted, 50),
          p90: percentile(sorted, 90),
          p99: percentile(sorted, 99),
          max: sorted.length ? sorted[sorted.length - 1] : NaN,
          statusCodes,
        });
      },
    );
    current = instance;
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      answered++;
      const good = expected === undefined ? statusCode >= 200 && statusCode < 300 : statusCode === expected;
      if (good) latencies.push(responseTime);
    });
  });
}

/**
 * An open-loop load at a steady rate: request i is due at start + i/rate, whatever happened to the
 * earlier ones, over keep-alive connections (at most `connections`; a request waits for a free one).
 * Latency counts from the due time, so a server that falls behind is not flattered (no coordinated
 * omission). autocannon's `overallRate` is not used here: it sends each second's quota at once at the
 * start of the second, a burst every second rather than a steady half load.
 * Stops scheduling after `seconds`, then waits (at most 10 s) for what is in flight: nothing is cut off.
 */
export async function runPaced(options: {
  url: string;
  headers: Record<string, string>;
  body: string;
  rate: number;
  seconds: number;
  connections: number;
}): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let non2xx = 0;
  let errors = 0;
  let inFlight = 0;
  let sent = 0;
  stopped = false;
  const body = Buffer.from(options.body);
  const fire = (due: number) => {
    sent++;
    inFlight++;
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: 'POST',
        agent,
        headers: { ...options.headers, 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          inFlight--;
          const code = res.statusCode ?? 0;
          statusCodes[code] = (statusCodes[code] ?? 0) + 1;
          if (code >= 200 && code < 300) latencies.push(performance.now() - due);
          else non2xx++;
        });
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      inFlight--;
      errors++;
    });
    req.end(body);
  };
  const start = performance.now();
  const end = start + options.seconds * 1000;
  const interval = 1000 / options.rate;
  for (let i = 0; !stopped; i++) {
    const due = start + i * interval;
    if (due >= end) break;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    fire(due);
  }
  const scheduledSeconds = (performance.now() - start) / 1000;
  for (let i = 0; i < 1000 && inFlight > 0 && !stopped; i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    ok: latencies.length,
    status2xx: latencies.length,
    non2xx,
    errors,
    timeouts: 0,
    unanswered: Math.max(0, sent - latencies.length - non2xx - errors),
    seconds: scheduledSeconds,
    rps: latencies.length / scheduledSeconds,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    statusCodes,
  };
}
