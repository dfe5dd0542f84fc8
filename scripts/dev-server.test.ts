// `npm run dev` serves as `npm start` does: the same launcher and scripts/web.ts in front of Next (with
// --dev), so every answer has the same security headers, the job API's wrong methods get the same
// problem+json from the gate, API answers are never cached and all of them are counted on /metrics.
// A real development server on an embedded Postgres of its own; Next compiles each route on first use.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SECURITY_HEADERS } from '../server/http/security-headers';
import { freePort } from '../server/runtime/embedded-postgres';
import { isolatedEnv, startService, stopProc, type Proc } from '../testkit/processes';
import { parsePrometheusText, sampleValue } from '../testkit/prom-text';

const METRICS_TOKEN = 'dev-test-metrics-token-0123456789';
let dataDir: string;
let launcher: Proc | undefined;
let base: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'dev-server-test-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  launcher = await startService('npm run dev', ['--import', 'tsx', 'scripts/start.ts', '--dev'], {
    env: isolatedEnv(
      {
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        START_WORKER: 'false',
        NEXTAUTH_URL: base,
        ADMIN_EMAIL: 'dev@example.com',
        ADMIN_PASSWORD: randomBytes(12).toString('base64url'),
        METRICS_TOKEN,
      },
      ['NODE_ENV'],
    ),
    logFile: path.join(dataDir, 'dev.log'),
    ready: /\[start\] ready in/,
    timeoutMs: 240_000,
  });
}, 300_000);

afterAll(async () => {
  if (launcher) await stopProc(launcher);
  await rm(dataDir, { recursive: true, force: true });
});

function expectSecurityHeaders(res: Response, what: string) {
  for (const [name, value] of SECURITY_HEADERS) expect(res.headers.get(name), `${what}: ${name}`).toBe(value);
}

describe('npm run dev', () => {
  test('the gate, the hot route and a page answer as in production, and are counted', async () => {
    const refused = await fetch(`${base}/etl-mgr/api/apijob`, { method: 'DELETE' });
    expect(refused.status).toBe(405);
    expect(refused.headers.get('allow')).toBe('POST');
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect((await refused.json()).code).toBe('method_not_allowed');
    expectSecurityHeaders(refused, 'gate');
    expect(refused.headers.get('cache-control')).toBe('no-store');

    // The hot route, which Next serves (and compiles) in development.
    const start = await fetch(`${base}/etl-mgr/api/apijob`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'hello-world' }),
    });
    expect(start.status).toBe(401);
    expect((await start.json()).code).toBe('api_key_missing');
    expectSecurityHeaders(start, 'hot route');
    expect(start.headers.get('cache-control')).toMatch(/no-store/);

    const login = await fetch(`${base}/login`);
    expect(login.status).toBe(200);
    expectSecurityHeaders(login, 'page');
    expect(login.headers.get('content-security-policy')).toContain('nonce-');

    const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(metrics.status).toBe(200);
    const families = parsePrometheusText(await metrics.text());
    const route = '/etl-mgr/api/apijob';
    expect(sampleValue(families, 'etl_api_requests_total', { method: 'DELETE', route, status: '405' })).toBe(
      1,
    );
    expect(
      sampleValue(families, 'etl_api_requests_total', { method: 'POST', route, code: 'api_key_missing' }),
    ).toBe(1);
  }, 240_000);
});
