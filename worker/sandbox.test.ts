// Command runs contained (issue 10): a real worker process with (fake) secrets in its environment runs
// jobs written as an attacker would; then runs under other sandbox settings and limits, through executeRun.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerSettings } from './settings';
import { processesMatching, startTestDatabase, waitFor, type TestDatabase } from './test-support';

const SECRETS = {
  API_KEY_SECRETS: 'k1:FAKE-API-KEY-SECRET-4b1d9c',
  NEXTAUTH_SECRET: 'FAKE-NEXTAUTH-SECRET-77e0a2',
};
const FILE_SECRET = 'FAKE-SECRET-IN-DATA-DIR-5c3e';
let t: TestDatabase;
let worker: ChildProcess | undefined;
let workerOutput = '';

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
const shJob = (script: string, extra: { timeoutSeconds?: number; env?: object; network?: boolean } = {}) =>
  t.createJob({
    type: 'command',
    timeoutSeconds: extra.timeoutSeconds,
    config: {
      command: '/bin/sh',
      args: ['-c', script],
      env: extra.env ?? {},
      ...(extra.network === undefined ? {} : { network: extra.network }),
    },
  });
const processesWith = (marker: string) => processesMatching(marker).join(' ');

beforeAll(async () => {
  t = await startTestDatabase();
  writeFileSync(path.join(t.dir, 'api-key-secrets'), `${FILE_SECRET}\n`, { mode: 0o600 });
  const env = {
    ...process.env,
    ...SECRETS,
    DATABASE_URL: t.url,
    DATA_DIR: t.dir,
    WORKER_SHUTDOWN_GRACE_SECONDS: '1',
  };
  // fd 251 open without close-on-exec, as a launcher might leave one: it must not reach a job
  const inherited = openSync(path.join(t.dir, 'api-key-secrets'), 'r');
  const stdio: StdioOptions = ['ignore', 'pipe', 'pipe', ...Array<'ignore'>(248).fill('ignore'), inherited];
  worker = spawn('npx', ['tsx', 'worker/main.ts'], { cwd: process.cwd(), env, detached: true, stdio });
  closeSync(inherited);
  worker.stdout?.on('data', (d) => (workerOutput += d));
  worker.stderr?.on('data', (d) => (workerOutput += d));
  await waitFor(() => workerOutput.includes('started'), 60_000, 'the worker to start');
});

afterAll(async () => {
  if (worker?.pid && worker.exitCode === null && worker.signalCode === null)
    process.kill(-worker.pid, 'SIGKILL');
  await t?.stop();
});

