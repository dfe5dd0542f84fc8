import { randomUUID } from 'node:crypto';
import { expect, test, type APIRequestContext, type APIResponse } from './support/test';
import { adminCli, createKey } from './support/admin-cli';
import { APIJOB, call, expectJson, expectProblem, runPath, waitForRun, type ApiCall } from './support/api';
import { signIn } from './support/auth';
import { DEFAULT_RATE_LIMIT, E2E_BASE_URL } from './support/env';
import { state, type E2EState } from './support/state';
import {
  payloadOf,
  readSigningSecret,
  sign,
  tamperPayload,
  tamperSignature,
  unsigned,
  type SigningSecret,
} from './support/tokens';

// The job API held to DESIGN.md sections 3 and 4, against the running production build. Keys, jobs and
// another organisation come from the global setup (e2e/support/global-setup.ts). Every test is
// independent, so the file runs in parallel on both workers.
test.describe.configure({ mode: 'parallel' });

interface Ctx {
  s: E2EState;
  secret: SigningSecret;
  /** The claims of the main key, exactly as issued. */
  claims: Record<string, unknown>;
}

function ctx(): Ctx {
  const s = state();
  return { s, secret: readSigningSecret(), claims: payloadOf(s.keys.main) };
}

const KiB = 1024;
/** The expiring key's lifetime: long enough for the CLI to make it on a busy machine. */
const EXPIRING_KEY_SECONDS = 30;

// ---------------------------------------------------------------------------------------------------
// The table: one request each, the contract's status and code (or a check of the success body).
// ---------------------------------------------------------------------------------------------------

interface Case {
  name: string;
  /** The request; `key` defaults to the main key (use null for none). */
  request: (c: Ctx) => ApiCall | Promise<ApiCall>;
  status: number;
  /** The problem code, for errors. */
  code?: string;
  check?: (res: APIResponse, body: Record<string, any>, c: Ctx) => void | Promise<void>;
}

const startHello = { id: 'hello-world', params: { name: 'table' } };

/** The paths of a validation problem's `errors`. */
function errorPaths(body: Record<string, any>): string[] {
  expect(Array.isArray(body.errors), `errors[] in ${JSON.stringify(body)}`).toBe(true);
  for (const e of body.errors) {
    expect(typeof e.path, `errors[].path in ${JSON.stringify(body.errors)}`).toBe('string');
    expect(typeof e.message, `errors[].message in ${JSON.stringify(body.errors)}`).toBe('string');
  }
  return body.errors.map((e: { path: string }) => e.path);
}

const expectPathMentions = (fragment: string) => (_res: APIResponse, body: Record<string, any>) => {
  const paths = errorPaths(body);
  expect(
    paths.some((p) => p.includes(fragment)),
    `an errors[].path mentions "${fragment}": ${JSON.stringify(paths)}`,
  ).toBe(true);
};

