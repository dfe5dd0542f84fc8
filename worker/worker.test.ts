// The worker against a real Postgres and real processes: command and http jobs, cancel, timeout, log caps.
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningWorker } from './index';
import { processesMatching, startTestDatabase, waitFor, type TestDatabase } from './test-support';

const node = process.execPath;
let t: TestDatabase;
let worker: RunningWorker;

const FINISHED = ['succeeded', 'failed', 'cancelled'];
const finished = (runId: string, timeoutMs = 30_000) =>
  waitFor(
    async () => {
      const run = await t.run(runId);
      return FINISHED.includes(run.status) ? run : null;
    },
    timeoutMs,
    `run ${runId} to finish`,
  );
const texts = async (runId: string, stream?: string) =>
  (await t.logs(runId)).filter((l) => !stream || l.stream === stream).map((l) => l.text);

beforeAll(async () => {
  t = await startTestDatabase();
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
});

describe('command jobs', () => {
  it('passes params in JOB_PARAMS and on stdin, and logs stdout', async () => {
    const script = `
      let stdin = '';
      process.stdin.on('data', (d) => (stdin += d)).on('end', () => {
        console.log('hello, ' + JSON.parse(process.env.JOB_PARAMS).name);
        console.log('stdin says ' + JSON.parse(stdin).name);
        console.log('run ' + process.env.RUN_ID + ' stage ' + process.env.STAGE + ' db ' + (process.env.DATABASE_URL ?? 'hidden'));
        console.log('cwd ' + process.cwd());
      });`;
    const jobId = await t.createJob({
      type: 'command',
      config: { command: node, args: ['-e', script], env: { STAGE: 'test' } },
    });
    const runId = await t.startRun(jobId, { name: 'Ada' });

    const run = await finished(runId);
    expect(run).toMatchObject({ status: 'succeeded', exitCode: 0, error: null, attempt: 1 });
    expect(run.startedAt).toBeInstanceOf(Date);
    expect(run.finishedAt).toBeInstanceOf(Date);
    const out = await texts(runId, 'stdout');
    expect(out.slice(0, 3)).toEqual(['hello, Ada', 'stdin says Ada', `run ${runId} stage test db hidden`]);
    expect(out[3]).toBe('cwd /run/job'); // where the sandbox shows the run's folder
    // removed afterwards (while the run's end is written)
    await waitFor(() => !existsSync(path.join(t.dir, 'runs', runId)), 5_000, 'the run folder to go');
    const seqs = (await t.logs(runId)).map((l) => l.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('ends failed with the exit code and keeps stderr', async () => {
    const jobId = await t.createJob({
      type: 'command',
      config: {
        command: node,
        args: ['-e', "console.log('working'); console.error('boom: disk full'); process.exit(1)"],
      },
    });
    const runId = await t.startRun(jobId);
    const run = await finished(runId);
    expect(run).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(await texts(runId, 'stderr')).toEqual(['boom: disk full']);
    expect(await texts(runId, 'stdout')).toEqual(['working']);
  });

  it('fails with a clear error when the program does not exist', async () => {
    const jobId = await t.createJob({ type: 'command', config: { command: '/no/such/program' } });
    const run = await finished(await t.startRun(jobId));
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/could not start \/no\/such\/program: .*ENOENT/);
  });

  it('cancels a long run within 10 s and ends its whole process tree', async () => {
    // Pids inside the sandbox are its own: the tree is found on this machine by command line instead.
    const grandchild =
      "void 'child'; require('child_process').spawn('sleep', ['301.25'], { stdio: 'ignore' }); console.log('grandchild'); setInterval(() => {}, 1000);";
    const script = `void 'leader'; require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(grandchild)}], { stdio: ['ignore', 'inherit', 'inherit'] });
      console.log('leader'); setInterval(() => {}, 1000);`;
    const jobId = await t.createJob({ type: 'command', config: { command: node, args: ['-e', script] } });
    const runId = await t.startRun(jobId);
    const tree = [`^${node} -e void 'leader'`, `^${node} -e void 'child'`, '^sleep 301.25$'];

    await waitFor(
      async () => (await texts(runId, 'stdout')).includes('grandchild'),
      20_000,
      'the process tree',
    );
    expect(tree.map((pattern) => processesMatching(pattern).length)).toEqual([1, 1, 1]);

    const { requestCancel } = await import('../server/runs/cancel-run');
    const asked = Date.now();
    expect((await requestCancel(t.orgId, runId)).outcome).toBe('cancel_requested');
    const run = await finished(runId, 10_000);
    expect(run).toMatchObject({ status: 'cancelled', error: null });
    expect(Date.now() - asked).toBeLessThan(10_000);
    await waitFor(
      () => tree.every((pattern) => processesMatching(pattern).length === 0),
      3_000,
      'the process tree to be gone',
    );
    expect(await texts(runId, 'system')).toContain('run cancelled');
    expect((await requestCancel(t.orgId, runId)).outcome).toBe('already_finished');
  });

  it('fails a run that outlives its timeout', async () => {
    const jobId = await t.createJob({
      type: 'command',
      timeoutSeconds: 1,
      config: { command: node, args: ['-e', "console.log('sleeping'); setTimeout(() => {}, 60000)"] },
    });
    const started = Date.now();
    const run = await finished(await t.startRun(jobId), 15_000);
    expect(run).toMatchObject({ status: 'failed', error: 'timed out after 1s' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('caps the log at 10,000 lines and cuts lines over 8 KiB', async () => {
    const script =
      "console.log('x'.repeat(20000)); for (let i = 1; i <= 10050; i++) console.log('line ' + i);";
    const jobId = await t.createJob({ type: 'command', config: { command: node, args: ['-e', script] } });
    const runId = await t.startRun(jobId);
    expect((await finished(runId)).status).toBe('succeeded');
    const logs = await t.logs(runId);
    const out = logs.filter((l) => l.stream === 'stdout');
    expect(out).toHaveLength(10_000);
    expect(Buffer.byteLength(out[0].text)).toBeLessThanOrEqual(8 * 1024);
    expect(out[0].text.endsWith('[line cut]')).toBe(true);
    expect(out.at(-1)?.text).toBe('line 9999');
    expect(logs.some((l) => l.stream === 'system' && l.text.startsWith('[log truncated:'))).toBe(true);
    expect(logs.map((l) => l.seq)).toEqual(logs.map((_, i) => i + 1));
  });

  it('refuses command jobs on a worker started with COMMAND_JOBS=off', async () => {
    const { executeRun } = await import('./execute-run');
    const jobId = await t.createJob({
      type: 'command',
      config: { command: node, args: ['-e', "console.log('should not run')"] },
    });
    const runId = await t.startRun(jobId, {}, { enqueue: false });
    await executeRun(runId, { workerId: 'no-commands', commandJobs: false, active: new Map() });
    const run = await t.run(runId);
    expect(run).toMatchObject({ status: 'failed', workerId: 'no-commands' });
    expect(run.error).toMatch(/COMMAND_JOBS=off/);
    expect(await texts(runId, 'stdout')).toEqual([]);
  });
});

describe('http jobs', () => {
  let server: http.Server;
  let base: string;
  const received: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: unknown }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req
        .on('data', (d) => (body += d))
        .on('end', () => {
          received.push({
            method: req.method,
            url: req.url,
            headers: req.headers,
            body: body ? JSON.parse(body) : null,
          });
          if (req.url === '/fail') return res.writeHead(500).end('database exploded');
          if (req.url === '/big') return res.writeHead(200).end('y'.repeat(10_000));
          res.writeHead(201, { 'content-type': 'text/plain' }).end('accepted\nsee you');
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // These tests talk to local servers, which the operator must open (http-guard.test.ts shows the refusals).
    process.env.HTTP_JOBS_ALLOWED_HOSTS = '127.0.0.1';
  });
  afterAll(() => {
    delete process.env.HTTP_JOBS_ALLOWED_HOSTS;
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('POSTs {runId, jobId, params} with the configured headers; a 2xx succeeds', async () => {
    const jobId = await t.createJob({
      type: 'http',
      config: { url: `${base}/hook`, headers: { 'x-token': 'abc' } },
    });
    const runId = await t.startRun(jobId, { day: '2026-11-29' });
    const run = await finished(runId);
    expect(run.status).toBe('succeeded');
    const request = received.find((r) => r.url === '/hook');
    expect(request).toMatchObject({ method: 'POST', body: { runId, jobId, params: { day: '2026-11-29' } } });
    expect(request?.headers['x-token']).toBe('abc');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(await texts(runId)).toEqual(expect.arrayContaining(['HTTP 201 Created', 'accepted', 'see you']));
  });

  it('fails with "HTTP <status>" otherwise, and logs only the start of a long body', async () => {
    const failJob = await t.createJob({ type: 'http', config: { url: `${base}/fail` } });
    const failed = await finished(await t.startRun(failJob));
    expect(failed).toMatchObject({ status: 'failed', error: 'HTTP 500' });
    expect(await texts(failed.id)).toEqual(
      expect.arrayContaining(['HTTP 500 Internal Server Error', 'database exploded']),
    );

    const bigJob = await t.createJob({ type: 'http', config: { url: `${base}/big`, method: 'PUT' } });
    const big = await finished(await t.startRun(bigJob));
    expect(big.status).toBe('succeeded');
    const out = await texts(big.id, 'stdout');
    expect(out.join('')).toBe('y'.repeat(4096));
    expect(await texts(big.id, 'system')).toContain('[response cut at 4096 bytes]');
  });

  it('fails with the reason when nothing listens', async () => {
    const { freePort } = await import('../server/runtime/embedded-postgres');
    const jobId = await t.createJob({
      type: 'http',
      config: { url: `http://127.0.0.1:${await freePort()}/nothing` },
    });
    const run = await finished(await t.startRun(jobId));
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^request failed: .*ECONNREFUSED/);
  });
});
