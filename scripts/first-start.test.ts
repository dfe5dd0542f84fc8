// Every way the first `npm start` can fail ends with one sentence and exit code 1, never a stack trace:
// real `node --import tsx scripts/start.ts` processes, each with its condition set up for real.
import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  recordedDataFolder,
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from '../server/runtime/embedded-postgres';

const ROOT = process.cwd();
let tmp: string;
let database: EmbeddedDatabase;

interface Outcome {
  code: number | null;
  output: string;
  /** The launcher's own lines ([start] ...). */
  said: string[];
}

/** Runs `node --import tsx scripts/start.ts [args]`, optionally inside `sh -c '<setup> && exec node ...'` (in a mount namespace of its own). */
async function start(
  env: Record<string, string>,
  options: { cwd?: string; setup?: string; args?: string[] } = {},
): Promise<Outcome> {
  const clean: Record<string, string | undefined> = { ...process.env };
  for (const name of Object.keys(clean))
    if (
      /^(VITEST|__VITEST|DATABASE_URL|API_KEY_SECRETS|NEXTAUTH_|ADMIN_|START_WORKER|DATA_DIR|PORT|HOST)/.test(
        name,
      )
    )
      delete clean[name];
  const port = String(await freePort());
  const node = [process.execPath, '--import', 'tsx', 'scripts/start.ts', ...(options.args ?? [])];
  const [command, ...args] = options.setup
    ? ['unshare', '-m', 'sh', '-c', `${options.setup} && exec "$@"`, 'sh', ...node]
    : node;
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...clean, PORT: port, START_WORKER: 'false', ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 100_000); // within the test's own limit
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output, said: output.split('\n').filter((line) => line.startsWith('[start] ')) };
}

/** Exit code 1, the last thing said is one sentence (optionally followed by log lines), and no stack trace. */
function expectOneSentence(
  outcome: Outcome,
  pattern: RegExp,
  options: { toolOutput?: boolean } = {},
): string {
  expect(outcome.code, outcome.output).toBe(1);
  const sentence = outcome.said.find((line) => pattern.test(line));
  expect(sentence, outcome.output).toBeDefined();
  expect(sentence).toMatch(/^\[start\] [^\n]+[.:]$/);
  expect(outcome.said.at(-1) === sentence || sentence!.endsWith(':')).toBe(true);
  // A stack frame of ours; a failing build shows its own errors (where the user's code broke) above the sentence.
  if (!options.toolOutput) expect(outcome.output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  return sentence!;
}

const withPassword = (url: string, user: string, password: string) => {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.toString();
};
const asRoot = process.getuid?.() === 0;
const canMount = asRoot && spawnSync('unshare', ['-m', 'true']).status === 0;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'first-start-'));
  chmodSync(tmp, 0o755); // as root, the embedded PostgreSQL (user postgres) keeps its data in DATA_DIR below it
  database = await startEmbeddedPostgres(path.join(tmp, 'shared'));
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(`create role weak login password 'weak-password'`);
  await client.end();
});
afterAll(async () => {
  await database?.stop();
  await rm(tmp, { recursive: true, force: true });
});

