// The embedded PostgreSQL of a DATA_DIR: initialised on first use, started (or found running), with a
// database for the app and the two non-superuser roles the web server and the workers connect as.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newClient } from '../db/pool';
import { WEB_ROLE, WORKER_ROLE } from '../db/roles';
import { binariesFor, chooseDataFolder, postgresUser, type RunAs } from './postgres-home';
import { StartupError } from './startup-error';

export interface EmbeddedDatabase {
  /** The owner (this private cluster's superuser): migrations, seeding, the admin CLI. */
  url: string;
  /** The web server's and the workers' own roles; absent for a database given by DATABASE_URL. */
  webUrl?: string;
  workerUrl?: string;
  /** Stops the server when this process started it; a no-op when it was already running. */
  stop(): Promise<void>;
  startedHere: boolean;
  /** The embedded server's data folder. */
  dataFolder?: string;
}

const DB_NAME = 'etl';
/** initdb writes about 40 MiB; a little room beyond that for the first WAL segments. */
export const MIN_FREE_BYTES = 100 * 1024 * 1024;

interface Credentials {
  password: string;
  webPassword: string;
  workerPassword: string;
  /** Where the data folder is (decided on first start). */
  pgdata?: string;
}

const credentialsFile = (dataDir: string) => path.join(dataDir, 'postgres.json');
const secret = () => randomBytes(18).toString('base64url');

/** The passwords (mode 0600 in DATA_DIR), completed with what an older file lacks. */
function credentials(dataDir: string): Credentials {
  const file = credentialsFile(dataDir);
  const found: Partial<Credentials> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const creds: Credentials = {
    password: secret(),
    webPassword: secret(),
    workerPassword: secret(),
    ...found,
  };
  if (Object.keys(found).length < 3) saveCredentials(dataDir, creds);
  return creds;
}

function saveCredentials(dataDir: string, creds: Credentials): void {
  writeFileSync(credentialsFile(dataDir), JSON.stringify(creds), { mode: 0o600 });
  chmodSync(credentialsFile(dataDir), 0o600);
}

/** The port of a server already running on this data folder (postmaster.pid line 4), if any. */
export function runningPort(pgDir: string): number | null {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  try {
    process.kill(pid, 0);
  } catch {
    return null; // stale file of a server that died
  }
  return Number(lines[3]) || null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function urlFor(user: string, password: string, port: number, database = DB_NAME): string {
  return `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

function handle(
  creds: Credentials,
  port: number,
  stop: () => Promise<void>,
  startedHere: boolean,
): EmbeddedDatabase {
  return {
    dataFolder: creds.pgdata,
    url: urlFor('postgres', creds.password, port),
    webUrl: urlFor(WEB_ROLE, creds.webPassword, port),
    workerUrl: urlFor(WORKER_ROLE, creds.workerPassword, port),
    stop,
    startedHere,
  };
}

/** The data folder an earlier start decided on (kept in DATA_DIR/postgres.json), if any. */
export function recordedDataFolder(dataDir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(credentialsFile(dataDir), 'utf8')) as Credentials).pgdata;
  } catch {
    return undefined;
  }
}

/** The embedded database of DATA_DIR when it is running (the app started it), else null. Starts nothing. */
export function findEmbeddedDatabase(dataDir: string): EmbeddedDatabase | null {
  if (!existsSync(credentialsFile(dataDir))) return null;
  const creds = JSON.parse(readFileSync(credentialsFile(dataDir), 'utf8')) as Credentials;
  const port = runningPort(creds.pgdata ?? path.join(dataDir, 'postgres'));
  return port && creds.webPassword ? handle(creds, port, async () => {}, false) : null;
}

/**
 * Starts (or reuses) the PostgreSQL server of `dataDir`. It listens on loopback only, on a free port
 * (or `options.port`, so a server stopped and started again keeps its address), and is initialised
 * on first use.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  log: (line: string) => void = () => {},
  options: { port?: number } = {},
): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const creds = credentials(dataDir);
  const user = postgresUser();
  const pgdata = chooseDataFolder(dataDir, user, creds.pgdata);
  if (creds.pgdata !== pgdata) saveCredentials(dataDir, Object.assign(creds, { pgdata }));

  const existing = runningPort(pgdata);
  if (existing) {
    await setUpDatabase(creds, existing);
    return handle(creds, existing, async () => {}, false);
  }
  const bin = path.join(binariesFor(user), 'bin');
  if (!existsSync(path.join(pgdata, 'PG_VERSION'))) {
    log(`initialising the embedded database in ${pgdata} (once)`);
    await initdb(bin, pgdata, creds.password, user);
  }
  const port = options.port ?? (await freePort());
  const server = await startServer(bin, pgdata, port, user, log);
  await setUpDatabase(creds, port);
  return handle(creds, port, server.stop, true);
}

/** A small environment for PostgreSQL's processes: none of the app's secrets. */
function pgEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LC_ALL: 'C',
    LANG: 'C',
    TZ: 'UTC',
  } as Partial<NodeJS.ProcessEnv> as NodeJS.ProcessEnv;
}

function run(
  file: string,
  args: string[],
  user: RunAs | undefined,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...user, env: pgEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

function lastLines(text: string, count = 8): string[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean)
    .slice(-count);
}

function checkFreeSpace(folder: string): void {
  const { bavail, bsize } = statfsSync(folder);
  const free = bavail * bsize;
  if (free < MIN_FREE_BYTES) {
    throw new StartupError(
      `the disk of ${folder} has ${Math.floor(free / 1024 / 1024)} MiB free and the embedded database needs ${MIN_FREE_BYTES / 1024 / 1024} MiB: free some space, or set DATA_DIR to a folder on a larger disk.`,
    );
  }
}

async function initdb(bin: string, pgdata: string, password: string, user: RunAs | undefined): Promise<void> {
  rmSync(pgdata, { recursive: true, force: true }); // what a failed initdb may have left
  mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  checkFreeSpace(pgdata);
  const pwfile = path.join(tmpdir(), `etl-pg-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) {
    chownSync(pgdata, user.uid, user.gid);
    chownSync(pwfile, user.uid, user.gid);
  }
  try {
    const { code, output } = await run(
      path.join(bin, 'initdb'),
      [
        '-D',
        pgdata,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
      ],
      user,
    );
    if (code !== 0) {
      if (/no space left/i.test(output)) checkFreeSpace(path.dirname(pgdata));
      rmSync(pgdata, { recursive: true, force: true });
      throw new StartupError(
        `initialising the embedded database in ${pgdata} failed (initdb exited with ${code}); the end of its output:`,
        lastLines(output),
      );
    }
  } finally {
    rmSync(pwfile, { force: true });
  }
}

