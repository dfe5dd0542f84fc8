import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, test } from 'vitest';
import { parsePrometheusText, sampleValue } from './prom-text';

describe('parsePrometheusText', () => {
  test('reads what prom-client writes: escaped labels, histograms, +Inf', async () => {
    const registry = new Registry();
    new Counter({ name: 'x_total', help: 'h', labelNames: ['a'], registers: [registry] })
      .labels('q"u\\o\nte')
      .inc(2);
    new Histogram({ name: 'lat_seconds', help: 'h', buckets: [0.1], registers: [registry] }).observe(0.05);
    const families = parsePrometheusText(await registry.metrics());
    expect(families.get('x_total')?.type).toBe('counter');
    expect(sampleValue(families, 'x_total', { a: 'q"u\\o\nte' })).toBe(2);
    expect(sampleValue(families, 'lat_seconds_bucket', { le: '+Inf' })).toBe(1);
    expect(sampleValue(families, 'lat_seconds_count')).toBe(1);
  });

  test.each([
    ['an undeclared family', '# TYPE a counter\nb 1\n'],
    ['a bad value', '# TYPE a gauge\na one\n'],
    ['a bad label', '# TYPE a gauge\na{1x="v"} 1\n'],
    ['an unterminated label', '# TYPE a gauge\na{x="v} 1\n'],
    ['a series twice', '# TYPE a gauge\na{x="v"} 1\na{x="v"} 2\n'],
    ['a missing newline at the end', '# TYPE a gauge\na 1'],
    ['a bucket without le', '# TYPE h histogram\nh_bucket 1\n'],
  ])('refuses %s', (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