describe('a command run in a worker that holds secrets', () => {
  it("runs as an unprivileged uid and sees neither the worker's secrets nor DATA_DIR", async () => {
    const script = [
      'id',
      'echo "--- parent"; tr "\\0" "\\n" </proc/$PPID/environ',
      'echo "--- every process"; for f in /proc/[0-9]*/environ; do tr "\\0" "\\n" <"$f"; done',
      'echo "--- ls"; ls "$DD"',
      'echo "--- read"; cat "$DD/api-key-secrets"; cat ../../api-key-secrets; cat "$DD/postgres.json"',
      'echo "--- fds"; ls /proc/self/fd | tr "\\n" " "; echo',
      'true',
    ].join('\n');
    const runId = await t.startRun(await shJob(script, { env: { DD: t.dir } }));
    expect(await finished(runId)).toMatchObject({ status: 'succeeded' });

    const log = (await texts(runId)).join('\n');
    const uid = Number(log.match(/uid=(\d+)/)?.[1]);
    expect(uid).toBeGreaterThan(0);
    for (const secret of [...Object.values(SECRETS), t.url, FILE_SECRET]) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/^(DATABASE_URL|API_KEY_SECRETS|NEXTAUTH_SECRET)=/m);
    const listing = (await texts(runId, 'stdout')).slice(
      (await texts(runId, 'stdout')).indexOf('--- ls') + 1,
    );
    expect(listing).not.toContain('api-key-secrets');
    expect(listing).not.toContain('postgres');
    const stdout = await texts(runId, 'stdout');
    expect(stdout[stdout.indexOf('--- fds') + 1]).toBe('0 1 2 3 '); // stdio, and ls's own listing
  });

  it('ends a child that left its session when the run ends', async () => {
    const runId = await t.startRun(await shJob('setsid sleep 53.25 & sleep 1'));
    expect(await finished(runId)).toMatchObject({ status: 'succeeded' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(processesWith('sleep 53.25')).toBe('');
  });

  it('leaves no process behind after a timeout or a cancel', async () => {
    const timedOut = await t.startRun(
      await shJob('setsid sleep 54.25 & sleep 300.25', { timeoutSeconds: 2 }),
    );
    expect(await finished(timedOut, 20_000)).toMatchObject({ status: 'failed', error: 'timed out after 2s' });
    await waitFor(
      () => !processesWith('sleep 54.25') && !processesWith('sleep 300.25'),
      2_000,
      'the timed-out tree to be gone',
    );

    const script =
      'trap "echo cleaning up; exit 0" TERM; echo started; setsid sleep 55.25 & sleep 300.5 & wait';
    const cancelled = await t.startRun(await shJob(script));
    await waitFor(
      async () => (await texts(cancelled, 'stdout')).includes('started'),
      20_000,
      'the run to start',
    );
    const { requestCancel } = await import('../server/runs/cancel-run');
    await requestCancel(t.orgId, cancelled);
    expect(await finished(cancelled, 15_000)).toMatchObject({ status: 'cancelled' });
    await waitFor(
      () => !processesWith('sleep 55.25') && !processesWith('sleep 300.5'),
      2_000,
      'the cancelled tree to be gone',
    );
    expect(await texts(cancelled, 'stdout')).toContain('cleaning up'); // SIGTERM first, as without a sandbox
  });

  it('leaves no process behind when the worker itself is killed', async () => {
    const runId = await t.startRun(await shJob('echo started; setsid sleep 56.25 & sleep 300.75'));
    await waitFor(async () => (await texts(runId, 'stdout')).includes('started'), 20_000, 'the run to start');
    expect(processesWith('sleep 56.25')).not.toBe('');
    process.kill(-worker!.pid!, 'SIGKILL');
    await waitFor(
      () => !processesWith('sleep 56.25') && !processesWith('sleep 300.75'),
      5_000,
      "the run's processes to be gone",
    );
  });
});

describe('sandbox settings and limits', () => {
  const run = async (jobId: string, settings: Partial<WorkerSettings> = {}) => {
    const { loadWorkerSettings } = await import('./settings');
    const { executeRun } = await import('./execute-run');
    const runId = await t.startRun(jobId, {}, { enqueue: false });
    await executeRun(runId, {
      workerId: 'limits',
      commandJobs: true,
      active: new Map(),
      settings: { ...loadWorkerSettings({ PATH: process.env.PATH }), ...settings },
    });
    return { run: await t.run(runId), out: await texts(runId, 'stdout'), log: await texts(runId) };
  };

  it('ends a run that writes more than COMMAND_MAX_OUTPUT_BYTES, with the reason', async () => {
    const { run: r } = await run(await shJob('yes output'), { maxOutputBytes: 100_000 });
    expect(r).toMatchObject({ status: 'failed' });
    expect(r.error).toMatch(/output limit reached: more than 100000 bytes/);
  });

  it('limits memory for the whole run (COMMAND_MEMORY_MB), and says so when the limit ended it', async () => {
    const alloc = "const a = Buffer.alloc(300 * 1024 * 1024, 1); console.log('allocated ' + a.length)";
    const big = await t.createJob({
      type: 'command',
      config: { command: process.execPath, args: ['-e', alloc] },
    });
    const limited = await run(big, { memoryMb: 128 });
    expect(limited.run).toMatchObject({
      status: 'failed',
      error: 'memory limit of the run reached (128 MiB)',
    });
    expect(limited.log.join('\n')).toMatch(/memory 128 MiB for the whole run/);
    expect((await run(big, { memoryMb: 1024 })).run.status).toBe('succeeded');
  });

  it('limits CPU time and caps the timeout at COMMAND_MAX_TIMEOUT_SECONDS', async () => {
    const spin = await run(await shJob('while :; do :; done'), { cpuSeconds: 1 });
    expect(spin.run).toMatchObject({ status: 'failed', error: 'CPU time limit reached (1 s)' });
    const started = Date.now();
    const capped = await run(await shJob('sleep 30', { timeoutSeconds: 3600 }), { maxTimeoutSeconds: 1 });
    expect(capped.run).toMatchObject({ status: 'failed', error: 'timed out after 1s' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('gives a run the network only when its job asks and the operator allows it', async () => {
    const probe = "console.log(Object.keys(require('os').networkInterfaces()).sort().join(','))";
    const job = (network: boolean) =>
      t.createJob({ type: 'command', config: { command: process.execPath, args: ['-e', probe], network } });
    expect((await run(await job(false), { network: true })).out).toEqual(['lo']);
    expect((await run(await job(true), { network: true })).out).toEqual(['lo,tap0']);
    expect((await run(await job(true))).out).toEqual(['lo']); // COMMAND_NETWORK is off by default
  });

  it('without bwrap, auto and bubblewrap refuse command runs with one sentence that says how to fix it', async () => {
    const { loadWorkerSettings } = await import('./settings');
    const { startWorker } = await import('./index');
    const refusal =
      'command runs are refused: bubblewrap is not installed (apt-get install bubblewrap, or COMMAND_BWRAP_PATH), or set COMMAND_SANDBOX=none to run them without isolation.';
    for (const sandbox of ['auto', 'bubblewrap']) {
      const settings = loadWorkerSettings({
        PATH: process.env.PATH,
        COMMAND_SANDBOX: sandbox,
        COMMAND_BWRAP_PATH: '/nonexistent/bwrap',
      });
      expect(settings.bwrap).toBeNull();
      const lines: string[] = [];
      const worker = await startWorker({
        connectionString: t.url,
        settings,
        sweepIntervalSeconds: 3600,
        log: (line) => lines.push(line),
      });
      await worker.stop();
      expect(lines.filter((line) => line.startsWith('warning'))).toEqual([`warning: ${refusal}`]);
      const { run: r, out } = await run(
        await shJob('echo ran; cat /proc/net/dev', { network: false }),
        settings,
      );
      expect(r).toMatchObject({ status: 'failed', error: refusal });
      expect(out).toEqual([]); // never ran, so never on the host's network
    }
  });

  it('COMMAND_SANDBOX=none: the operator chose it, and every run says what it gives up', async () => {
    const { loadWorkerSettings } = await import('./settings');
    const settings = loadWorkerSettings({ PATH: process.env.PATH, COMMAND_SANDBOX: 'none' });
    const script = `id; env | cut -d= -f1 | sort; cat "$DD/api-key-secrets"; yes`;
    const {
      run: r,
      out,
      log,
    } = await run(await shJob(script, { env: { DD: t.dir } }), { ...settings, maxOutputBytes: 50_000 });
    expect(r.error).toMatch(/output limit reached/);
    expect(log[1]).toMatch(
      /^no sandbox \(COMMAND_SANDBOX=none\): the run shares the host network, file system and processes, .*; uid \d+/,
    );
    expect(Number(out[0].match(/uid=(\d+)/)?.[1])).toBeGreaterThan(0);
    const names = out.slice(1, out.indexOf('y'));
    expect(
      names.every((n) =>
        ['DD', 'HOME', 'JOB_ID', 'JOB_PARAMS', 'LANG', 'PATH', 'PWD', 'RUN_ID', 'SHLVL', '_'].includes(n),
      ),
    ).toBe(true);
    expect(log.join('\n')).not.toContain(FILE_SECRET);
  });

  it('a bwrap that cannot make namespaces here: command runs are refused with the reason', async () => {
    const { loadWorkerSettings } = await import('./settings');
    const { startWorker } = await import('./index');
    const fake = path.join(t.dir, 'broken-bwrap');
    writeFileSync(fake, '#!/bin/sh\necho "bwrap: No permissions to create new namespace" >&2\nexit 1\n', {
      mode: 0o755,
    });
    const refusal =
      'command runs are refused: bwrap: No permissions to create new namespace; or set COMMAND_SANDBOX=none to run them without isolation.';
    for (const sandbox of ['auto', 'bubblewrap']) {
      const lines: string[] = [];
      const settings = loadWorkerSettings({
        PATH: process.env.PATH,
        COMMAND_SANDBOX: sandbox,
        COMMAND_BWRAP_PATH: fake,
      });
      const worker = await startWorker({
        connectionString: t.url,
        settings,
        sweepIntervalSeconds: 3600,
        log: (line) => lines.push(line),
      });
      await worker.stop();
      expect(lines.filter((line) => line.startsWith('warning'))).toEqual([`warning: ${refusal}`]);
    }
    const { probeBubblewrap } = await import('./sandbox');
    const broken = loadWorkerSettings({ PATH: process.env.PATH, COMMAND_BWRAP_PATH: fake });
    const bwrapError = (await probeBubblewrap(broken))!;
    expect(bwrapError).toBe('bwrap: No permissions to create new namespace');
    expect(await probeBubblewrap(loadWorkerSettings({ PATH: process.env.PATH }))).toBeNull(); // the real one works here
    const { run: r } = await run(await shJob('echo ran'), { ...broken, bwrapError });
    expect(r.error).toBe(refusal);
  });
});
