import { LineSplitter } from '../line-splitter';
import type { ExecuteContext, Executor } from './types';

/** How much of the response body reaches the run's log. */
const BODY_LOG_BYTES = 4 * 1024;

interface HttpConfig {
  method: string;
  url: string;
  headers: Record<string, string>;
}

function parseConfig(config: unknown): HttpConfig | string {
  const c = (config ?? {}) as Record<string, unknown>;
  const method = c.method ?? 'POST';
  if (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method)) return 'invalid http job: config.method must be an HTTP method';
  if (typeof c.url !== 'string' || !/^https?:\/\//i.test(c.url)) return 'invalid http job: config.url must be an http(s) URL';
  const headers = c.headers ?? {};
  if (typeof headers !== 'object' || Array.isArray(headers)) return 'invalid http job: config.headers must be an object';
  const headerStrings = Object.fromEntries(Object.entries(headers as object).map(([k, v]) => [k, String(v)]));
  return { method: method.toUpperCase(), url: c.url, headers: headerStrings };
}

/** Reads at most `limit` bytes of a body, then lets the rest go. */
async function bodyStart(response: Response, limit: number): Promise<{ bytes: Buffer; cut: boolean }> {
  if (!response.body) return { bytes: Buffer.alloc(0), cut: false };
  const reader = response.body.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  while (size < limit) {
    const { done, value } = await reader.read();
    if (done) return { bytes: Buffer.concat(chunks), cut: false };
    chunks.push(Buffer.from(value));
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  return { bytes: Buffer.concat(chunks).subarray(0, limit), cut: true };
}

/** Calls `config.url` with `{runId, jobId, params}` as JSON; a 2xx answer is success. */
export const httpExecutor: Executor = {
  async execute(ctx: ExecuteContext) {
    const config = parseConfig(ctx.job.config);
    if (typeof config === 'string') return { status: 'failed', error: config };
    const hasBody = config.method !== 'GET' && config.method !== 'HEAD';
    try {
      // ctx.signal carries the job's timeout and cancellation.
      const response = await fetch(config.url, {
        method: config.method,
        headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...config.headers },
        body: hasBody ? JSON.stringify({ runId: ctx.run.id, jobId: ctx.job.id, params: ctx.params ?? {} }) : undefined,
        signal: ctx.signal,
      });
      ctx.log('system', `HTTP ${response.status} ${response.statusText}`.trim());
      const { bytes, cut } = await bodyStart(response, BODY_LOG_BYTES);
      const lines = new LineSplitter((line) => ctx.log('stdout', line));
      lines.push(bytes);
      lines.end();
      if (cut) ctx.log('system', `[response cut at ${BODY_LOG_BYTES} bytes]`);
      if (response.ok) return { status: 'succeeded' };
      return { status: 'failed', error: `HTTP ${response.status}` };
    } catch (error) {
      if (ctx.signal.aborted) return { status: 'failed', error: 'aborted' };
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      return { status: 'failed', error: `request failed: ${cause ?? (error as Error).message}` };
    }
  },
};
