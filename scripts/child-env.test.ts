// The worker started the way npm start starts it holds its database URL and its settings, none of the
// launcher's secrets: read from the running process's /proc/<pid>/environ.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, waitFor, type TestDatabase } from '../worker/test-support';
import { WORKER_ARGS, webEnv, webNodeFlags, workerEnv } from './child-env';

let t: TestDatabase;
beforeAll(async () => {
  t = await startTestDatabase();
});
afterAll(async () => {
  await t?.stop();
});

const SECRETS = {
  API_KEY_SECRETS: 'k1:c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==',
  NEXTAUTH_SECRET: 'session-secret-value',
  ADMIN_PASSWORD: 'admin-password-value',
  DATABASE_URL_WEB: 'postgresql://etl_web:web-password@127.0.0.1:1/etl',
  AWS_SECRET_ACCESS_KEY: 'some-other-secret',
};

describe('the environment npm start gives its processes', () => {
  it('a worker process holds its own database URL and worker settings, and none of the secrets', async () => {
    const launcher = {
      ...process.env,
      ...SECRETS,
      DATABASE_URL: t.url,
      DATA_DIR: t.dir,
      WORKER_CONCURRENCY: '2',
      COMMAND_JOBS: 'on',
      RUN_SWEEP_INTERVAL_SECONDS: '5',
    };
    const child = spawn(process.execPath, WORKER_ARGS, {
      env: workerEnv(launcher, t.workerUrl),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    // The worker logs through pino (stdout); its fatal start errors may reach stderr.
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    try {
      await waitFor(() => output.includes('started'), 60_000, 'the worker to start');
      const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8');
      const env = Object.fromEntries(
        environ
          .split('\0')
          .filter(Boolean)
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      );
      expect(env.DATABASE_URL).toBe(t.workerUrl);
      expect(env.DATABASE_URL).toContain('etl_worker');
      expect(env).toMatchObject({
        WORKER_CONCURRENCY: '2',
        COMMAND_JOBS: 'on',
        RUN_SWEEP_INTERVAL_SECONDS: '5',
        DATA_DIR: t.dir,
      });
      for (const [name, value] of Object.entries(SECRETS)) {
        expect(env[name], name).toBeUndefined();
        expect(environ, name).not.toContain(value);
      }
      expect(environ).not.toContain(new URL(t.url).password); // the owner's password
      expect(Object.keys(env).some((name) => name.startsWith('VITEST'))).toBe(false);
      // and with only that, it runs jobs
      const runId = await t.startRun(
        await t.createJob({
          type: 'command',
          config: { command: process.execPath, args: ['-e', "console.log('ran')"] },
        }),
      );
      await waitFor(async () => (await t.run(runId)).status === 'succeeded', 30_000, 'the run to succeed');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('the web server keeps its secrets but not the launcher-only ones', () => {
    const env = webEnv({ ...process.env, ...SECRETS }, 'postgresql://etl_web@x/etl');
    expect(env.DATABASE_URL).toBe('postgresql://etl_web@x/etl');
    expect(env.API_KEY_SECRETS).toBe(SECRETS.API_KEY_SECRETS);
    expect(env.ADMIN_PASSWORD).toBeUndefined();
    expect(env.DATABASE_URL_WEB).toBeUndefined();
  });

  it('the web server gets the malloc settings that keep its memory down, unless the operator set them', () => {
    const { MALLOC_ARENA_MAX: _a, MALLOC_MMAP_THRESHOLD_: _m, ...outer } = process.env;
    expect(webEnv(outer, 'postgresql://x/etl')).toMatchObject({
      MALLOC_ARENA_MAX: '2',
      MALLOC_MMAP_THRESHOLD_: '131072',
    });
    const chosen = webEnv({ ...outer, MALLOC_ARENA_MAX: '8' }, 'postgresql://x/etl');
    expect(chosen.MALLOC_ARENA_MAX).toBe('8');
    expect(workerEnv(outer, 'postgresql://x/etl').MALLOC_ARENA_MAX).toBeUndefined();
  });

  it("the web server caps its old generation in production only, and an operator's own cap wins", () => {
    expect(webNodeFlags(false)).toEqual(['--max-semi-space-size=8', '--max-old-space-size=512']);
    expect(webNodeFlags(true)).toEqual(['--max-semi-space-size=8']);
    expect(webNodeFlags(false, '--enable-source-maps --max-old-space-size=2048')).toEqual([
      '--max-semi-space-size=8',
    ]);
  });
});
