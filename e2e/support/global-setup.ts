import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { adminCli, createKey } from './admin-cli';
import { E2E_BASE_URL } from './env';
import { writeState, type E2EState } from './state';

// Runs once, after the web server is healthy: makes every key, job and foreign run the tests need with
// the admin CLI (about 3 s a call, so in parallel batches), and writes them to .data-e2e/e2e-state.json.

const OTHER_OWNER = 'other-owner@example.com';
const OTHER_JOB = 'other-org-secret-job';

async function jobIdByName(token: string, name: string): Promise<string> {
  const res = await fetch(`${E2E_BASE_URL}/etl-mgr/api/apijob`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': token },
    body: JSON.stringify({ id: name, action: 'status' }),
  });
  const body = (await res.json().catch(() => ({}))) as { id?: string };
  if (res.status !== 200 || typeof body.id !== 'string') {
    throw new Error(`global setup: status of job "${name}" answered ${res.status} ${JSON.stringify(body)}`);
  }
  return body.id;
}

async function jobFromCli(org: string, definition: Record<string, unknown>, dir: string): Promise<string> {
  const file = path.join(dir, `${definition.name as string}.json`);
  writeFileSync(file, JSON.stringify(definition));
  const { stdout } = await adminCli(['job', 'create', '--org', org, '--file', file]);
  const job = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { id?: string };
  if (typeof job.id !== 'string') throw new Error(`job create printed no id: ${stdout}`);
  return job.id;
}

export default async function globalSetup(): Promise<void> {
  const startedAt = Date.now();
  const dir = mkdtempSync(path.join(tmpdir(), 'etl-e2e-'));
  try {
    const node = process.execPath;

    // Three independent chains at once; each step waits only for what it needs.
    const demoKeys = (async () => {
      const main = await createKey({ name: 'e2e-main' });
      const [helloWorld, countdown, alwaysFails] = await Promise.all(
        ['hello-world', 'countdown', 'always-fails'].map((name) => jobIdByName(main, name)),
      );
      const scoped = await createKey({ name: 'e2e-scoped', jobs: [helloWorld] });
      return { main, scoped, helloWorld, countdown, alwaysFails };
    })();
    const otherOrg = (async () => {
      await adminCli(['org', 'create', 'other', '--name', 'Other Org']);
      await adminCli(['org', 'grant-commands', 'other']);
      const [, jobId] = await Promise.all([
        adminCli([
          'user',
          'create',
          OTHER_OWNER,
          '--org',
          'other',
          '--role',
          'owner',
          '--password',
          'other-password-123',
        ]),
        jobFromCli(
          'other',
          {
            name: OTHER_JOB,
            type: 'command',
            config: { command: node, args: ['-e', "console.log('secret of other')"] },
            concurrency: 'parallel',
            timeoutSeconds: 60,
          },
          dir,
        ),
      ]);
      const key = await createKey({ name: 'e2e-other', org: 'other', owner: OTHER_OWNER });
      const res = await fetch(`${E2E_BASE_URL}/etl-mgr/api/apijob`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify({ id: OTHER_JOB }),
      });
      const started = (await res.json().catch(() => ({}))) as { runId?: string };
      if (res.status !== 202 || typeof started.runId !== 'string') {
        throw new Error(
          `global setup: starting the other org's job answered ${res.status} ${JSON.stringify(started)}`,
        );
      }
      return { key, jobId, runId: started.runId };
    })();
    const [demo, other, rateLimited, revocable, sleeper, idle, threeLines] = await Promise.all([
      demoKeys,
      otherOrg,
      createKey({ name: 'e2e-rate-limited', rateLimit: 3 }),
      createKey({ name: 'e2e-revocable' }),
      jobFromCli(
        'demo',
        {
          name: 'e2e-sleeper',
          type: 'command',
          config: { command: node, args: ['-e', "console.log('sleeping'); setTimeout(() => {}, 60000)"] },
          concurrency: 'parallel',
          timeoutSeconds: 120,
        },
        dir,
      ),
      jobFromCli(
        'demo',
        {
          name: 'e2e-idle',
          type: 'command',
          config: { command: node, args: ['-e', "console.log('idle')"] },
          timeoutSeconds: 60,
        },
        dir,
      ),
      jobFromCli(
        'demo',
        {
          name: 'e2e-three-lines',
          type: 'command',
          config: {
            command: node,
            args: ['-e', "console.log('one'); console.log('two'); console.log('three')"],
          },
          concurrency: 'parallel',
          timeoutSeconds: 60,
        },
        dir,
      ),
    ]);

    const state: E2EState = {
      keys: { main: demo.main, rateLimited, revocable, scoped: demo.scoped, other: other.key },
      jobs: {
        helloWorld: demo.helloWorld,
        countdown: demo.countdown,
        alwaysFails: demo.alwaysFails,
        sleeper,
        idle,
        threeLines,
        other: other.jobId,
      },
      otherJobName: OTHER_JOB,
      otherRunId: other.runId,
    };
    writeState(state);
    console.log(
      `[e2e setup] keys, jobs and another organisation made in ${((Date.now() - startedAt) / 1000).toFixed(1)}s`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