const CASES: Case[] = [
  // --- starting, the happy rows ---
  {
    name: 'start by name: 202 job started, runId, status queued, statusUrl, Location',
    request: () => ({ body: startHello }),
    status: 202,
    check: (res, body, c) => {
      expect(body).toMatchObject({ message: 'job started', id: c.s.jobs.helloWorld, status: 'queued' });
      expect(typeof body.runId).toBe('string');
      expect(body.statusUrl).toMatch(new RegExp(`/etl-mgr/api/runs/${body.runId}$`));
      expect(res.headers().location ?? '').toMatch(new RegExp(`/etl-mgr/api/runs/${body.runId}$`));
    },
  },
  {
    name: 'start by id: 202 for the same job',
    request: (c) => ({ body: { id: c.s.jobs.helloWorld, params: { name: 'by id' } } }),
    status: 202,
    check: (_res, body, c) =>
      expect(body).toMatchObject({ message: 'job started', id: c.s.jobs.helloWorld, status: 'queued' }),
  },
  {
    name: 'Authorization: Bearer works like x-api-key',
    request: (c) => ({ key: null, bearer: c.s.keys.main, body: startHello }),
    status: 202,
    check: (_res, body) => expect(body.message).toBe('job started'),
  },
  {
    name: 'jobid (the caller reference) is accepted on start',
    request: () => ({ body: { ...startHello, jobid: 'pipeline-42' } }),
    status: 202,
  },
  {
    name: 'dryRun: 200 dry run ok',
    request: () => ({ body: { id: 'hello-world', dryRun: true } }),
    status: 200,
    check: (_res, body) => expect(body.message).toBe('dry run ok'),
  },
  {
    name: 'content type application/json; charset=utf-8 is JSON',
    request: () => ({
      body: { id: 'hello-world', dryRun: true },
      contentType: 'application/json; charset=utf-8',
    }),
    status: 200,
  },
  {
    name: 'status action on a job never run: 200, lastRun null',
    request: () => ({ body: { id: 'e2e-idle', action: 'status' } }),
    status: 200,
    check: (_res, body, c) => {
      expect(body.id).toBe(c.s.jobs.idle);
      expect(body.lastRun).toBeNull();
      expect(body.message).toBe(body.status);
    },
  },
  {
    name: '?action=status in the query works too',
    request: () => ({ path: `${APIJOB}?action=status`, body: { id: 'e2e-idle' } }),
    status: 200,
    check: (_res, body, c) => {
      expect(body.id).toBe(c.s.jobs.idle);
      expect(body).toHaveProperty('lastRun', null);
    },
  },
  {
    name: 'stop with nothing running: 200 job already stopped',
    request: () => ({ body: { id: 'e2e-idle', action: 'stop' } }),
    status: 200,
    check: (_res, body, c) =>
      expect(body).toMatchObject({ message: 'job already stopped', id: c.s.jobs.idle }),
  },
  {
    name: 'the RateLimit-* headers are on a success answer',
    request: () => ({ body: { id: 'hello-world', dryRun: true } }),
    status: 200,
    check: (res) => {
      expect(res.headers()['ratelimit-limit']).toBe(String(DEFAULT_RATE_LIMIT));
      expect(Number(res.headers()['ratelimit-remaining'])).toBeLessThan(DEFAULT_RATE_LIMIT);
    },
  },

  {
    name: 'the RateLimit-* headers are on an error answer of a valid key too',
    request: () => ({ body: { id: 'no-such-job' } }),
    status: 404,
    code: 'job_not_found',
    check: (res) => {
      expect(res.headers()['ratelimit-limit']).toBe(String(DEFAULT_RATE_LIMIT));
      expect(res.headers()['ratelimit-remaining'] ?? '').toMatch(/^\d+$/);
    },
  },

  // --- no key, bad keys and attacks: 401 ---
  {
    name: 'no key: 401 api_key_missing with WWW-Authenticate',
    request: () => ({ key: null, body: startHello }),
    status: 401,
    code: 'api_key_missing',
    check: (res) => expect(res.headers()['www-authenticate'] ?? '').not.toBe(''),
  },
  {
    name: 'a token that is not a JWT: 401 api_key_invalid',
    request: () => ({ key: 'not-a-jwt', body: startHello }),
    status: 401,
    code: 'api_key_invalid',
  },
  {
    name: 'alg none (unsigned) with the real claims: 401 api_key_invalid',
    request: (c) => ({ key: unsigned(c.claims, c.secret.kid), body: startHello }),
    status: 401,
    code: 'api_key_invalid',
  },
  {
    name: 'HS512 with the real secret and claims: 401 api_key_invalid',
    request: async (c) => ({
      key: await sign(c.claims, c.secret.secret, { alg: 'HS512', kid: c.secret.kid }),
      body: startHello,
    }),
    status: 401,
    code: 'api_key_invalid',
  },
  {
    name: 'a tampered signature: 401 api_key_invalid',
    request: (c) => ({ key: tamperSignature(c.s.keys.main), body: startHello }),
    status: 401,
    code: 'api_key_invalid',
  },
  {
    name: 'an edited payload with the original signature: 401 api_key_invalid',
    request: (c) => ({ key: tamperPayload(c.s.keys.main, (p) => ({ ...p, app: 'evil' })), body: startHello }),
    status: 401,
    code: 'api_key_invalid',
  },
  {
    name: 'claims re-signed with the real secret plus an extra field (digest differs): 401 api_key_invalid',
    request: async (c) => ({
      key: await sign({ ...c.claims, admin: true }, c.secret.secret, { kid: c.secret.kid }),
      body: startHello,
    }),
    status: 401,
    code: 'api_key_invalid',
  },
  {
    name: 'claims re-signed with the real secret and another app name: 401 api_key_invalid',
    request: async (c) => ({
      key: await sign({ ...c.claims, app: 'renamed' }, c.secret.secret, { kid: c.secret.kid }),
      body: startHello,
    }),
    status: 401,
    code: 'api_key_invalid',
  },
  {
    name: 'claims re-signed with the real secret and the scoped key\u2019s id: 401 api_key_invalid',
    request: async (c) => ({
      key: await sign({ ...c.claims, id: payloadOf(c.s.keys.scoped).id }, c.secret.secret, {
        kid: c.secret.kid,
      }),
      body: startHello,
    }),
    status: 401,
    code: 'api_key_invalid',
  },
  {
    name: 'a forged key id (a fresh UUID signed with the real secret): 401 api_key_invalid',
    request: async (c) => ({
      key: await sign({ ...c.claims, id: randomUUID() }, c.secret.secret, { kid: c.secret.kid }),
      body: startHello,
    }),
    status: 401,
    code: 'api_key_invalid',
  },
  {
    name: 'a real key id under another organisation\u2019s slug, re-signed: 401 api_key_invalid',
    request: async (c) => ({
      key: await sign({ ...c.claims, org: 'other' }, c.secret.secret, { kid: c.secret.kid }),
      body: startHello,
    }),
    status: 401,
    code: 'api_key_invalid',
  },
  {
    name: 'claims without id, org and iat, signed with the real secret: 401 api_key_invalid',
    request: async (c) => ({
      key: await sign({ app: c.claims.app, uid: c.claims.uid }, c.secret.secret, { kid: c.secret.kid }),
      body: startHello,
    }),
    status: 401,
    code: 'api_key_invalid',
  },
  {
    name: 'an unknown kid (real secret, real claims): 401 api_key_invalid',
    request: async (c) => ({
      key: await sign(c.claims, c.secret.secret, { kid: 'no-such-kid' }),
      body: startHello,
    }),
    status: 401,
    code: 'api_key_invalid',
  },
  {
    name: 'no kid at all (real secret, real claims): 401 api_key_invalid',
    request: async (c) => ({ key: await sign(c.claims, c.secret.secret, {}), body: startHello }),
    status: 401,
    code: 'api_key_invalid',
  },
  {
    name: 'the real kid with another secret: 401 api_key_invalid',
    request: async (c) => ({
      key: await sign(c.claims, new Uint8Array(32).fill(7), { kid: c.secret.kid }),
      body: startHello,
    }),
    status: 401,
    code: 'api_key_invalid',
  },
  {
    name: '10 KiB of x-api-key header: 401 api_key_invalid',
    request: (c) => ({ key: `${c.s.keys.main}${'A'.repeat(10 * KiB)}`, body: startHello }),
    status: 401,
    code: 'api_key_invalid',
  },

  // --- jobs the key may not reach ---
  {
    name: 'no such job: 404 job_not_found',
    request: () => ({ body: { id: 'no-such-job' } }),
    status: 404,
    code: 'job_not_found',
  },
  {
    name: 'another organisation\u2019s job by id: 404 job_not_found',
    request: (c) => ({ body: { id: c.s.jobs.other } }),
    status: 404,
    code: 'job_not_found',
  },
  {
    name: 'another organisation\u2019s job by name: 404 job_not_found',
    request: (c) => ({ body: { id: c.s.otherJobName } }),
    status: 404,
    code: 'job_not_found',
  },
  {
    name: 'another organisation\u2019s job, status action: 404 job_not_found',
    request: (c) => ({ body: { id: c.s.jobs.other, action: 'status' } }),
    status: 404,
    code: 'job_not_found',
  },
  {
    name: 'a key scoped to hello-world asking for countdown: 403 job_not_allowed',
    request: (c) => ({ key: c.s.keys.scoped, body: { id: 'countdown' } }),
    status: 403,
    code: 'job_not_allowed',
  },
  {
    name: 'a key scoped to hello-world asking for countdown by id, dry run: 403 job_not_allowed',
    request: (c) => ({ key: c.s.keys.scoped, body: { id: c.s.jobs.countdown, dryRun: true } }),
    status: 403,
    code: 'job_not_allowed',
  },
  {
    name: 'a key scoped to hello-world starting hello-world: 202',
    request: (c) => ({ key: c.s.keys.scoped, body: startHello }),
    status: 202,
  },

  // --- malformed input: 400, 413, 415, 422, never 5xx ---
  {
    name: 'broken JSON: 400 invalid_json',
    request: () => ({ raw: '{"id": "hello-world",' }),
    status: 400,
    code: 'invalid_json',
  },
  {
    name: 'an empty body: 400 invalid_json',
    request: () => ({ raw: '' }),
    status: 400,
    code: 'invalid_json',
  },
  {
    name: 'wrong type of id: 422 validation_failed, errors[].path id',
    request: () => ({ body: { id: 42 } }),
    status: 422,
    code: 'validation_failed',
    check: expectPathMentions('id'),
  },
  {
    name: 'wrong types of params and dryRun: 422 validation_failed with their paths',
    request: () => ({ body: { id: 'hello-world', params: 'name=Ada', dryRun: 'yes' } }),
    status: 422,
    code: 'validation_failed',
    check: (res, body) => {
      expectPathMentions('params')(res, body);
      expectPathMentions('dryRun')(res, body);
    },
  },
  {
    name: 'no id: 422 validation_failed, errors[].path id',
    request: () => ({ body: { action: 'start' } }),
    status: 422,
    code: 'validation_failed',
    check: expectPathMentions('id'),
  },
  {
    name: 'a JSON array: 422 validation_failed',
    request: () => ({ raw: '[]' }),
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'JSON null: 422 validation_failed',
    request: () => ({ raw: 'null' }),
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'an unknown field: 422 validation_failed',
    request: () => ({ body: { id: 'hello-world', priority: 'high' } }),
    status: 422,
    code: 'validation_failed',
    check: (_res, body) => expect(errorPaths(body).length).toBeGreaterThan(0),
  },
  {
    name: 'an unknown action: 422 validation_failed, errors[].path action',
    request: () => ({ body: { id: 'hello-world', action: 'explode' } }),
    status: 422,
    code: 'validation_failed',
    check: expectPathMentions('action'),
  },
  {
    name: 'an unknown ?action= in the query: 422 validation_failed',
    request: () => ({ path: `${APIJOB}?action=explode`, body: { id: 'hello-world' } }),
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'params that do not fit the job\u2019s params schema: 422 validation_failed, errors[].path name',
    request: () => ({ body: { id: 'hello-world', params: { name: 5 } } }),
    status: 422,
    code: 'validation_failed',
    check: expectPathMentions('name'),
  },
  {
    name: 'params with a field the job\u2019s schema does not allow: 422 validation_failed',
    request: () => ({ body: { id: 'countdown', params: { seconds: 3, extra: true }, dryRun: true } }),
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'content type text/plain: 415 unsupported_media_type',
    request: () => ({ raw: JSON.stringify(startHello), contentType: 'text/plain' }),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a form-encoded body: 415 unsupported_media_type',
    request: () => ({ raw: 'id=hello-world', contentType: 'application/x-www-form-urlencoded' }),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: '100 KiB of body: 413 payload_too_large',
    request: () => ({ body: { id: 'hello-world', params: { name: 'x'.repeat(100 * KiB) } } }),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'GET: 405 method_not_allowed with Allow: POST',
    request: () => ({ method: 'GET' }),
    status: 405,
    code: 'method_not_allowed',
    check: (res) => expect(res.headers().allow).toBe('POST'),
  },
  {
    name: 'PUT: 405 method_not_allowed with Allow: POST',
    request: () => ({ method: 'PUT', body: startHello }),
    status: 405,
    code: 'method_not_allowed',
    check: (res) => expect(res.headers().allow).toBe('POST'),
  },
  {
    name: 'DELETE without a key: 405 method_not_allowed',
    request: () => ({ method: 'DELETE', key: null }),
    status: 405,
    code: 'method_not_allowed',
  },
];

