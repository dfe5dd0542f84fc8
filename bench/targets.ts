// Starting the three targets: the app (B) through the launcher, and the two floors beside it.
import { statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { API_PATH, JOB_NAME, log, nowMs, type TargetName } from './config';
import { dataDir } from './lifecycle';
import { freePort } from '../server/runtime/embedded-postgres';
import { privateAppRoot } from '../testkit/app-root';
import { databaseIn, startBenchApp } from './app';
import { isolatedEnv, runNode, startService, type Proc } from '../testkit/processes';

const root = path.resolve(import.meta.dirname, '..');

/** The environment of the processes it starts: nothing of an outer DATABASE_URL or secrets leaks in. */
export function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return isolatedEnv({ DATA_DIR: dataDir, ...extra });
}

/** A copy of the tree's production build (built first when there is none) that no later build can change. */
export async function snapshotBuild(): Promise<{ appRoot: string; buildId: string; builtAt: string }> {
  const { appRoot, buildId } = await privateAppRoot(root, dataDir, log);
  return { appRoot, buildId, builtAt: statSync(path.join(appRoot, '.next', 'BUILD_ID')).mtime.toISOString() };
}

export interface Targets {
  build: { buildId: string; builtAt: string };
  ports: Record<TargetName, number>;
  launcher: Proc;
  floors: { A: Proc; Amin: Proc };
  databaseUrl: string;
  secrets: string;
  token: string;
  jobId: string;
}

export async function startApp(
  appRoot: string,
  port: number,
  extra: Record<string, string> = {},
): Promise<Proc> {
  const t0 = Date.now();
  const launcher = await startBenchApp(appRoot, port, dataDir, { DEBUG_POSTGRES: '1', ...extra });
  log(`app ready on 127.0.0.1:${port} in ${((Date.now() - t0) / 1000).toFixed(1)}s (worker off)`);
  return launcher;
}

/** The embedded database's owner URL and the API key secrets, as the launcher left them in DATA_DIR. */
export const databaseOf = () => databaseIn(dataDir);

/** A floor (bench/floor.ts): FLOOR=full calls etl_start_runs, FLOOR=minimal inserts the run row only. */
function startFloor(kind: 'full' | 'minimal', port: number, databaseUrl: string, secrets: string) {
  return startService(kind === 'full' ? 'floor' : 'floor (minimal)', ['--import', 'tsx', 'bench/floor.ts'], {
    env: baseEnv({
      FLOOR: kind,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      API_KEY_SECRETS: secrets,
      DATABASE_POOL_SIZE: '10',
    }),
    logFile: path.join(dataDir, kind === 'full' ? 'floor.log' : 'floor-minimal.log'),
    ready: /floor listening/,
    timeoutMs: 60_000,
  });
}

/** The bench's key and job, through the admin CLI; resolves to the key's token. */
export async function makeKeyAndJob(cliEnv: NodeJS.ProcessEnv): Promise<string> {
  const jobFile = path.join(dataDir, 'bench-noop.json');
  writeFileSync(
    jobFile,
    JSON.stringify({
      name: JOB_NAME,
      description: 'benchmark: does nothing',
      type: 'command',
      config: { command: 'true', args: [] },
      concurrency: 'parallel',
      timeoutSeconds: 60,
    }),
  );
  const admin = (...rest: string[]) =>
    runNode(['--import', 'tsx', 'scripts/admin.ts', ...rest], { env: cliEnv });
  const key = ['--owner', 'bench@example.com', '--name', 'bench', '--selector', 'bench', '--rate-limit', '0'];
  const [keyOut] = await Promise.all([
    admin('key', 'create', '--org', 'demo', ...key),
    admin('job', 'create', '--org', 'demo', '--file', jobFile),
  ]);
  return keyOut.trim().split('\n').pop()!.trim();
}

export async function startTargets(appRoot: string, build: Targets['build']): Promise<Targets> {
  const ports = { A: await freePort(), Amin: await freePort(), B: await freePort() };
  const launcher = await startApp(appRoot, ports.B);
  const { databaseUrl, secrets } = databaseOf();
  const cliEnv = baseEnv({ DATABASE_URL: databaseUrl, API_KEY_SECRETS: secrets });
  const [token, A, Amin] = await Promise.all([
    makeKeyAndJob(cliEnv),
    startFloor('full', ports.A, databaseUrl, secrets),
    startFloor('minimal', ports.Amin, databaseUrl, secrets),
  ]);

  // One start on each, to be sure all answer 202 before any timing.
  let jobId = '';
  for (const port of [ports.A, ports.Amin, ports.B]) {
    const res = await post(port, { id: JOB_NAME, jobid: 'smoke' }, token);
    if (res.status !== 202) throw new Error(`smoke start on :${port} answered ${res.status}: ${res.text}`);
    jobId = JSON.parse(res.text).id;
  }
  return { build, ports, launcher, floors: { A, Amin }, databaseUrl, secrets, token, jobId };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

export function post(
  port: number,
  body: unknown,
  token: string,
): Promise<{ status: number; text: string; sentAt: number; answeredAt: number }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const sentAt = nowMs();
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: API_PATH,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'x-api-key': token,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, sentAt, answeredAt: nowMs() }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}
