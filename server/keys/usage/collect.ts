import { presentedKey } from '../../http/api-route';
import { clientAddress } from '../../http/client-address';
import { onShutdown, processWide } from '../../runtime/process-wide';
import { tokenDigest } from '../token';
import { flushUsage, type UsageEntry } from './flush';

// Usage of the job API per key, gathered in memory on the hot path and written in batches (flush.ts):
// a request costs a SHA-256 and an array push here, never a database write of its own.

const FLUSH_MS = 1_000;
const FLUSH_AT = 500;
/** While the database is away, at most this many requests wait; older ones are dropped. */
const MAX_PENDING = 20_000;

// One collector a process (see process-wide.ts), written before the web process exits.
const state = processWide('key-usage', () => {
  onShutdown('key-usage', () => flushKeyUsage());
  return {
    pending: [] as UsageEntry[],
    timer: undefined as NodeJS.Timeout | undefined,
    flushing: null as Promise<void> | null,
  };
});
/** The job each request named, noted by the route once it has parsed the body. */
const requestedJobs = processWide('requested-jobs', () => new WeakMap<Request, string>());

export function noteRequestedJob(request: Request, job: string): void {
  requestedJobs.set(request, job);
}

const RUN_PATH = /\/etl-mgr\/api\/runs\/([0-9a-f-]{36})$/;

/**
 * Wraps the job API's handler: every answer to a request that presented a token is noted. Which key it
 * was is settled when written, by the token's digest (a forged or edited token matches no key).
 */
export function withKeyUsage<R extends unknown[]>(
  handler: (request: Request, ...rest: R) => Promise<Response>,
) {
  return async (request: Request, ...rest: R): Promise<Response> => {
    const response = await handler(request, ...rest);
    try {
      noteAnswer(request, response);
    } catch {
      // Usage is a view of the traffic; it never changes an answer.
    }
    return response;
  };
}

function noteAnswer(request: Request, response: Response): void {
  const token = presentedKey(request);
  if (!token || token.length > 8192) return;
  const entry: UsageEntry = {
    at: new Date(),
    digest: tokenDigest(token),
    status: response.status,
    code: null,
    job: requestedJobs.get(request)?.slice(0, 200) ?? null,
    runId: response.headers.get('location')?.match(RUN_PATH)?.[1] ?? null,
    ip: clientAddress(request.headers)?.slice(0, 100) ?? null,
    requestId: response.headers.get('x-request-id')?.slice(0, 100) ?? '',
  };
  if (response.status < 300) return push(entry);
  // A refusal: its problem code (and a conflicting run) from a copy of the body, off the answer's path.
  response
    .clone()
    .json()
    .then((body: { code?: unknown; runId?: unknown }) => {
      if (typeof body.code === 'string') entry.code = body.code.slice(0, 60);
      if (typeof body.runId === 'string' && /^[0-9a-f-]{36}$/.test(body.runId)) entry.runId = body.runId;
    })
    .catch(() => {})
    .finally(() => push(entry));
}

function push(entry: UsageEntry): void {
  if (state.pending.length >= MAX_PENDING) state.pending.shift();
  state.pending.push(entry);
  if (state.pending.length >= FLUSH_AT) void flushKeyUsage();
  else state.timer ??= setTimeout(() => void flushKeyUsage(), FLUSH_MS).unref();
}

/** Writes what has been gathered; on shutdown too (runShutdownHooks). Failed batches wait for the next. */
export async function flushKeyUsage(): Promise<void> {
  if (state.flushing) await state.flushing;
  clearTimeout(state.timer);
  state.timer = undefined;
  if (state.pending.length === 0) return;
  const batch = state.pending;
  state.pending = [];
  state.flushing = flushUsage(batch)
    .catch(() => {
      state.pending = batch.concat(state.pending).slice(-MAX_PENDING);
      state.timer ??= setTimeout(() => void flushKeyUsage(), 5 * FLUSH_MS).unref();
    })
    .finally(() => {
      state.flushing = null;
    });
  await state.flushing;
}
