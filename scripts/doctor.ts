// npm run doctor (or npm start -- --check): what npm start would do here, each precondition checked,
// nothing started or changed. Exits 1 when a check fails.
import { existsSync, statfsSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from '../server/config';
import { inspectDatabase } from '../server/db/preflight';
import { roleOf } from '../server/db/roles';
import { MIN_FREE_BYTES, recordedDataFolder, runningPort } from '../server/runtime/embedded-postgres';
import {
  binariesPlan,
  canReach,
  lookUpPostgresUser,
  plannedDataFolder,
  SYSTEM_DIR,
} from '../server/runtime/postgres-home';
import { StartupError } from '../server/runtime/startup-error';
import { WEB_BUNDLE } from './build';
import { checkDataDir, portFree } from './preflight';

type Check = () => Promise<string> | string;

const mib = (bytes: number) => `${Math.floor(bytes / 1024 / 1024)} MiB`;

const checks: [string, Check][] = [
  [
    'node',
    () => {
      const [major, minor] = process.versions.node.split('.').map(Number);
      if (major < 20 || (major === 20 && minor < 19))
        throw new StartupError(`node ${process.versions.node} is too old: install node 20.19 or newer.`);
      return `${process.versions.node}`;
    },
  ],
  [
    'DATA_DIR',
    () => {
      checkDataDir(dataDir());
      const { bavail, bsize } = statfsSync(dataDir());
      return `${dataDir()}: writable, ${mib(bavail * bsize)} free`;
    },
  ],
  [
    'port',
    async () => {
      const port = Number(process.env.PORT ?? 3000);
      const host = process.env.HOST ?? '0.0.0.0';
      if (!(await portFree(port, host)))
        throw new StartupError(`port ${port} is in use: stop what uses it, or choose another PORT.`);
      return `${host}:${port} is free`;
    },
  ],
  [
    'build',
    () =>
      existsSync('.next/BUILD_ID') && existsSync(WEB_BUNDLE)
        ? 'present'
        : 'none yet: npm start builds first (a minute or two)',
  ],
  ['database', () => (process.env.DATABASE_URL ? externalDatabase() : embeddedDatabase())],
  [
    'worker',
    () =>
      process.env.START_WORKER === 'false'
        ? 'not started here (START_WORKER=false)'
        : `one worker beside the web server, ${process.env.WORKER_CONCURRENCY ?? 4} runs at a time, given only its own settings`,
  ],
];

async function externalDatabase(): Promise<string> {
  const owner = await inspectDatabase(process.env.DATABASE_URL!);
  if (!owner.canMigrate)
    throw new StartupError(
      `the user "${owner.user}" of DATABASE_URL may not create tables: it must be the database's owner (see "External PostgreSQL" in the README).`,
    );
  const roles = [];
  for (const name of ['DATABASE_URL_WEB', 'DATABASE_URL_WORKER'] as const) {
    const url = process.env[name];
    if (!url || roleOf(url) === owner.user) {
      roles.push(
        `${name} unset: that process connects as "${owner.user}"${owner.superuser ? ', a superuser' : ''}`,
      );
      continue;
    }
    const facts = await inspectDatabase(url, name);
    roles.push(
      `${name} connects as "${facts.user}"${facts.superuser ? ' (a superuser: give it a role of its own)' : ''}`,
    );
  }
  return `external, owner "${owner.user}" can migrate; ${roles.join('; ')}`;
}

function embeddedDatabase(): string {
  const dir = dataDir();
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? lookUpPostgresUser() : undefined;
  const runsAs = asRoot
    ? user
      ? `the user postgres (uid ${user.uid})`
      : 'the user postgres, created on first start'
    : 'this user';
  const probeUser = asRoot ? (user ?? { uid: 65534, gid: 65534 }) : undefined; // as nobody: what a new system user could reach
  const recorded = recordedDataFolder(dir);
  const folder =
    plannedDataFolder(dir, probeUser, recorded) ??
    `${SYSTEM_DIR}/<new id>/postgres (${dir} is not reachable for postgres)`;
  const port = runningPort(recorded ?? path.join(dir, 'postgres'));
  if (port) return `embedded PostgreSQL already running on 127.0.0.1:${port}, data in ${folder}: reused`;
  const plan = binariesPlan(probeUser);
  const initialised = existsSync(path.join(recorded ?? path.join(dir, 'postgres'), 'PG_VERSION'));
  if (!initialised) {
    const { bavail, bsize } = statfsSync(existsSync(path.dirname(folder)) ? path.dirname(folder) : dir);
    if (bavail * bsize < MIN_FREE_BYTES)
      throw new StartupError(
        `only ${mib(bavail * bsize)} free for the embedded database, which needs ${mib(MIN_FREE_BYTES)}: free some space or choose another DATA_DIR.`,
      );
  }
  const binaries = plan.needsPlacing
    ? `${plan.placed} (placed there from ${plan.dir}, which postgres cannot reach)`
    : plan.dir;
  const reach =
    asRoot && probeUser && !canReach(probeUser, path.dirname(dir))
      ? '; DATA_DIR is private, so the data goes elsewhere'
      : '';
  return `embedded PostgreSQL, ${initialised ? 'data' : 'initialised on first start'} in ${folder}, run as ${runsAs}, binaries ${binaries}${reach}; the web server and the worker connect as etl_web and etl_worker`;
}

export async function doctor(print: (line: string) => void = console.log): Promise<boolean> {
  print('[doctor] what npm start would do here:');
  let ok = true;
  for (const [name, check] of checks) {
    try {
      print(`  ✓ ${name}: ${await check()}`);
    } catch (error) {
      ok = false;
      print(`  ✗ ${name}: ${error instanceof StartupError ? error.message : (error as Error).message}`);
    }
  }
  print(ok ? '[doctor] every check passed.' : '[doctor] fix what is marked ✗, then run npm start.');
  return ok;
}

if (process.argv[1]?.endsWith('scripts/doctor.ts')) process.exit((await doctor()) ? 0 : 1);