test.describe('POST /etl-mgr/api/apijob: the contract table', () => {
  for (const row of CASES) {
    test(row.name, async ({ request }) => {
      const c = ctx();
      const req = await row.request(c);
      const res = await call(request, { key: c.s.keys.main, ...req });
      if (row.code) {
        const body = await expectProblem(res, row.status, row.code);
        await row.check?.(res, body, c);
      } else {
        const body = await expectJson(res, row.status);
        await row.check?.(res, body, c);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// Rows that need more than one request: keys that change, idempotency, concurrency, rate limits.
// ---------------------------------------------------------------------------------------------------

test.describe('POST /etl-mgr/api/apijob: keys over time', () => {
  test('an expired key: works before its expiry, then 401 api_key_expired', async ({ request }) => {
    // Made here rather than in the global setup: its expiry is measured from now.
    const token = await createKey({
      name: 'e2e-expiring',
      expires: new Date(Date.now() + EXPIRING_KEY_SECONDS * 1000).toISOString(),
    });
    const exp = payloadOf(token).exp;
    expect(typeof exp, 'an expiring key carries exp').toBe('number');
    const dryRun = { key: token, body: { id: 'hello-world', dryRun: true } };
    if (Date.now() < exp! * 1000 - 2_000) {
      await expectJson(await call(request, dryRun), 200);
    }
    const wait = exp! * 1000 + 1_000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const expired = await call(request, dryRun);
    await expectProblem(expired, 401, 'api_key_expired');
    expect(expired.headers()['www-authenticate'] ?? '').toMatch(
      /^Bearer realm="etl-mgr", error="invalid_token"/,
    );
    await expectProblem(await call(request, { ...dryRun, key: null, bearer: token }), 401, 'api_key_expired');
  });

  test('a revoked key: works, then 401 api_key_revoked within a second of key revoke', async ({
    request,
  }) => {
    const { keys } = state();
    const dryRun = { key: keys.revocable, body: { id: 'hello-world', dryRun: true } };
    await expectJson(await call(request, dryRun), 200);
    await adminCli(['key', 'revoke', String(payloadOf(keys.revocable).id)]);
    const revokedAt = Date.now();
    await expect
      .poll(async () => (await call(request, dryRun)).status(), { timeout: 1_000, intervals: [100] })
      .toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(1_500);
    await expectProblem(await call(request, dryRun), 401, 'api_key_revoked');
  });

  test('a signed-in browser session is no key: 401 api_key_missing', async ({ page }) => {
    await signIn(page);
    const res = await page.request.post(APIJOB, { data: { id: 'hello-world', dryRun: true } });
    await expectProblem(res, 401, 'api_key_missing');
  });
});

test.describe('POST /etl-mgr/api/apijob: idempotency, concurrency, actions, rate limits', () => {
  test('the same Idempotency-Key and body again: 202 with the first answer and Idempotent-Replayed: true', async ({
    request,
  }) => {
    const { keys } = state();
    const req = {
      key: keys.main,
      headers: { 'Idempotency-Key': randomUUID() },
      body: { id: 'hello-world', params: { name: 'once' } },
    };
    const first = await call(request, req);
    const firstBody = await expectJson(first, 202);
    expect(first.headers()['idempotent-replayed'] ?? 'false').not.toBe('true');
    const second = await call(request, req);
    const secondBody = await expectJson(second, 202);
    expect(second.headers()['idempotent-replayed']).toBe('true');
    expect(secondBody.runId).toBe(firstBody.runId);
    expect(secondBody).toEqual(firstBody);
    expect(second.headers().location).toBe(first.headers().location);
  });

  test('the same Idempotency-Key with another body: 422 idempotency_key_reused', async ({ request }) => {
    const { keys } = state();
    const headers = { 'Idempotency-Key': randomUUID() };
    await expectJson(
      await call(request, {
        key: keys.main,
        headers,
        body: { id: 'hello-world', params: { name: 'first' } },
      }),
      202,
    );
    const res = await call(request, {
      key: keys.main,
      headers,
      body: { id: 'hello-world', params: { name: 'second' } },
    });
    await expectProblem(res, 422, 'idempotency_key_reused');
  });

  test('parallel jobs queue: two starts of hello-world at once are both 202 with two runs', async ({
    request,
  }) => {
    const { keys } = state();
    const [a, b] = await Promise.all(
      [0, 1].map(() =>
        call(request, { key: keys.main, body: { id: 'hello-world', params: { name: 'twin' } } }),
      ),
    );
    const [ba, bb] = [await expectJson(a, 202), await expectJson(b, 202)];
    expect(ba.runId).not.toBe(bb.runId);
  });

  test('single concurrency: a second start is 409 job_already_running with runId; stop is 200 job stopped', async ({
    request,
  }) => {
    const { keys, jobs } = state();
    const start = { key: keys.main, body: { id: 'countdown', params: { seconds: 30 } } };
    const first = await expectJson(await call(request, start), 202);
    let stopped = false;
    try {
      const conflict = await expectProblem(await call(request, start), 409, 'job_already_running');
      expect(conflict.runId).toBe(first.runId);

      const status = await expectJson(
        await call(request, { key: keys.main, body: { id: 'countdown', action: 'status' } }),
        200,
      );
      expect(['queued', 'running']).toContain(status.status);
      expect(status.message).toBe(status.status);
      expect(status.lastRun).toMatchObject({ id: first.runId });

      const stop = await expectJson(
        await call(request, { key: keys.main, body: { id: 'countdown', action: 'stop' } }),
        200,
      );
      stopped = true;
      expect(stop).toMatchObject({ message: 'job stopped', id: jobs.countdown, runId: first.runId });
      const run = await waitForRun(request, keys.main, first.runId, ['cancelled'], 15_000);
      expect(run.finishedAt).toBeTruthy();

      const again = await expectJson(
        await call(request, { key: keys.main, path: `${APIJOB}?action=stop`, body: { id: 'countdown' } }),
        200,
      );
      expect(again).toMatchObject({ message: 'job already stopped', id: jobs.countdown });
    } finally {
      if (!stopped) await call(request, { key: keys.main, body: { id: 'countdown', action: 'stop' } });
    }
  });

  test('status action: 200 with the status as message and lastRun; the failed run\u2019s stderr is logged', async ({
    request,
  }) => {
    const { keys, jobs } = state();
    const started = await expectJson(
      await call(request, { key: keys.main, body: { id: 'always-fails' } }),
      202,
    );
    const run = await waitForRun(request, keys.main, started.runId);
    expect(run).toMatchObject({ status: 'failed', exitCode: 1 });
    const body = await expectJson(
      await call(request, { key: keys.main, body: { id: 'always-fails', action: 'status' } }),
      200,
    );
    expect(body).toMatchObject({ message: 'failed', id: jobs.alwaysFails, status: 'failed' });
    expect(body.lastRun).toMatchObject({ id: started.runId, status: 'failed' });
    // The failed run's stderr is in its log.
    const logs = await expectJson(
      await call(request, { method: 'GET', path: `${runPath(started.runId)}/logs`, key: keys.main }),
      200,
    );
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ stream: 'stderr', text: 'error: this job always fails' }),
    );
  });

  test('dryRun creates no run', async ({ request }) => {
    const { keys } = state();
    const body = await expectJson(
      await call(request, { key: keys.main, body: { id: 'e2e-idle', dryRun: true, params: {} } }),
      200,
    );
    expect(body.message).toBe('dry run ok');
    expect(body.runId).toBeUndefined();
    const status = await expectJson(
      await call(request, { key: keys.main, body: { id: 'e2e-idle', action: 'status' } }),
      200,
    );
    expect(status.lastRun).toBeNull();
  });

  test('rate limit 3 a minute: RateLimit-* headers count down, the 4th is 429 rate_limited with Retry-After', async ({
    request,
  }) => {
    const { keys } = state();
    const dryRun = { key: keys.rateLimited, body: { id: 'hello-world', dryRun: true } };
    for (const remaining of [2, 1, 0]) {
      const res = await call(request, dryRun);
      await expectJson(res, 200);
      expect(res.headers()['ratelimit-limit']).toBe('3');
      expect(res.headers()['ratelimit-remaining']).toBe(String(remaining));
    }
    const limited = await call(request, dryRun);
    await expectProblem(limited, 429, 'rate_limited');
    const retryAfter = Number(limited.headers()['retry-after']);
    // A sliding window of 5 s buckets (issue 24): the oldest counted start leaves it within 65 s.
    expect(
      Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 65,
      `Retry-After ${limited.headers()['retry-after']}`,
    ).toBe(true);
    expect(limited.headers()['ratelimit-limit']).toBe('3');
    expect(limited.headers()['ratelimit-remaining']).toBe('0');
  });

  test('a JSON body without any Content-Type: 415 unsupported_media_type', async () => {
    const { keys } = state();
    const res = await fetch(`${E2E_BASE_URL}${APIJOB}`, {
      method: 'POST',
      headers: { 'x-api-key': keys.main },
      body: new TextEncoder().encode(JSON.stringify({ id: 'hello-world', dryRun: true })),
    });
    const text = await res.text();
    expect(res.status, text).toBe(415);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(text).code).toBe('unsupported_media_type');
  });

  test('a body over 64 KiB streamed without Content-Length: 413 payload_too_large', async () => {
    const { keys } = state();
    const chunk = new TextEncoder().encode(`{"id":"hello-world","params":{"name":"${'x'.repeat(16 * KiB)}`);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 8) return controller.close();
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${E2E_BASE_URL}${APIJOB}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': keys.main },
      body,
      duplex: 'half',
    } as RequestInit);
    const text = await res.text();
    expect(res.status, text).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(text).code).toBe('payload_too_large');
  });
});

