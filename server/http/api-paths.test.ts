import { describe, expect, test } from 'vitest';
import { metrics } from '../observability/metrics';
import { apiGate, countedApiGate, otherMethods } from './api-paths';

const problem = async (res: Response | null) => ({
  status: res?.status,
  allow: res?.headers.get('allow'),
  type: res?.headers.get('content-type'),
  code: res && res.status !== 204 ? (await res.json()).code : null,
});

describe('apiGate: what scripts/web.ts answers before Next', () => {
  test('served methods go on to the handler', () => {
    expect(apiGate('POST', '/etl-mgr/api/apijob')).toBeNull();
    expect(apiGate('GET', '/etl-mgr/api/runs/abc/logs')).toBeNull();
    expect(apiGate('HEAD', '/etl-mgr/api/openapi.json')).toBeNull();
  });

  test('TRACE and other methods: 405 problem+json with Allow; OPTIONS: 204 with Allow', async () => {
    expect(await problem(apiGate('TRACE', '/etl-mgr/api/runs/abc/cancel'))).toEqual({
      status: 405,
      allow: 'POST',
      type: 'application/problem+json',
      code: 'method_not_allowed',
    });
    expect(await problem(apiGate('DELETE', '/etl-mgr/api/runs/abc'))).toMatchObject({
      status: 405,
      allow: 'GET, HEAD',
    });
    expect(await problem(apiGate('OPTIONS', '/etl-mgr/api/apijob'))).toMatchObject({
      status: 204,
      allow: 'POST',
    });
  });

  test('unknown paths and dot segments: 404 not_found; a run id that is not UTF-8: 404 run_not_found', async () => {
    for (const path of [
      '/etl-mgr/api',
      '/etl-mgr/api/',
      '/etl-mgr/api/nope',
      '/etl-mgr/api/runs/../cancel',
      '/etl-mgr/api/runs/%2E%2e',
      '/etl-mgr/api/runs/a/b/c',
    ]) {
      expect(await problem(apiGate('GET', path)), path).toMatchObject({ status: 404, code: 'not_found' });
    }
    expect(await problem(apiGate('GET', '/etl-mgr/api/runs/%ED%A0%80'))).toMatchObject({
      status: 404,
      code: 'run_not_found',
    });
    expect(apiGate('OPTIONS', '/etl-mgr/api/apijob', 'rid-1')?.headers.get('x-request-id')).toBe('rid-1');
  });

  test('the route files answer other methods as the gate does (Next reached without web.ts)', async () => {
    const request = (method: string) => new Request('http://x/etl-mgr/api/runs/abc/logs', { method });
    const handlers = otherMethods('GET, HEAD');
    expect(await problem(await handlers.PUT(request('PUT')))).toEqual(
      await problem(apiGate('PUT', '/etl-mgr/api/runs/abc/logs')),
    );
    expect(await problem(await handlers.OPTIONS(request('OPTIONS')))).toEqual(
      await problem(apiGate('OPTIONS', '/etl-mgr/api/runs/abc/logs')),
    );
  });
});

describe('countedApiGate: the answers of the gate in the metrics', () => {
  const count = async (labels: Record<string, string>) =>
    (await metrics().apiRequests.get()).values.find((v) =>
      Object.entries(labels).every(([k, value]) => (v.labels as Record<string, unknown>)[k] === value),
    )?.value ?? 0;

  test('405, 204 and 404 are counted by method, route label, status and code; paths never become labels', async () => {
    const cases = [
      {
        method: 'TRACE',
        path: '/etl-mgr/api/runs/abc/cancel',
        route: '/etl-mgr/api/runs/:runId/cancel',
        status: '405',
        code: 'method_not_allowed',
      },
      {
        method: 'OPTIONS',
        path: '/etl-mgr/api/apijob',
        route: '/etl-mgr/api/apijob',
        status: '204',
        code: 'none',
      },
      {
        method: 'BREW',
        path: '/etl-mgr/api/secret-123',
        route: '(unknown)',
        status: '404',
        code: 'not_found',
      },
    ];
    for (const c of cases) {
      const labels = {
        method: c.method === 'BREW' ? 'OTHER' : c.method,
        route: c.route,
        status: c.status,
        code: c.code,
      };
      const before = await count(labels);
      expect(countedApiGate(c.method, c.path)?.status).toBe(Number(c.status));
      expect(await count(labels), JSON.stringify(labels)).toBe(before + 1);
    }
    const text = await metrics().registry.metrics();
    expect(text).not.toContain('secret-123');
    expect(text).not.toContain('BREW');
  });

  test('what goes on to a handler is not counted here (the handler counts it)', async () => {
    const total = async () => (await metrics().apiRequests.get()).values.reduce((n, v) => n + v.value, 0);
    const before = await total();
    expect(countedApiGate('POST', '/etl-mgr/api/apijob')).toBeNull();
    expect(await total()).toBe(before);
  });
});
