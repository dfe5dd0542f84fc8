import { readFileSync } from 'node:fs';
import { expect, test } from './support/test';
import { allRuns, cancel, client, logText, start, waitForRun } from '../examples/client';
import { generateTypes, TYPES_FILE } from '../examples/generate-types';
import { E2E_BASE_URL } from './support/env';
import { state } from './support/state';

// examples/client.ts, a program written against a client generated from the OpenAPI document
// (openapi-typescript + openapi-fetch, no casts), run against the real app.
test('the committed client types are what openapi-typescript makes of the served document', async ({
  request,
}) => {
  const served = await (await request.get('/etl-mgr/api/openapi.json')).json();
  expect(await generateTypes(served)).toBe(readFileSync(TYPES_FILE, 'utf8'));
});

test('the generated client starts, polls, pages through runs, reads logs and cancels', async () => {
  test.setTimeout(120_000);
  const { keys, jobs } = state();
  const api = client(E2E_BASE_URL, keys.main);

  const runIds: string[] = [];
  for (let i = 0; i < 3; i++) runIds.push(await start(api, jobs.threeLines, { n: i }));
  const run = await waitForRun(api, runIds[0]);
  expect(run.status).toBe('succeeded');
  expect(run.params).toEqual({ n: 0 });
  expect(await logText(api, runIds[0])).toEqual(expect.arrayContaining(['one', 'two', 'three']));

  // Pages of two: every run once, newest first.
  const listed = await allRuns(api, jobs.threeLines, 2);
  const ids = listed.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toEqual(expect.arrayContaining(runIds));
  expect(ids.indexOf(runIds[2])).toBeLessThan(ids.indexOf(runIds[0]));

  const sleeping = await start(api, jobs.sleeper);
  expect(await cancel(api, sleeping)).toBe(`/etl-mgr/api/runs/${sleeping}`);
  expect((await waitForRun(api, sleeping)).status).toBe('cancelled');
});

test('runs list: filters and scope', async ({ request }) => {
  const { keys, jobs } = state();
  const list = async (key: string, query: string) => {
    const res = await request.get(`/etl-mgr/api/runs?${query}`, { headers: { 'x-api-key': key } });
    return { status: res.status(), body: await res.json() };
  };
  const failed = await list(keys.main, `jobId=${jobs.threeLines}&status=failed`);
  expect(failed.status).toBe(200);
  expect(failed.body.runs.every((r: { status: string }) => r.status === 'failed')).toBe(true);
  // Another organisation's key never sees these runs; a key scoped to hello-world sees only its runs.
  expect((await list(keys.other, `jobId=${jobs.threeLines}`)).body.runs).toEqual([]);
  const scoped = await list(keys.scoped, 'limit=100');
  expect(scoped.body.runs.every((r: { jobId: string }) => r.jobId === jobs.helloWorld)).toBe(true);
  expect(
    (await list(keys.main, 'queuedAfter=2026-01-02T00:00:00Z&queuedBefore=2026-01-01T00:00:00Z')).status,
  ).toBe(422);
  expect((await list(keys.main, 'cursor=not-ours')).status).toBe(422);
});
