import { expect, test, type APIRequestContext } from './support/test';
import { parsePrometheusText, sampleValue } from '../testkit/prom-text';
import { METRICS_TOKEN } from './support/env';
import { state } from './support/state';

// The real web process: the job API's hot path (scripts/web.ts) and the routes Next serves count into
// one registry, which /metrics on the app's port serves to the bearer token only.
async function scrape(request: APIRequestContext) {
  const res = await request.get('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status()).toBe(200);
  return parsePrometheusText(await res.text());
}

test('/metrics needs the token; starts and run reads are counted by route, status and code', async ({
  request,
}) => {
  expect((await request.get('/metrics')).status()).toBe(401);
  expect(
    (await request.get('/metrics', { headers: { authorization: 'Bearer not-the-token' } })).status(),
  ).toBe(401);

  const { keys, jobs } = state();
  const statusAsked = { method: 'POST', route: '/etl-mgr/api/apijob', status: '200', code: 'none' };
  const runRead = { method: 'GET', route: '/etl-mgr/api/runs/:runId', status: '404', code: 'run_not_found' };
  const before = await scrape(request);

  const headers = { 'x-api-key': keys.main };
  for (let i = 0; i < 3; i++) {
    expect(
      (
        await request.post('/etl-mgr/api/apijob', {
          headers,
          data: { id: jobs.helloWorld, action: 'status' },
        })
      ).status(),
    ).toBe(200);
  }
  expect(
    (await request.get('/etl-mgr/api/runs/00000000-0000-4000-8000-000000000000', { headers })).status(),
  ).toBe(404);

  const after = await scrape(request);
  expect(sampleValue(after, 'etl_api_requests_total', statusAsked)).toBeGreaterThanOrEqual(
    (sampleValue(before, 'etl_api_requests_total', statusAsked) ?? 0) + 3,
  );
  expect(sampleValue(after, 'etl_api_requests_total', runRead)).toBeGreaterThanOrEqual(
    (sampleValue(before, 'etl_api_requests_total', runRead) ?? 0) + 1,
  );
  expect(sampleValue(after, 'etl_queue_depth')).toBeGreaterThanOrEqual(0);
  expect(sampleValue(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
});