// ---------------------------------------------------------------------------------------------------
// Runs: GET, cancel, logs; another organisation's run; a run from start to finish.
// ---------------------------------------------------------------------------------------------------

const RUN_FIELDS = [
  'id',
  'jobId',
  'status',
  'params',
  'trigger',
  'queuedAt',
  'startedAt',
  'finishedAt',
  'exitCode',
  'error',
  'attempt',
];

async function startRun(
  request: APIRequestContext,
  key: string,
  body: Record<string, unknown>,
): Promise<string> {
  const started = await expectJson(await call(request, { key, body }), 202);
  return started.runId as string;
}

test.describe('/etl-mgr/api/runs', () => {
  test('hello-world with {name: "Ada"} succeeds; GET run has every field; its logs say "hello, Ada"', async ({
    request,
  }) => {
    const { keys, jobs } = state();
    const started = await expectJson(
      await call(request, { key: keys.main, body: { id: 'hello-world', params: { name: 'Ada' } } }),
      202,
    );
    const statusUrl = started.statusUrl as string;

    const first = await expectJson(
      await call(request, { method: 'GET', path: statusUrl, key: keys.main }),
      200,
    );
    for (const field of RUN_FIELDS) expect(first, `GET run has "${field}"`).toHaveProperty(field);

    const run = await waitForRun(request, keys.main, started.runId);
    expect(run).toMatchObject({
      id: started.runId,
      jobId: jobs.helloWorld,
      status: 'succeeded',
      params: { name: 'Ada' },
      exitCode: 0,
      error: null,
    });
    expect(typeof run.trigger).toBe('string');
    for (const at of ['queuedAt', 'startedAt', 'finishedAt'])
      expect(Number.isNaN(Date.parse(run[at])), `${at} is a time: ${run[at]}`).toBe(false);
    expect(Date.parse(run.queuedAt)).toBeLessThanOrEqual(Date.parse(run.startedAt));
    expect(Date.parse(run.startedAt)).toBeLessThanOrEqual(Date.parse(run.finishedAt));
    expect(run.attempt).toBeGreaterThanOrEqual(1);

    const logs = await expectJson(
      await call(request, { method: 'GET', path: `${runPath(started.runId)}/logs`, key: keys.main }),
      200,
    );
    expect(Array.isArray(logs.lines)).toBe(true);
    expect(logs).toHaveProperty('next');
    for (const line of logs.lines) {
      expect(typeof line.seq).toBe('number');
      expect(
        typeof line.stream === 'string' && line.stream.length > 0,
        `stream of ${JSON.stringify(line)}`,
      ).toBe(true);
      expect(typeof line.text).toBe('string');
      expect(Number.isNaN(Date.parse(line.at))).toBe(false);
    }
    expect(logs.lines).toContainEqual(expect.objectContaining({ stream: 'stdout', text: 'hello, Ada' }));
  });

  test('logs page with ?after=<seq>', async ({ request }) => {
    const { keys } = state();
    const runId = await startRun(request, keys.main, { id: 'e2e-three-lines' });
    await waitForRun(request, keys.main, runId, ['succeeded']);
    const logsPath = `${runPath(runId)}/logs`;
    type Line = { seq: number; stream: string; text: string };
    const all = (
      await expectJson(await call(request, { method: 'GET', path: logsPath, key: keys.main }), 200)
    ).lines as Line[];
    expect(all.filter((l) => l.stream === 'stdout').map((l) => l.text)).toEqual(['one', 'two', 'three']);
    const seqs = all.map((l) => l.seq);
    expect(
      [...seqs].sort((a, b) => a - b),
      'lines in seq order',
    ).toEqual(seqs);
    expect(new Set(seqs).size, 'seqs are unique').toBe(seqs.length);

    const page = async (after: number) =>
      (
        await expectJson(
          await call(request, { method: 'GET', path: `${logsPath}?after=${after}`, key: keys.main }),
          200,
        )
      ).lines as Line[];
    expect(await page(seqs[0])).toEqual(all.slice(1));
    const two = all.findIndex((l) => l.text === 'two');
    expect(await page(all[two].seq)).toEqual(all.slice(two + 1));
    expect(await page(seqs.at(-1)!)).toEqual([]);
  });

  test('cancel a running run: 202, it ends cancelled; cancel it again: 200', async ({ request }) => {
    const { keys } = state();
    const runId = await startRun(request, keys.main, { id: 'e2e-sleeper' });
    await waitForRun(request, keys.main, runId, ['running'], 20_000);
    const cancel = { method: 'POST' as const, path: `${runPath(runId)}/cancel`, key: keys.main };
    const res = await call(request, cancel);
    expect(res.status(), await res.text()).toBe(202);
    const run = await waitForRun(request, keys.main, runId, ['cancelled'], 15_000);
    expect(run.finishedAt).toBeTruthy();
    const again = await call(request, cancel);
    expect(again.status(), await again.text()).toBe(200);
  });

  test('cancel a finished run: 200', async ({ request }) => {
    const { keys } = state();
    const runId = await startRun(request, keys.main, { id: 'hello-world', params: { name: 'done' } });
    await waitForRun(request, keys.main, runId, ['succeeded']);
    const res = await call(request, { method: 'POST', path: `${runPath(runId)}/cancel`, key: keys.main });
    expect(res.status(), await res.text()).toBe(200);
    expect((await waitForRun(request, keys.main, runId)).status).toBe('succeeded');
  });

  test('another organisation\u2019s run: 404 on GET, cancel and logs; its own key sees it', async ({
    request,
  }) => {
    const { keys, otherRunId } = state();
    const own = await expectJson(
      await call(request, { method: 'GET', path: runPath(otherRunId), key: keys.other }),
      200,
    );
    expect(own.id).toBe(otherRunId);

    await expectProblem(
      await call(request, { method: 'GET', path: runPath(otherRunId), key: keys.main }),
      404,
    );
    await expectProblem(
      await call(request, { method: 'POST', path: `${runPath(otherRunId)}/cancel`, key: keys.main }),
      404,
    );
    await expectProblem(
      await call(request, { method: 'GET', path: `${runPath(otherRunId)}/logs`, key: keys.main }),
      404,
    );
    // The run was not touched by the cancel of the wrong organisation.
    expect((await waitForRun(request, keys.other, otherRunId)).status).toBe('succeeded');
  });

  test('no such run, or a run id that is not a UUID: 404, never 5xx', async ({ request }) => {
    const { keys } = state();
    for (const id of [randomUUID(), 'not-a-uuid', "1' or '1'='1"]) {
      await expectProblem(await call(request, { method: 'GET', path: runPath(id), key: keys.main }), 404);
    }
  });

  test('runs endpoints without a key: 401 api_key_missing', async ({ request }) => {
    const { otherRunId } = state();
    for (const [method, path] of [
      ['GET', runPath(otherRunId)],
      ['POST', `${runPath(otherRunId)}/cancel`],
      ['GET', `${runPath(otherRunId)}/logs`],
    ] as const) {
      await expectProblem(await call(request, { method, path, key: null }), 401, 'api_key_missing');
    }
  });
});

test('GET /etl-mgr/api/openapi.json: OpenAPI 3.1 with every path', async ({ request }) => {
  const { keys } = state();
  const res = await call(request, { method: 'GET', path: '/etl-mgr/api/openapi.json', key: keys.main });
  const doc = await expectJson(res, 200);
  expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  const paths = Object.keys(doc.paths ?? {});
  for (const suffix of ['/apijob', '/runs/{runId}', '/runs/{runId}/cancel', '/runs/{runId}/logs']) {
    expect(
      paths.some((p) => p.endsWith(suffix)),
      `a path ending in ${suffix}: ${JSON.stringify(paths)}`,
    ).toBe(true);
  }
  const apijob = doc.paths[paths.find((p) => p.endsWith('/apijob'))!];
  expect(apijob).toHaveProperty('post');
});
