import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { expect, test, type APIRequestContext } from './support/test';
import { adminCli, createKey } from './support/admin-cli';
import { APIJOB, call, expectJson, expectProblem, runPath } from './support/api';
import { E2E_PORT } from './support/env';
import { state } from './support/state';
import { payloadOf } from './support/tokens';

// The contract's loose ends a property-based fuzzer found (issue 12), one test each, against the
// production build: scripts/web.ts in front, Next behind it.
test.describe.configure({ mode: 'parallel' });

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A request Playwright's client cannot make: any method, a header sent twice. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string | string[]> = {},
  body?: string,
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: E2E_PORT, method, path }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    for (const [name, value] of Object.entries(headers)) req.setHeader(name, value);
    req.on('error', reject);
    req.end(body);
  });
}

function problemOf(res: Raw, status: number, code: string) {
  expect(res.status, res.text.slice(0, 300)).toBe(status);
  expect(res.headers['content-type'] ?? '').toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.text);
  expect(body).toMatchObject({ status, code });
  expect(typeof body.requestId).toBe('string');
  return body as { detail: string; errors?: { path: string; message: string }[] };
}

const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);
const dry = (extra: Record<string, unknown>) => JSON.stringify({ id: 'hello-world', dryRun: true, ...extra });

test.describe('strings and nesting Postgres cannot hold: 422 with the path, never 500', () => {
  for (const [name, body, path] of [
    ['NUL in id', '{"id":"a\\u0000b","dryRun":true}', 'id'],
    ['an unpaired surrogate in jobid', dry({}).replace('}', ',"jobid":"\\ud800x"}'), 'jobid'],
    ['NUL in a params string', '{"id":"hello-world","params":{"name":"x\\u0000"}}', 'params.name'],
    [
      'an unpaired surrogate in a params name',
      '{"id":"hello-world","params":{"\\udc00":"x"}}',
      'params.\\udc00',
    ],
  ] as const) {
    test(name, async ({ request }) => {
      const res = await call(request, { key: state().keys.main, raw: body });
      const problem = await expectProblem(res, 422, 'validation_failed');
      expect(paths(problem)).toContain(path);
    });
  }

  for (const depth of [5_000, 20_000]) {
    test(`params nested ${depth} deep inside 64 KiB`, async ({ request }) => {
      const body = `{"id":"hello-world","dryRun":true,"params":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
      expect(body.length).toBeLessThan(64 * 1024);
      const problem = await expectProblem(
        await call(request, { key: state().keys.main, raw: body }),
        422,
        'validation_failed',
      );
      expect(paths(problem)[0]).toMatch(/^params\.a\.0\.0/);
    });
  }

  test('a whitespace-only id: 422, as the spec’s pattern says', async ({ request }) => {
    const problem = await expectProblem(
      await call(request, { key: state().keys.main, body: { id: '   ', dryRun: true } }),
      422,
      'validation_failed',
    );
    expect(paths(problem)).toContain('id');
  });
});

test.describe('bodies the API does not take', () => {
  test('application/merge-patch+json: 415', async ({ request }) => {
    await expectProblem(
      await call(request, {
        key: state().keys.main,
        raw: dry({}),
        contentType: 'application/merge-patch+json',
      }),
      415,
      'unsupported_media_type',
    );
  });

  test('Content-Encoding: gzip on a plain body: 415 with Accept-Encoding, not silently read', async () => {
    const res = await raw(
      'POST',
      APIJOB,
      { 'x-api-key': state().keys.main, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      dry({}),
    );
    problemOf(res, 415, 'unsupported_media_type');
    expect(res.headers['accept-encoding']).toBe('identity');
  });

  test('duplicate names ("dryRun":true,"dryRun":false): 400 invalid_json, no run started', async ({
    request,
  }) => {
    const body = '{"id":"e2e-idle","dryRun":true,"dryRun":false}';
    const problem = await expectProblem(
      await call(request, { key: state().keys.main, raw: body }),
      400,
      'invalid_json',
    );
    expect(problem.detail).toContain('dryRun');
    const status = await expectJson(
      await call(request, { key: state().keys.main, body: { id: 'e2e-idle', action: 'status' } }),
      200,
    );
    expect(status.lastRun).toBeNull();
  });

  test('a body action and a different ?action=: 422 naming action', async ({ request }) => {
    const res = await call(request, {
      key: state().keys.main,
      path: `${APIJOB}?action=status`,
      body: { id: 'e2e-idle', action: 'stop' },
    });
    expect(paths(await expectProblem(res, 422, 'validation_failed'))).toEqual(['action']);
    await expectJson(
      await call(request, {
        key: state().keys.main,
        path: `${APIJOB}?action=status`,
        body: { id: 'e2e-idle', action: 'status' },
      }),
      200,
    );
  });
});

test.describe('keys that conflict, and 401s', () => {
  test('x-api-key and a different Bearer key: 400 saying why; the same key twice is fine', async ({
    request,
  }) => {
    const { keys } = state();
    const problem = await expectProblem(
      await call(request, { key: keys.main, bearer: keys.scoped, body: { id: 'hello-world', dryRun: true } }),
      400,
      'bad_request',
    );
    expect(problem.detail).toMatch(/different keys/);
    await expectJson(
      await call(request, { key: keys.main, bearer: keys.main, body: { id: 'hello-world', dryRun: true } }),
      200,
    );
  });

  test('x-api-key sent twice: 400 saying why', async () => {
    const { keys } = state();
    const res = await raw(
      'POST',
      APIJOB,
      { 'x-api-key': [keys.main, keys.main], 'content-type': 'application/json' },
      dry({}),
    );
    expect(problemOf(res, 400, 'bad_request').detail).toMatch(/more than once/);
  });

  // The expired key's 401 is checked in api-contract.spec.ts's expiry test (it waits for the expiry).
  test('every 401 carries WWW-Authenticate: invalid and revoked keys too, not only a missing one', async ({
    request,
  }) => {
    const revoked = await createKey({ name: `e2e-edges-revoked-${randomUUID().slice(0, 8)}` });
    await adminCli(['key', 'revoke', String(payloadOf(revoked).id)]);
    // Revocation reaches the web server's key cache within a second.
    await expect
      .poll(
        async () =>
          (await call(request, { key: revoked, body: { id: 'hello-world', dryRun: true } })).status(),
        { timeout: 5_000 },
      )
      .toBe(401);
    for (const [key, code] of [
      ['not-a-jwt', 'api_key_invalid'],
      [revoked, 'api_key_revoked'],
    ] as const) {
      for (const path of [APIJOB, runPath(randomUUID())]) {
        const res = await call(request, {
          key,
          method: path === APIJOB ? 'POST' : 'GET',
          path,
          body: path === APIJOB ? { id: 'hello-world' } : undefined,
        });
        await expectProblem(res, 401, code);
        expect(res.headers()['www-authenticate'] ?? '', `${code} on ${path}`).toMatch(
          /^Bearer realm="etl-mgr", error="invalid_token"/,
        );
      }
    }
  });
});

test.describe('methods and paths', () => {
  const runId = '3f0c2a8e-8d4b-4c57-9a43-2f1d6b7e9c10';
  const ROUTES: [string, string][] = [
    [APIJOB, 'POST'],
    [runPath(runId), 'GET, HEAD'],
    [`${runPath(runId)}/cancel`, 'POST'],
    [`${runPath(runId)}/logs`, 'GET, HEAD'],
    ['/etl-mgr/api/openapi.json', 'GET, HEAD'],
  ];

  for (const [path, allow] of ROUTES) {
    test(`${path.replace(runId, '{runId}')}: OPTIONS 204 with Allow ${allow}; TRACE, PUT, PATCH, DELETE and PROPFIND 405 problem+json with Allow`, async () => {
      const options = await raw('OPTIONS', path);
      expect(options.status).toBe(204);
      expect(options.headers.allow).toBe(allow);
      const served = allow.split(', ');
      for (const method of ['TRACE', 'PUT', 'PATCH', 'DELETE', 'PROPFIND', 'GET', 'POST'].filter(
        (m) => !served.includes(m),
      )) {
        const res = await raw(method, path, { 'x-api-key': state().keys.main });
        problemOf(res, 405, 'method_not_allowed');
        expect(res.headers.allow, `${method} ${path}`).toBe(allow);
      }
    });
  }

  for (const path of [
    '/etl-mgr/api',
    '/etl-mgr/api/',
    '/etl-mgr/api/nope',
    `${runPath(runId)}/extra`,
    '/etl-mgr/api/apijob/x',
  ]) {
    test(`unknown ${path}: 404 problem+json not_found, not the console’s HTML`, async () => {
      for (const method of ['GET', 'POST', 'TRACE']) problemOf(await raw(method, path), 404, 'not_found');
    });
  }
});

test.describe('run logs query', () => {
  let ownRun: Promise<string> | undefined;
  const runId = (request: APIRequestContext) =>
    (ownRun ??= call(request, { key: state().keys.main, body: { id: 'e2e-three-lines' } }).then(
      async (res) => (await expectJson(res, 202)).runId as string,
    ));

  for (const query of [
    'after=2147483648',
    'after=99999999999',
    'after=0x10',
    'after=1e3',
    'after=-1',
    'after=',
    'limit=501',
    'limit=0',
    'after=1&after=2',
  ]) {
    test(`?${query}: 422, never 500 and never taken`, async ({ request }) => {
      const res = await call(request, {
        method: 'GET',
        path: `${runPath(await runId(request))}/logs?${query}`,
        key: state().keys.main,
      });
      await expectProblem(res, 422, 'validation_failed');
    });
  }

  test('?after=2147483647 (the largest seq) and ?limit=500: 200 with no lines', async ({ request }) => {
    const path = `${runPath(await runId(request))}/logs?after=2147483647&limit=500`;
    const body = await expectJson(await call(request, { method: 'GET', path, key: state().keys.main }), 200);
    expect(body).toMatchObject({ lines: [], next: 2147483647 });
  });
});

test('an Idempotency-Key is per API key: a key not allowed the job gets 403, not the other key’s 202', async ({
  request,
}) => {
  const { keys } = state();
  const headers = { 'Idempotency-Key': randomUUID() };
  const body = { id: 'e2e-three-lines' };
  await expectJson(await call(request, { key: keys.main, headers, body }), 202);
  await expectProblem(await call(request, { key: keys.scoped, headers, body }), 403, 'job_not_allowed');
});
