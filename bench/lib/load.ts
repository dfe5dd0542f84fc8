// One load round with autocannon's programmatic API. Latencies are also recorded here, unrounded, from
// autocannon's own per-response times (its histogram keeps whole milliseconds, too coarse at 1-5 ms).
import autocannon, { type Instance } from 'autocannon';

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

/** Stops the round in progress, if any (Ctrl-C). */
export function stopLoad(): void {
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
        const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
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
