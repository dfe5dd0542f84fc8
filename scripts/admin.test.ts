// The admin CLI as a real process against a real Postgres: it never keeps a stranger's password, takes
// passwords from stdin or a prompt only, and adds existing accounts or resets them only when asked.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { applyMigrations } from '../server/db/migrate';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../server/runtime/embedded-postgres';

let dir: string;
let database: EmbeddedDatabase;
let m: typeof import('../server/db');
let verifyPassword: (typeof import('../server/auth/password'))['verifyPassword'];
let hashPassword: (typeof import('../server/auth/password'))['hashPassword'];
const ROOT = path.resolve(__dirname, '..');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'admin-cli-test-'));
  database = await startEmbeddedPostgres(dir);
  await applyMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  process.env.DATA_DIR = dir;
  m = await import('../server/db');
  ({ verifyPassword, hashPassword } = await import('../server/auth/password'));
  await m.db.organization.create({ data: { slug: 'acme', name: 'Acme' } });
}, 60_000);
afterAll(async () => {
  await m?.db.$disconnect();
  await m?.pool.end();
  await database?.stop();
  await rm(dir, { recursive: true, force: true });
});

function cli(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/admin.ts', ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: database.url, DATA_DIR: dir, LOG_LEVEL: 'warn' } },
      (error, stdout, stderr) => resolve({ code: error ? ((error.code as number) ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin ?? '');
  });
}
const acmeId = async () => (await m.db.organization.findUniqueOrThrow({ where: { slug: 'acme' } })).id;

describe('user create', () => {
  test('pre-hijack: it fails on an existing account and never keeps or adds the stranger’s account', async () => {
    const taken = await m.db.user.create({
      data: { email: 'victim@bigcorp.test', passwordHash: await hashPassword('attackers-password') },
    });
    for (const args of [['--password', 'operators-password-1'], ['--password-stdin']]) {
      const run = await cli(
        ['user', 'create', 'victim@bigcorp.test', '--org', 'acme', '--role', 'admin', ...args],
        'operators-password-1\n',
      );
      expect(run.code, run.stderr).not.toBe(0);
    }
    expect(await m.db.membership.count({ where: { userId: taken.id } })).toBe(0);
    const after = await m.db.user.findUniqueOrThrow({ where: { id: taken.id } });
    expect(await verifyPassword('attackers-password', after.passwordHash)).toBe(true);
    const again = await cli(
      ['user', 'create', 'victim@bigcorp.test', '--org', 'acme', '--role', 'admin', '--password-stdin'],
      'operators-password-1\n',
    );
    expect(again.stderr).toMatch(/already has an account.*member add.*user reset-password/s);
  });

  test('a password is never taken from the command line; from stdin it makes a proven account', async () => {
    const argv = await cli([
      'user',
      'create',
      'ada@acme.test',
      '--org',
      'acme',
      '--role',
      'editor',
      '--password',
      'in-argv-12345',
    ]);
    expect(argv.code).not.toBe(0);
    expect(argv.stderr).toMatch(/--password-stdin/);
    expect(await m.db.user.count({ where: { email: 'ada@acme.test' } })).toBe(0);

    const made = await cli(
      ['user', 'create', 'Ada@acme.test', '--org', 'acme', '--role', 'editor', '--password-stdin'],
      'from-stdin-12345\n',
    );
    expect(made.code, made.stderr).toBe(0);
    const ada = await m.db.user.findUniqueOrThrow({
      where: { email: 'ada@acme.test' },
      include: { memberships: true },
    });
    expect(await verifyPassword('from-stdin-12345', ada.passwordHash)).toBe(true);
    expect(ada.emailVerifiedAt).not.toBeNull();
    expect(ada.memberships.map((x) => x.role)).toEqual(['editor']);
  });
});

describe('member add and user reset-password', () => {
  test('member add joins an existing account with a proven address, and refuses an unproven one', async () => {
    const proven = await m.db.user.create({
      data: { email: 'grace@else.test', passwordHash: 'x', emailVerifiedAt: new Date() },
    });
    const added = await cli(['member', 'add', '--org', 'acme', 'grace@else.test', '--role', 'viewer']);
    expect(added.code, added.stderr).toBe(0);
    expect(
      await m.db.membership.findFirst({ where: { userId: proven.id, orgId: await acmeId() } }),
    ).toMatchObject({
      role: 'viewer',
    });
    const refused = await cli(['member', 'add', '--org', 'acme', 'victim@bigcorp.test', '--role', 'viewer']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/not proven/);
    const missing = await cli(['member', 'add', '--org', 'acme', 'nobody@else.test', '--role', 'viewer']);
    expect(missing.code).not.toBe(0);
  });

  test('user reset-password sets the password from stdin, proves the address and ends the sessions', async () => {
    const { startSession, openSession } = await import('../server/auth/user-session');
    const victim = await m.db.user.findUniqueOrThrow({ where: { email: 'victim@bigcorp.test' } });
    const session = await startSession(victim.id);
    const reset = await cli(
      ['user', 'reset-password', 'victim@bigcorp.test', '--password-stdin'],
      'victims-own-12345\n',
    );
    expect(reset.code, reset.stderr).toBe(0);
    const after = await m.db.user.findUniqueOrThrow({ where: { id: victim.id } });
    expect(await verifyPassword('victims-own-12345', after.passwordHash)).toBe(true);
    expect(after.emailVerifiedAt).not.toBeNull();
    expect(await openSession(session, victim.id)).toBeNull();
  });
});

describe('org grants', () => {
  test('grant-commands and revoke-commands set and clear the organisation’s grant', async () => {
    const granted = await cli(['org', 'grant-commands', 'acme', '--role', 'owner']);
    expect(granted.code, granted.stderr).toBe(0);
    expect((await m.db.organization.findUniqueOrThrow({ where: { slug: 'acme' } })).commandJobsRole).toBe(
      'owner',
    );
    expect((await cli(['org', 'revoke-commands', 'acme'])).code).toBe(0);
    expect(
      (await m.db.organization.findUniqueOrThrow({ where: { slug: 'acme' } })).commandJobsRole,
    ).toBeNull();
  });
});
