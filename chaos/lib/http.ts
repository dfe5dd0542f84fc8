// Requests of the suite: always to 127.0.0.1, each with a deadline, every outcome recorded.

export interface Outcome {
  instance: string;
  sentAt: number;
  doneAt: number;
  /** 0 when no HTTP answer came (connection refused or reset, timeout). */
  status: number;
  code?: string;
  retryAfter?: string | null;
  runId?: string;
  error?: string;
  jobid?: string;
  idempotencyKey?: string;
}

export interface Instance {
  name: string;
  base: string;
}

export async function startJob(
  target: Instance,
  key: string,
  body: Record<string, unknown>,
  timeoutMs = 30_000,
  headers: Record<string, string> = {},
): Promise<Outcome> {
  const sentAt = Date.now();
  const jobid = typeof body.jobid === 'string' ? body.jobid : undefined;
  try {
    const res = await fetch(`${target.base}/etl-mgr/api/apijob`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key, ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: { code?: string; runId?: string } = {};
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as status only
    }
    return {
      idempotencyKey: headers['idempotency-key'],
      instance: target.name,
      sentAt,
      doneAt: Date.now(),
      status: res.status,
      code: parsed.code,
      runId: parsed.runId,
      retryAfter: res.headers.get('retry-after'),
      jobid,
    };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    return {
      idempotencyKey: headers['idempotency-key'],
      instance: target.name,
      sentAt,
      doneAt: Date.now(),
      status: 0,
      error: e.cause?.code ?? e.cause?.message ?? e.name ?? e.message,
      jobid,
    };
  }
}

export async function health(target: Instance, timeoutMs = 15_000): Promise<{ at: number; status: number }> {
  try {
    const res = await fetch(`${target.base}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return { at: Date.now(), status: res.status };
  } catch {
    return { at: Date.now(), status: 0 };
  }
}

/** Runs `fn` over `items` with at most `concurrency` at once. */
export async function mapLimit<T, R>(
  items: T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

export function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

export const describeOutcome = (o: Outcome) =>
  o.status ? `${o.status}${o.code ? ` ${o.code}` : ''}` : `no answer (${o.error})`;
