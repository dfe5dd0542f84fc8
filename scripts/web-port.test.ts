// Issue 22's takeover chain: while the web process restarts, another process on the host (a job, say)
// loops trying to bind the web port. The launcher holds the listening socket across restarts
// (scripts/web-listener.ts), so the intruder never binds it and the real app answers again.
// A real launcher (npm run dev, no build needed) on an embedded Postgres of its own.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '../server/runtime/embedded-postgres';
import {
  childRunning,
  isolatedEnv,
  spawnNode,
  startService,
  stopProc,
  WEB_SERVER,
  type Proc,
} from '../testkit/processes';
import { waitFor } from '../worker/test-support';

let dataDir: string;
let launcher: Proc | undefined;
let intruder: Proc | undefined;
let port: number;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'web-port-test-'));
  port = await freePort();
  launcher = await startService('npm run dev', ['--import', 'tsx', 'scripts/start.ts', '--dev'], {
    env: isolatedEnv(
      {
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        START_WORKER: 'false',
        NEXTAUTH_URL: `http://127.0.0.1:${port}`,
        ADMIN_EMAIL: 'port@example.com',
        ADMIN_PASSWORD: randomBytes(12).toString('base64url'),
      },
      ['NODE_ENV'],
    ),
    logFile: path.join(dataDir, 'launcher.log'),
    ready: /\[start\] ready in/,
    timeoutMs: 240_000,
  });
}, 300_000);

afterAll(async () => {
  if (intruder) await stopProc(intruder, 1_000);
  if (launcher) await stopProc(launcher);
  await rm(dataDir, { recursive: true, force: true });
});

/** The app's own answer: /api/health's JSON (an intruder would answer something else, or nothing). */
async function health(): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(5_000) });
    return res.ok && typeof (await res.json()) === 'object';
  } catch {
    return false;
  }
}

// Binds the port whenever it can, every 5 ms, and says so (and keeps it, answering 302 as the attack did).
const INTRUDER = `
const net = require('node:net');
const [port, host] = process.argv.slice(1);
const attempt = () => {
  const server = net.createServer((s) => s.end('HTTP/1.1 302 Found\\r\\nLocation: http://evil/\\r\\n\\r\\n'));
  server.once('error', () => setTimeout(attempt, 5));
  server.listen(Number(port), host, () => console.log('BOUND'));
};
attempt();
console.log('trying');
`;

test("the web port stays the app's while its web process is SIGKILLed and restarted", async () => {
  expect(await health()).toBe(true);
  const web = childRunning(launcher!.pid, WEB_SERVER);
  expect(web).toBeTruthy();

  let bound = false;
  intruder = spawnNode('intruder', ['-e', INTRUDER, String(port), '127.0.0.1'], {
    env: isolatedEnv({}),
    logFile: path.join(dataDir, 'intruder.log'),
    onLine: (line) => line === 'BOUND' && (bound = true),
  });
  await intruder.waitForLine(/trying/, 10_000, true);

  process.kill(web!, 'SIGKILL');
  await waitFor(() => childRunning(launcher!.pid, WEB_SERVER) !== web, 20_000, 'the web process to go');
  await waitFor(health, 90_000, 'the app to answer /api/health again');

  const restarted = childRunning(launcher!.pid, WEB_SERVER);
  expect(restarted).toBeTruthy();
  expect(restarted).not.toBe(web);
  expect(bound).toBe(false);
  expect(launcher!.tail(200)).not.toMatch(/EADDRINUSE/);
}, 300_000);
