import { describe, expect, test } from 'vitest';
import { apiGate, otherMethods } from './api-paths';

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

  test('unknown paths and dot segments: 404 not_found; a path that is not UTF-8: 400', async () => {
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
      status: 400,
      code: 'bad_request',
    });
  });

  test('the route files answer other methods as the gate does (next dev)', async () => {
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
