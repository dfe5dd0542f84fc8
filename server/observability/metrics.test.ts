import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { bearerMatches } from './metrics-http';
import { MAX_API_SERIES, metrics, recordApiRequest, trackWorkerSlots } from './metrics';
import { routeTemplate, UNKNOWN_ROUTE } from '../http/api-paths';
import { registerQueueMetrics } from './queue-metrics';

describe('recordApiRequest', () => {
  const series = async () => (await metrics().apiRequests.get()).values.length;

  test('route labels are templates: odd ids, long paths and hosts add nothing', async () => {
    const odd = ['a:1', 'a@b', 'a,b', 'a;b', 'a+b', '%41x1', 'x'.repeat(5_000)];
    for (const id of odd) {
      for (const path of [`/etl-mgr/api/runs/${id}`, `/etl-mgr/api/runs/${id}/logs`, `/etl-mgr/api/${id}`])
        recordApiRequest('GET', routeTemplate(path), 404, 'run_not_found', performance.now());
    }
    const routes = new Set((await metrics().apiRequests.get()).values.map((v) => v.labels.route));
    expect([...routes].sort()).toEqual(
      [...routes]
        .filter((r) => r === UNKNOWN_ROUTE || /^\/etl-mgr\/api(\/[a-z.]+|\/:runId)*$/.test(String(r)))
        .sort(),
    );
    expect(routes.has('/etl-mgr/api/runs/:runId')).toBe(true);
    expect(routes.has('/etl-mgr/api/runs/:runId/logs')).toBe(true);
  });

  test('past MAX_API_SERIES label sets, new ones share one series', async () => {
    for (let status = 0; status < MAX_API_SERIES + 50; status++)
      recordApiRequest('GET', '/etl-mgr/api/openapi.json', 1000 + status, 'none', performance.now());
    const before = await series();
    for (let status = 0; status < 100; status++)
      recordApiRequest('POST', '/etl-mgr/api/apijob', 5000 + status, 'none', performance.now());
    expect(await series()).toBeLessThanOrEqual(before + 1);
    expect(await series()).toBeLessThanOrEqual(MAX_API_SERIES + 1);
  });
});

describe('bearerMatches', () => {
  test('only the exact token as a bearer credential', () => {
    expect(bearerMatches('Bearer s3cret', 's3cret')).toBe(true);
    expect(bearerMatches('bearer  s3cret ', 's3cret')).toBe(true);
    for (const header of [
      undefined,
      '',
      'Bearer ',
      'Bearer s3cre',
      'Bearer s3cretx',
      'Basic s3cret',
      's3cret',
    ])
      expect(bearerMatches(header, 's3cret')).toBe(false);
  });
});

describe('docs/grafana-dashboard.json', () => {
  test('queries only metrics the product registers', () => {
    trackWorkerSlots(() => 0, 1);
    registerQueueMetrics();
    const dashboard = readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8');
    const names = new Set(
      [...dashboard.matchAll(/\b((?:etl|process|nodejs)_[a-z0-9_]+)/g)].map((m) =>
        m[1].replace(/_(bucket|sum|count)$/, ''),
      ),
    );
    expect(names.size).toBeGreaterThan(8);
    for (const name of names) expect(metrics().registry.getSingleMetric(name), name).toBeDefined();
  });
});
