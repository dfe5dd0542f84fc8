import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { expect, test, type APIRequestContext } from './support/test';
import { SECURITY_HEADERS } from '../server/http/security-headers';
import { listeningPid } from '../testkit/proc-fs';
import { parsePrometheusText, sampleValue } from '../testkit/prom-text';
import { APIJOB, call, runPath } from './support/api';
import { signIn } from './support/auth';
import { E2E_DATA_DIR, E2E_PORT, METRICS_TOKEN, ROOT } from './support/env';
import { state } from './support/state';
import { payloadOf } from './support/tokens';

// One program (issues 13 and 17): the job API's hot path, the routes Next serves and the console's server
// actions run in one web process that holds one copy of each piece of state, answers with one set of
// security headers, and counts every answer of the API.

/** The e2e app's embedded Postgres, as its owner (read from DATA_DIR as the launcher wrote it). */
async function database(): Promise<pg.Client> {
  const dataDir = path.join(ROOT, E2E_DATA_DIR);
  const { password } = JSON.parse(readFileSync(path.join(dataDir, 'postgres.json'), 'utf8'));
  const port = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3]);
  const client = new pg.Client({
    connectionString: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/etl`,
  });
  await client.connect();
  return client;
}

/** The local ports of the process's TCP connections: which Postgres backends are its own (client_port). */
function connectionPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6'])
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && inodes.has(cols[9])) ports.push(parseInt(cols[1].split(':').pop()!, 16));
    }
  return ports;
}

test('the web process keeps one change feed for the hot path, Next’s routes and the console', async ({
  page,
  request,
}) => {
  const { keys, jobs } = state();
  // The hot path, a route Next serves, and a server action of the console (Next's other module registry):
  // each reads the job or key cache, which would open a feed of its own if it had its own copy.
  const status = await call(request, { key: keys.main, body: { id: jobs.helloWorld, action: 'status' } });
  expect(status.status()).toBe(200);
  const read = await request.get(runPath('00000000-0000-4000-8000-000000000000'), {
    headers: { 'x-api-key': keys.main },
  });
  expect(read.status()).toBe(404);
  await signIn(page);
  await page.goto(`/integrations/api-keys/${payloadOf(keys.main).id}`);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Test result' })).toContainText('dry run ok');

  const web = listeningPid(E2E_PORT);
  expect(web).toBeTruthy();
  const db = await database();
  try {
    // Its LISTEN connections, found by their client ports (whatever they call themselves).
    const feeds = async () =>
      (
        await db.query<{ query: string }>(
          `select query from pg_stat_activity where query ilike 'listen %' and client_port = any($1::int[])`,
          [connectionPorts(web!)],
        )
      ).rows.length;
    await expect.poll(feeds, { timeout: 5_000 }).toBe(1);
    expect(
      (
        await db.query(
          `select 1 from pg_stat_activity where application_name = $1 and query ilike 'listen %'`,
          [`etl change feed ${web}`],
        )
      ).rows.length,
    ).toBe(1);
  } finally {
    await db.end();
  }
});

test('every kind of answer carries the one set of security headers, once', async ({ request }) => {
  const { keys, jobs } = state();
  const answers = {
    hotPath: await call(request, { key: keys.main, body: { id: jobs.helloWorld, action: 'status' } }),
    hotPathRefused: await call(request, { key: null, body: { id: 'hello-world' } }),
    nextRoute: await request.get(runPath('00000000-0000-4000-8000-000000000000'), {
      headers: { 'x-api-key': keys.main },
    }),
    gate: await request.fetch(APIJOB, { method: 'DELETE' }),
    openapi: await request.get('/etl-mgr/api/openapi.json'),
    page: await request.get('/login'),
    health: await request.get('/api/health'),
    asset: await request.get('/favicon.svg'),
  };
  for (const [kind, res] of Object.entries(answers)) {
    const headers = res.headersArray();
    for (const [name, value] of SECURITY_HEADERS) {
      const sent = headers.filter((h) => h.name.toLowerCase() === name.toLowerCase()).map((h) => h.value);
      expect(sent, `${kind}: ${name}`).toEqual([value]);
    }
  }
  for (const kind of ['hotPath', 'hotPathRefused', 'nextRoute', 'gate'] as const)
    expect(answers[kind].headers()['cache-control'], kind).toMatch(/no-store/);
});

async function scrape(request: APIRequestContext) {
  const res = await request.get('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status()).toBe(200);
  const text = await res.text();
  return { text, families: parsePrometheusText(text) };
}

test('the path gate’s answers (404, 405, OPTIONS) are counted like every other answer of the API', async ({
  request,
}) => {
  const cases = [
    { method: 'DELETE', path: APIJOB, labels: { method: 'DELETE', route: APIJOB, status: '405' } },
    { method: 'OPTIONS', path: APIJOB, labels: { method: 'OPTIONS', route: APIJOB, status: '204' } },
    {
      method: 'GET',
      path: '/etl-mgr/api/no-such-thing',
      labels: { method: 'GET', route: '(unknown)', status: '404' },
    },
  ];
  const before = await scrape(request);
  for (const c of cases) await request.fetch(c.path, { method: c.method });
  const after = await scrape(request);
  for (const c of cases) {
    const code =
      c.labels.status === '204' ? 'none' : c.labels.status === '405' ? 'method_not_allowed' : 'not_found';
    const labels = { ...c.labels, code };
    expect(
      sampleValue(after.families, 'etl_api_requests_total', labels),
      JSON.stringify(labels),
    ).toBeGreaterThanOrEqual((sampleValue(before.families, 'etl_api_requests_total', labels) ?? 0) + 1);
  }
  // Paths never become label values.
  expect(after.text).not.toContain('no-such-thing');
});
