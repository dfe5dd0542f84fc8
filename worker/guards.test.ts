// The worker's guards against real processes: HTTP jobs cannot reach the infrastructure (real local
// servers), and a command job saved before the operator's rules is refused at run time. The rule is in the run's error.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningWorker } from './index';
import { startTestDatabase, waitFor, type TestDatabase } from './test-support';

let t: TestDatabase;
let worker: RunningWorker;
let internal: http.Server;
let opened: http.Server;
let internalPort = 0;
let openedPort = 0;
let internalHits = 0;

function listen(handler: http.RequestListener): Promise<[http.Server, number]> {
  const server = http.createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve([server, (server.address() as AddressInfo).port])),
  );
}

beforeAll(async () => {
  t = await startTestDatabase();
  [internal, internalPort] = await listen((_req, res) => {
    internalHits++;
    res.end('internal secret');
  });
  [opened, openedPort] = await listen((req, res) => {
    req.resume();
    const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to');
    if (to) res.writeHead(307, { location: to }).end();
    else res.end('opened');
  });
  // The operator opened one local server, on its port only.
  process.env.HTTP_JOBS_ALLOWED_HOSTS = `127.0.0.1:${openedPort}`;
  const { startWorker } = await import('./index');
  worker = await startWorker({
    connectionString: t.url,
    concurrency: 4,
    log: () => {},
    sweepIntervalSeconds: 3600,
  });
});

afterAll(async () => {
  await worker?.stop();
  await t?.stop();
  internal?.close();
  opened?.close();
});

async function runHttp(url: string) {
  return runJob({ type: 'http', config: { url } });
}

async function runJob(data: Parameters<TestDatabase['createJob']>[0]) {
  const jobId = await t.createJob(data);
  const runId = await t.startRun(jobId);
  return waitFor(
    async () => {
      const run = await t.run(runId);
      return ['succeeded', 'failed'].includes(run.status) ? run : null;
    },
    30_000,
    `run ${runId}`,
  );
}

const refused = (address: string, rule: string) =>
  `destination ${address} refused: ${rule} are not allowed (set HTTP_JOBS_ALLOWED_HOSTS to allow it)`;

describe('http jobs cannot reach the infrastructure', () => {
  it('refuses loopback, decimal loopback and localhost, and the server hears nothing', async () => {
    for (const url of [
      `http://127.0.0.1:${internalPort}/`,
      `http://2130706433:${internalPort}/`,
      `http://localhost:${internalPort}/`,
    ]) {
      const run = await runHttp(url);
      expect({ url, status: run.status, error: run.error }).toMatchObject({
        url,
        status: 'failed',
        error: expect.stringMatching(
          /^destination (127\.0\.0\.1|::1) refused: loopback addresses are not allowed/,
        ),
      });
    }
    expect((await runHttp(`http://127.0.0.1:${internalPort}/`)).error).toBe(
      refused('127.0.0.1', 'loopback addresses'),
    );
    expect(internalHits).toBe(0);
  });

  it('refuses the embedded Postgres port before connecting, so its error text never maps it', async () => {
    const port = new URL(t.url).port;
    const run = await runHttp(`http://127.0.0.1:${port}/`);
    expect(run.error).toBe(refused('127.0.0.1', 'loopback addresses'));
    expect(await t.logs(run.id)).not.toContainEqual(expect.objectContaining({ stream: 'stdout' }));
  });

  it('refuses the cloud metadata address', async () => {
    const run = await runHttp('http://169.254.169.254/latest/meta-data/iam/security-credentials/');
    expect(run.error).toBe(
      refused('169.254.169.254', 'link-local addresses (this includes cloud metadata services)'),
    );
  });

  it('reaches the opened server, but not where it redirects inside', async () => {
    expect((await runHttp(`http://127.0.0.1:${openedPort}/`)).status).toBe('succeeded');
    const redirected = await runHttp(
      `http://127.0.0.1:${openedPort}/?to=${encodeURIComponent(`http://127.0.0.1:${internalPort}/`)}`,
    );
    expect(redirected.error).toBe(refused('127.0.0.1', 'loopback addresses'));
    const toMetadata = await runHttp(
      `http://127.0.0.1:${openedPort}/?to=${encodeURIComponent('http://169.254.169.254/')}`,
    );
    expect(toMetadata.error).toMatch(/^destination 169\.254\.169\.254 refused: link-local/);
    expect(internalHits).toBe(0);
  });
});

describe('command jobs saved before the rules', () => {
  it('are refused at run time when they set a loader environment name, and never start', async () => {
    const run = await runJob({
      type: 'command',
      config: {
        command: process.execPath,
        args: ['-e', 'console.log("ran")'],
        env: { NODE_OPTIONS: '--require /tmp/evil.js' },
      },
    });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^refused: NODE_OPTIONS changes how programs load .*\(env_not_allowed\)$/);
    expect(await t.logs(run.id)).not.toContainEqual(expect.objectContaining({ stream: 'stdout' }));
  });
});
