// npm start: start (or reuse) the database, migrate, build when needed, seed, then run the web server
// and a worker as supervised child processes. Ctrl-C or SIGTERM stops all of it, the database included.
// A start that cannot go on says why in one sentence and exits with 1; `npm start -- --check` only checks.
// `npm run dev` (--dev) is the same start with scripts/web.ts in development mode (Next compiles on
// demand and reloads on edits) instead of the production build.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dataDir } from '../server/config';
import { reportStartupFailure, StartupError } from '../server/runtime/startup-error';
import { buildAll, WEB_BUNDLE } from './build';
import { WORKER_ARGS, webEnv, webNodeFlags, workerEnv } from './child-env';
import { checkDataDir, checkPort } from './preflight';
import { prepare, type Prepared } from './prepare';
import { holdWebPort, LISTENER_FLAG, type WebPort } from './web-listener';
import { announceFirstStart } from './first-start-password';
import { initLogger } from '../server/observability/logger';

const logger = initLogger('launcher');
const log = (line: string) => logger.info(`[start] ${line}`);
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${port}`;
const dev = process.argv.includes('--dev');

if (process.argv.includes('--check')) {
  const { doctor } = await import('./doctor');
  process.exit((await doctor()) ? 0 : 1);
}

// The quick checks first, the database next (a wrong DATABASE_URL is told before a long build), the build last.
async function boot() {
  checkDataDir(dataDir());
  await checkPort(port, host);
  const prepared = await prepare(log);
  if (!dev && (!existsSync('.next/BUILD_ID') || !existsSync(WEB_BUNDLE))) {
    log('no production build yet: building (a minute or two, once)');
    if (!(await buildAll().catch(() => false)))
      throw new StartupError(
        'the build failed (its errors are above): fix what it names, then run npm start again.',
      );
  }
  const startedAt = Date.now();
  const { seedIfEmpty } = await import('../prisma/seed');
  const seed = await seedIfEmpty();
  await (await import('../server/db')).pool.end(); // the launcher holds no connection as the owner
  // Bound here for good, before any job can run: web processes come and go on it (scripts/web-listener.ts).
  const webPort = await holdWebPort(port, host);
  return { startedAt, prepared, seed, webPort };
}

let booted: Awaited<ReturnType<typeof boot>>;
try {
  booted = await boot();
} catch (error) {
  reportStartupFailure(error);
  process.exit(1);
}
const { startedAt, seed, webPort } = booted;
const { database, webUrl, workerUrl }: Prepared = booted.prepared;

const base: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: dev ? 'development' : 'production',
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? publicUrl,
  // Links are made from PUBLIC_URL only (never the Host header): unset, it is this port on localhost.
  PUBLIC_URL: publicUrl,
};
let stopping = false;
const children = new Map<string, ChildProcess>();

/** Starts a child and restarts it when it dies on its own, so one crash does not take the rest down. */
function supervise(name: string, args: string[], env: NodeJS.ProcessEnv, port?: WebPort) {
  let restarts = 0;
  const launch = () => {
    const stdio = port ? ['inherit', 'inherit', 'inherit', 'ipc'] : 'inherit';
    const child = spawn(process.execPath, args, { stdio: stdio as 'inherit', env });
    port?.attach(child);
    children.set(name, child);
    const launchedAt = Date.now();
    child.on('exit', (code, signal) => {
      children.delete(name);
      if (stopping) return;
      restarts = Date.now() - launchedAt > 60_000 ? 0 : restarts + 1;
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(restarts, 5));
      log(`${name} exited (${signal ?? code}); restarting in ${delay / 1000}s`);
      setTimeout(launch, delay);
    });
  };
  launch();
}

// scripts/web.ts compiled by `npm run build` (plain node needs ~70 MiB less than running it through tsx).
const webArgs = [
  ...webNodeFlags(dev, process.env.NODE_OPTIONS),
  ...(dev ? ['--import', 'tsx', 'scripts/web.ts', '--dev'] : [WEB_BUNDLE]),
  LISTENER_FLAG,
];
supervise('web', webArgs, webEnv(base, webUrl), webPort);
if (process.env.START_WORKER !== 'false') supervise('worker', WORKER_ARGS, workerEnv(base, workerUrl));

// The web server and the worker finish (and hand back their runs) before the database goes.
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
// `npm start` runs us through sh, which does not pass SIGTERM on: when our parent goes, so do we.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && void shutdown('parent exited'), 1000).unref();

async function waitHealthy(): Promise<boolean> {
  for (let i = 0; i < 600 && !stopping; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

if (await waitHealthy()) {
  log(`ready in ${((Date.now() - startedAt) / 1000).toFixed(1)}s: ${publicUrl}`);
  if (seed.seeded) announceFirstStart(seed, { publicUrl, dataDir: dataDir(), log });
}

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  const exits = [...children.values()].map(
    (child) =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
      }),
  );
  await Promise.all(exits);
  await database.stop();
  log('stopped');
  process.exit(0);
}