const servers = new Set<ChildProcess>();
// A process that ends without stopping its server (an error, process.exit) still shuts it down.
process.on('exit', () => servers.forEach((child) => child.kill('SIGINT')));

function startServer(
  bin: string,
  pgdata: string,
  port: number,
  user: RunAs | undefined,
  log: (line: string) => void,
) {
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'timezone=UTC'];
  const child = spawn(path.join(bin, 'postgres'), ['-D', pgdata, '-p', String(port), ...flags], {
    ...user,
    env: pgEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => resolve(void servers.delete(child))),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT'); // fast shutdown
    await exited;
  };
  let output = '';
  return new Promise<{ stop: () => Promise<void> }>((resolve, reject) => {
    const failed = (why: string) => {
      void stop();
      reject(
        new StartupError(
          `the embedded PostgreSQL (data in ${pgdata}) ${why}; the end of its log:`,
          lastLines(output),
        ),
      );
    };
    const timer = setTimeout(() => failed('did not start within 60 s'), 60_000);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-8192);
      for (const line of text.split('\n')) if (line.trim()) log(line.trim());
      if (text.includes('ready to accept connections')) {
        clearTimeout(timer);
        resolve({ stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => failed(`could not be run (${error.message})`));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      failed(`stopped at once (${signal ?? `exit code ${code}`})`);
    });
  });
}

/** The app's database and its two login roles (passwords kept in DATA_DIR); the grants come after migrations. */
async function setUpDatabase(creds: Credentials, port: number): Promise<void> {
  const client = newClient(urlFor('postgres', creds.password, port, 'postgres'));
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(7215001)'); // one setup at a time (npm start and the admin CLI)
    const found = await client.query('select 1 from pg_database where datname = $1', [DB_NAME]);
    if (found.rowCount === 0) await client.query(`create database ${DB_NAME}`);
    for (const [role, password] of [
      [WEB_ROLE, creds.webPassword],
      [WORKER_ROLE, creds.workerPassword],
    ]) {
      const exists = await client.query('select 1 from pg_roles where rolname = $1', [role]);
      const verb = exists.rowCount ? 'alter' : 'create';
      await client.query(
        `${verb} role ${role} login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password ${client.escapeLiteral(password)}`,
      );
    }
    // Temporary tables are the one thing PUBLIC may create in a fresh database: the roles need none.
    await client.query(`revoke temporary on database ${DB_NAME} from public`);
  } finally {
    await client.end().catch(() => {});
  }
}