describe('npm start fails with one sentence and exit code 1', { timeout: 120_000 }, () => {
  it.skipIf(!canMount)('DATA_DIR not writable (a read-only mount)', async () => {
    const dir = path.join(tmp, 'read-only');
    mkdirSync(dir);
    const outcome = await start({ DATA_DIR: dir }, { setup: `mount --bind -o ro ${dir} ${dir}` });
    expectOneSentence(outcome, /DATA_DIR .*read-only.* is not writable \(EROFS\): set DATA_DIR to a folder/);
  });

  it.skipIf(!canMount)('a disk too full for initdb (a 20 MiB file system)', async () => {
    const dir = path.join(tmp, 'small-disk');
    mkdirSync(dir);
    const outcome = await start({ DATA_DIR: dir }, { setup: `mount -t tmpfs -o size=20m tmpfs ${dir}` });
    expectOneSentence(
      outcome,
      /has \d+ MiB free and the embedded database needs 100 MiB: free some space, or set DATA_DIR/,
    );
  });

  it('the port in use', async () => {
    const port = await freePort();
    const server: Server = await new Promise((resolve) => {
      const s = createServer().listen(port, '0.0.0.0', () => resolve(s));
    });
    try {
      const outcome = await start({ PORT: String(port), DATA_DIR: path.join(tmp, 'port') });
      expectOneSentence(outcome, new RegExp(`port ${port} is in use: .* choose another PORT\\.`));
    } finally {
      server.close();
    }
  });

  it('DATABASE_URL refused (nothing listens there)', async () => {
    const port = await freePort();
    const outcome = await start({
      DATABASE_URL: `postgresql://etl:pw@127.0.0.1:${port}/etl`,
      DATA_DIR: path.join(tmp, 'refused'),
    });
    expectOneSentence(
      outcome,
      new RegExp(`DATABASE_URL points at 127\\.0\\.0\\.1:${port}, where nothing accepts connections`),
    );
  });

  it('DATABASE_URL unreachable (a host that does not resolve)', async () => {
    const outcome = await start({
      DATABASE_URL: 'postgresql://etl:pw@no-such-host.invalid:5432/etl',
      DATA_DIR: path.join(tmp, 'unresolved'),
    });
    expectOneSentence(
      outcome,
      /DATABASE_URL names the host "no-such-host\.invalid", which cannot be resolved/,
    );
  });

  it('DATABASE_URL with a wrong password', async () => {
    const outcome = await start({
      DATABASE_URL: withPassword(database.url, 'postgres', 'wrong'),
      DATA_DIR: path.join(tmp, 'password'),
    });
    expectOneSentence(
      outcome,
      /refused the user "postgres" \(password authentication failed.*\): correct the user and password in DATABASE_URL\./,
    );
  });

  it('DATABASE_URL of a user who may not create tables', async () => {
    const outcome = await start({
      DATABASE_URL: withPassword(database.url, 'weak', 'weak-password'),
      DATA_DIR: path.join(tmp, 'weak'),
    });
    expectOneSentence(
      outcome,
      /the user "weak" may not create tables in database "etl": DATABASE_URL must name the database's owner/,
    );
  });

  it('npm run doctor (npm start -- --check) names the failing precondition and exits 1', async () => {
    const port = await freePort();
    const outcome = await start(
      { DATABASE_URL: `postgresql://etl:pw@127.0.0.1:${port}/etl`, DATA_DIR: path.join(tmp, 'doctor') },
      { args: ['--check'] },
    );
    expect(outcome.code).toBe(1);
    expect(outcome.output).toMatch(/✓ DATA_DIR: .* writable/);
    expect(outcome.output).toContain(
      `✗ database: DATABASE_URL points at 127.0.0.1:${port}, where nothing accepts connections`,
    );
  });

  it('a build that fails', async () => {
    // A copy of the project (links) without a build and with a next.config.js that throws.
    const copy = path.join(tmp, 'broken-build');
    mkdirSync(copy);
    for (const name of readdirSync(ROOT)) {
      if (name !== '.next' && name !== 'next.config.js' && !name.startsWith('.data'))
        symlinkSync(path.join(ROOT, name), path.join(copy, name));
    }
    writeFileSync(path.join(copy, 'next.config.js'), "throw new Error('broken on purpose');\n");
    const outcome = await start(
      { DATABASE_URL: database.url, DATA_DIR: path.join(tmp, 'build') },
      { cwd: copy },
    );
    const sentence = expectOneSentence(
      outcome,
      /the build failed \(its errors are above\): fix what it names, then run npm start again\./,
      { toolOutput: true },
    );
    expect(outcome.said.at(-1)).toBe(sentence);
  });

  it('a PostgreSQL that will not start, with the end of its log', async () => {
    const dataDir = path.join(tmp, 'shared');
    await database.stop();
    appendFileSync(path.join(recordedDataFolder(dataDir)!, 'postgresql.conf'), '\nno_such_setting = 1\n');
    const outcome = await start({ DATA_DIR: dataDir });
    expectOneSentence(
      outcome,
      /the embedded PostgreSQL \(data in .*\) stopped at once \(exit code 1\); the end of its log:/,
    );
    expect(outcome.output).toMatch(/\[start\] {3}.*unrecognized configuration parameter "no_such_setting"/);
  });
});

describe('the first-start password is never in a log line', { timeout: 120_000 }, () => {
  const PASSWORD = 'Generated-Secret-1234';
  /** Runs announceFirstStart in a real process with the launcher's JSON logger, as npm start does. */
  const announce = (dataDir: string, tty: boolean) => {
    const code = `const { initLogger } = await import('./server/observability/logger.ts');
      const { announceFirstStart } = await import('./scripts/first-start-password.ts');
      const logger = initLogger('launcher');
      announceFirstStart({ email: 'admin@example.com', generatedPassword: '${PASSWORD}' },
        { publicUrl: 'http://localhost:3000', dataDir: ${JSON.stringify(dataDir)}, log: (l) => logger.info('[start] ' + l) });`;
    const node = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', code];
    const quoted = node.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
    // `script` gives the child a pseudo-terminal as its stdout, as when a person runs npm start.
    const [command, ...args] = tty ? ['script', '-qec', quoted, '/dev/null'] : node;
    const result = spawnSync(command, args, {
      cwd: ROOT,
      env: { ...process.env, LOG_FORMAT: 'json' },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    const lines = `${result.stdout}${result.stderr}`.split(/\r?\n/).filter(Boolean);
    return {
      logLines: lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string }),
      otherLines: lines.filter((l) => !l.startsWith('{')),
    };
  };

  it('without a terminal: written to a 0600 file in DATA_DIR that the log names', async () => {
    const dir = path.join(tmp, 'first-password-file');
    mkdirSync(dir);
    const { logLines, otherLines } = announce(dir, false);
    expect(JSON.stringify(logLines)).not.toContain(PASSWORD);
    expect(otherLines).toEqual([]);
    const file = path.join(dir, 'first-start-password');
    expect(logLines.map((l) => l.msg)).toContain(
      `[start] with the password in ${file} (readable by this user only; delete it once you have signed in)`,
    );
    expect(readFileSync(file, 'utf8')).toBe(`${PASSWORD}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('at a terminal: shown on it, outside the log, and no file is written', async () => {
    const dir = path.join(tmp, 'first-password-tty');
    mkdirSync(dir);
    const { logLines, otherLines } = announce(dir, true);
    expect(logLines.length).toBeGreaterThan(0);
    expect(JSON.stringify(logLines)).not.toContain(PASSWORD);
    expect(otherLines.some((l) => l.includes(PASSWORD))).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });
});
