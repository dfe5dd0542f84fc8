// Issue 18's reproduction: root runs `npm start` in a copy of the project inside a folder no other user
// can enter (/root/..., mode 0700). PostgreSQL runs as the user postgres, so its binaries and data are
// placed where that user can reach them; /api/health answers 200, and a second start finds the data.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../server/runtime/embedded-postgres';
import { SYSTEM_DIR } from '../server/runtime/postgres-home';

const ROOT = process.cwd();
const asRoot = process.getuid?.() === 0;
let home: string | undefined;
let app: ChildProcess | undefined;

/** The project's files (tracked and new, not ignored), its generated client, node_modules and build, hard-linked where possible. */
function copyProject(to: string): void {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    if (!existsSync(path.join(ROOT, file))) continue; // deleted, not yet committed
    mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    copyFileSync(path.join(ROOT, file), path.join(to, file));
  }
  // cp -al: hard links, seconds for a gigabyte on the same disk; the binaries must sit under /root as after npm install.
  for (const dir of ['node_modules', 'server/db/generated', '.next']) {
    if (existsSync(path.join(ROOT, dir)))
      execFileSync('cp', ['-al', path.join(ROOT, dir), path.join(to, path.dirname(dir))]);
  }
}

function startApp(
  cwd: string,
  port: number,
  args: string[] = [],
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const env: Record<string, string | undefined> = { ...process.env, PORT: String(port) };
  for (const name of Object.keys(env))
    if (/^(VITEST|__VITEST|DATABASE_URL|API_KEY_SECRETS|NEXTAUTH_|DATA_DIR|HOST)/.test(name))
      delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...args], {
    cwd,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, output: () => output, exited };
}

async function healthy(
  port: number,
  exited: Promise<unknown>,
  output: () => string,
  timeoutMs: number,
): Promise<number> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gone) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      // and the launcher has said it is ready (it does once it sees the health check pass)
      if (res.status === 200 && output().includes('[start] ready in')) return 200;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no healthy app within ${timeoutMs} ms; its output:\n${output()}`);
}

async function stop(started: { child: ChildProcess; exited: Promise<unknown> }) {
  started.child.kill('SIGTERM');
  await started.exited;
}

afterAll(async () => {
  if (app && app.exitCode === null) app.kill('SIGKILL');
  if (!home) return;
  const creds = path.join(home, 'etl-mgr', '.data', 'postgres.json');
  const pgdata = existsSync(creds)
    ? (JSON.parse(readFileSync(creds, 'utf8')).pgdata as string | undefined)
    : undefined;
  if (pgdata?.startsWith(`${SYSTEM_DIR}/`)) await rm(path.dirname(pgdata), { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

describe('npm start as root in a private folder', () => {
  // Builds once when the project has no build yet (CI runs unit tests before the e2e build).
  it.skipIf(!asRoot)(
    'answers /api/health with 200, and a second start finds the data again',
    { timeout: 900_000 },
    async () => {
      home = await mkdtemp('/root/etl-first-start-');
      chmodSync(home, 0o700);
      const project = path.join(home, 'etl-mgr');
      mkdirSync(project);
      copyProject(project);
      const port = await freePort();

      const check = startApp(project, port, ['--check']);
      expect(await check.exited, check.output()).toBe(0);
      expect(check.output()).toMatch(
        /✓ database: embedded PostgreSQL, initialised on first start in \/var\/lib\/etl-mgr\/<new id>\/postgres/,
      );
      expect(check.output()).toMatch(
        /binaries \/var\/lib\/etl-mgr\/postgres-\S+ \(placed there from \/root\//,
      );

      const first = startApp(project, port);
      app = first.child;
      expect(await healthy(port, first.exited, first.output, 840_000)).toBe(200);
      await new Promise((r) => setTimeout(r, 500)); // the sign-in lines follow "ready"
      expect(first.output()).toContain('first start: sign in');
      expect(first.output()).not.toContain('EACCES');
      const { pgdata } = JSON.parse(readFileSync(path.join(project, '.data', 'postgres.json'), 'utf8'));
      expect(pgdata.startsWith(`${SYSTEM_DIR}/`)).toBe(true); // postgres cannot enter /root
      expect(readFileSync(path.join(path.dirname(pgdata), 'DATA_DIR'), 'utf8').trim()).toBe(
        path.join(project, '.data'),
      );
      await stop(first);

      const second = startApp(project, port);
      app = second.child;
      expect(await healthy(port, second.exited, second.output, 120_000)).toBe(200);
      expect(second.output()).not.toContain('first start'); // the organisation seeded the first time is there
      expect(second.output()).toContain(`data in ${pgdata}`);
      await stop(second);
    },
  );
});
