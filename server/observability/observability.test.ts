// Integration: the real job API handlers and a real worker against an embedded Postgres; /metrics
// scraped over HTTP as Prometheus does, and every log line the process writes checked for secrets.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parsePrometheusText, sampleValue } from '../../testkit/prom-text';
import type { KeyTestWorld } from '../keys/test-support';

const METRICS_TOKEN = 'metrics-t0ken-for-the-test';
const PASSWORD = 'correct-horse-battery-staple';
const COOKIE = 'next-auth.session-token=ck-9f8e7d6c5b4a';
const lines: string[] = [];
let world: KeyTestWorld;
let token: string;
let appServer: http.Server;
let portServer: http.Server;
let startJob: (request: Request) => Promise<Response>;
let getRun: (request: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;

const base = (server: http.Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function scrape(url: string, auth?: string) {
  const res = await fetch(`${url}/metrics`, { headers: auth ? { authorization: auth } : {} });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

function post(body: unknown, headers: Record<string, string>) {
  return startJob(
    new Request('http://localhost/etl-mgr/api/apijob', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
  );
}

beforeAll(async () => {
  const { startKeyTestWorld } = await import('../keys/test-support');
  world = await startKeyTestWorld();
  const { initLogger } = await import('./logger');
  initLogger('web', { format: 'json', level: 'debug', write: (line) => lines.push(line) });
  const { createApiKey } = await import('../keys/create-key');
  const created = await createApiKey(await world.member('editor'), {
    name: 'ci',
    selector: 'ci',
    type: 'functional',
    expires: 'never',
    jobScope: 'all',
  } as never);
  token = created.token;
  startJob = (await import('../../app/etl-mgr/api/apijob/route')).POST;
  getRun = (await import('../../app/etl-mgr/api/runs/[runId]/route')).GET;

  // The web process's wiring (scripts/web.ts): /metrics with the token on the app's port, and a port of its own.
  const { serveMetricsWithToken, startMetricsServer } = await import('./metrics-http');
  (await import('./queue-metrics')).registerQueueMetrics();
  appServer = http.createServer(
    (req, res) => void (serveMetricsWithToken(req, res, METRICS_TOKEN) || res.writeHead(404).end()),
  );
  await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
  portServer = await startMetricsServer(0, '127.0.0.1');
});

afterAll(async () => {
  appServer?.close();
  portServer?.close();
  await world?.stop();
});

describe('/metrics', () => {
  test('on the app port only with the bearer token; on its own port without one', async () => {
    expect((await scrape(base(appServer))).status).toBe(401);
    expect((await scrape(base(appServer), 'Bearer wrong')).status).toBe(401);
    expect((await scrape(base(appServer), `Basic ${METRICS_TOKEN}`)).status).toBe(401);
    const ok = await scrape(base(appServer), `Bearer ${METRICS_TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect((await scrape(base(portServer))).status).toBe(200);
    const families = parsePrometheusText(ok.text);
    expect(families.get('process_cpu_user_seconds_total')?.type).toBe('counter');
    expect(families.get('etl_queue_depth')?.type).toBe('gauge');
  });

  test('starts move the request counter and the queue gauges; a worker moves the run counters', async () => {
    const read = async () => parsePrometheusText((await scrape(base(portServer))).text);
    const started = { method: 'POST', route: '/etl-mgr/api/apijob', status: '202', code: 'none' };
    const before = await read();
    const depthBefore = sampleValue(before, 'etl_queue_depth')!;
    const startsBefore = sampleValue(before, 'etl_api_requests_total', started) ?? 0;

    const runIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await post({ id: 'hello' }, { 'x-api-key': token });
      expect(res.status).toBe(202);
      runIds.push((await res.json()).runId);
    }
    expect((await post({ id: 'hello' }, { 'x-api-key': `${token}x` })).status).toBe(401);
    expect(
      (
        await getRun(
          new Request(`http://localhost/etl-mgr/api/runs/${runIds[0]}`, { headers: { 'x-api-key': token } }),
          { params: Promise.resolve({ runId: runIds[0] }) },
        )
      ).status,
    ).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the queue gauges are cached for a second

    const after = await read();
    expect(sampleValue(after, 'etl_api_requests_total', started)).toBe(startsBefore + 3);
    expect(
      sampleValue(after, 'etl_api_requests_total', {
        route: '/etl-mgr/api/apijob',
        status: '401',
        code: 'api_key_invalid',
      }),
    ).toBe(1);
    expect(
      sampleValue(after, 'etl_api_requests_total', {
        method: 'GET',
        route: '/etl-mgr/api/runs/:runId',
        status: '200',
      }),
    ).toBe(1);
    expect(
      sampleValue(after, 'etl_api_request_duration_seconds_count', { route: '/etl-mgr/api/apijob' }),
    ).toBe(startsBefore + 4);
    expect(sampleValue(after, 'etl_queue_depth')).toBe(depthBefore + 3);
    expect(sampleValue(after, 'etl_queue_oldest_age_seconds')).toBeGreaterThan(1);

    const { startWorker } = await import('../../worker/index');
    const worker = await startWorker({
      connectionString: process.env.DATABASE_URL!,
      concurrency: 2,
      pollInterval: 200,
    });
    try {
      const { waitFor } = await import('../../worker/test-support');
      await waitFor(
        async () =>
          (await world.db.jobRun.count({ where: { id: { in: runIds }, status: 'succeeded' } })) === 3,
        30_000,
        'three runs to succeed',
      );
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const done = await read();
      expect(sampleValue(done, 'etl_runs_started_total', { job_type: 'command' })).toBe(3);
      expect(
        sampleValue(done, 'etl_runs_finished_total', { job_type: 'command', outcome: 'succeeded' }),
      ).toBe(3);
      expect(sampleValue(done, 'etl_worker_slots')).toBe(2);
      expect(sampleValue(done, 'etl_queue_depth')).toBe(depthBefore);
      expect(sampleValue(done, 'etl_queue_oldest_age_seconds')).toBe(0);
    } finally {
      await worker.stop();
    }
  });
});

describe('logs', () => {
  test('requests carrying tokens, passwords and cookies leave none of them in any log line', async () => {
    const { apiRoute } = await import('../http/api-route');
    const secrets = { 'x-api-key': token, cookie: COOKIE, 'x-request-id': 'req-redaction-test' };
    await post({ id: 'hello', params: { password: PASSWORD } }, secrets);
    await post({ id: 'hello' }, { authorization: `Bearer ${token}`, cookie: COOKIE });
    await post({ id: 'hello' }, { 'x-api-key': `${token.slice(0, -3)}abc` }); // a tampered token: 401
    // A handler with a bug that puts the whole request into an error: the 500 is logged, the secrets are not.
    const buggy = apiRoute(async ({ request }) => {
      const body = await request.text();
      throw Object.assign(
        new Error(
          `cannot handle ${body} from ${request.headers.get('x-api-key')} with ${request.headers.get('cookie')}`,
        ),
        {
          headers: Object.fromEntries(request.headers),
          connection: `postgresql://etl:${PASSWORD}@db:5432/etl`,
        },
      );
    });
    const res = await buggy(
      new Request('http://localhost/etl-mgr/api/apijob', {
        method: 'POST',
        headers: secrets,
        body: JSON.stringify({ id: 'x', password: PASSWORD }),
      }),
    );
    expect(res.status).toBe(500);

    const logged = lines.join('\n');
    expect(logged).toMatch(
      /"level":"error".*"requestId":"req-redaction-test".*"orgId":"[0-9a-f-]{36}".*"keyId":"[0-9a-f-]{36}".*"msg":"unexpected error"/,
    );
    expect(logged).toMatch(/"level":"debug".*"status":202.*"msg":"api request"/);
    for (const secret of [token, token.split('.')[2], PASSWORD, 'ck-9f8e7d6c5b4a', METRICS_TOKEN])
      expect(logged).not.toContain(secret);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});
