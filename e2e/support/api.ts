import { expect, type APIRequestContext, type APIResponse } from '@playwright/test';

export const APIJOB = '/etl-mgr/api/apijob';
export const runPath = (runId: string) => `/etl-mgr/api/runs/${encodeURIComponent(runId)}`;

export interface ApiCall {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path?: string;
  /** Sent as `x-api-key`; null sends none. */
  key?: string | null;
  /** Sent as `Authorization: Bearer` instead of x-api-key. */
  bearer?: string;
  headers?: Record<string, string>;
  /** JSON-encoded and sent with Content-Type: application/json (unless contentType says otherwise). */
  body?: unknown;
  /** Sent as is (broken JSON, big bodies). */
  raw?: string | Buffer;
  /** Content-Type of body/raw; null sends none. */
  contentType?: string | null;
  /** Milliseconds to wait for the answer (Playwright's default is 30 s). */
  timeout?: number;
}

export async function call(request: APIRequestContext, c: ApiCall): Promise<APIResponse> {
  const headers: Record<string, string> = { ...c.headers };
  if (c.key) headers['x-api-key'] = c.key;
  if (c.bearer) headers.authorization = `Bearer ${c.bearer}`;
  // Always bytes: Playwright JSON-encodes a string that is not valid JSON when the type is JSON.
  const text = c.raw ?? (c.body === undefined ? undefined : JSON.stringify(c.body));
  const data = text === undefined ? undefined : Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  if (data !== undefined && c.contentType !== null)
    headers['content-type'] = c.contentType ?? 'application/json';
  return request.fetch(c.path ?? APIJOB, {
    method: c.method ?? 'POST',
    headers,
    data,
    maxRedirects: 0,
    timeout: c.timeout,
  });
}

/** The answer's JSON body, failing with the raw text when it is not JSON. */
export async function jsonOf(res: APIResponse): Promise<Record<string, any>> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${res.status()} ${res.url()}: the body is not JSON: ${text.slice(0, 500)}`);
  }
}

/** Asserts an RFC 9457 problem: the status, application/problem+json, every member, the code (when given). */
export async function expectProblem(
  res: APIResponse,
  status: number,
  code?: string,
): Promise<Record<string, any>> {
  const text = await res.text();
  const what = `${res.status()} ${res.headers()['content-type']} ${text.slice(0, 500)}`;
  expect(res.status(), `status (got ${what})`).toBe(status);
  if (status < 500) expect(res.status(), 'never a 5xx').toBeLessThan(500);
  expect(res.headers()['content-type'] ?? '', `content type (got ${what})`).toMatch(
    /^application\/problem\+json/,
  );
  const body = JSON.parse(text) as Record<string, any>;
  if (code) expect(body.code, `code (got ${what})`).toBe(code);
  else
    expect(typeof body.code === 'string' && body.code.length > 0, `problem member "code" (got ${what})`).toBe(
      true,
    );
  expect(body.status, 'status member').toBe(status);
  for (const member of ['type', 'title', 'detail', 'requestId']) {
    expect(
      typeof body[member] === 'string' && body[member].length > 0,
      `problem member "${member}" (got ${what})`,
    ).toBe(true);
  }
  // No stack traces or SQL leak out.
  expect(text).not.toMatch(/\bat .+\.(js|ts):\d+|prisma|select .* from|syntax error at/i);
  return body;
}

/** Asserts a JSON success answer with the given status and returns its body. */
export async function expectJson(res: APIResponse, status: number): Promise<Record<string, any>> {
  const text = await res.text();
  expect(res.status(), `status (got ${res.status()} ${text.slice(0, 500)})`).toBe(status);
  expect(res.headers()['content-type'] ?? '').toMatch(/^application\/json/);
  return JSON.parse(text) as Record<string, any>;
}

export const TERMINAL = ['succeeded', 'failed', 'cancelled'];

/** Polls GET /etl-mgr/api/runs/{runId} until the run's status is one of `statuses`. */
export async function waitForRun(
  request: APIRequestContext,
  key: string,
  runId: string,
  statuses: string[] = TERMINAL,
  timeout = 30_000,
): Promise<Record<string, any>> {
  let run: Record<string, any> = {};
  await expect
    .poll(
      async () => {
        const res = await call(request, { method: 'GET', path: runPath(runId), key });
        if (res.status() !== 200) return `HTTP ${res.status()}: ${(await res.text()).slice(0, 200)}`;
        run = await res.json();
        return run.status;
      },
      { timeout, intervals: [250, 500, 1000], message: `run ${runId} reaches ${statuses.join('/')}` },
    )
    .toMatch(new RegExp(`^(${statuses.join('|')})$`));
  return run;
}
