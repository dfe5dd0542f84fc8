import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { bearerMatches } from './metrics-http';
import { metrics, routeLabel, trackWorkerSlots } from './metrics';
import { registerQueueMetrics } from './queue-metrics';

describe('routeLabel', () => {
  test('route parameters become their names; the query goes', () => {
    expect(routeLabel('http://h:3000/etl-mgr/api/apijob?action=start', {})).toBe('/etl-mgr/api/apijob');
    const runId = '0b7c9c52-93f4-4c3e-9a57-2a3f3b0c4d5e';
    expect(routeLabel(`http://h/etl-mgr/api/runs/${runId}/logs?after=3`, { runId })).toBe(
      '/etl-mgr/api/runs/:runId/logs',
    );
    expect(routeLabel('http://h/etl-mgr/api/jobs/a%20b', { name: 'a b' })).toBe('/etl-mgr/api/jobs/:name');
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
