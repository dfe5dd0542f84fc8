// Integration tests of accounts and tenancy against a real Postgres: sessions that end, keys that follow
// their owner's membership, invitations, several organisations per person.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { UserActor } from '../auth/actor';
import { applyMigrations } from '../db/migrate';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../runtime/embedded-postgres';

let dir: string;
let database: EmbeddedDatabase;
let m: typeof import('../db');
let sessions: typeof import('../auth/user-session');
let passwords: typeof import('../auth/change-password');
let hashPassword: typeof import('../auth/password')['hashPassword'];
const orgs: Record<string, { id: string; slug: string }> = {};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tenancy-test-'));
  database = await startEmbeddedPostgres(dir);
  await applyMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  process.env.DATA_DIR = dir;
  process.env.API_KEY_SECRETS = `test:${randomBytes(32).toString('base64')}`;
  m = await import('../db');
  sessions = await import('../auth/user-session');
  passwords = await import('../auth/change-password');
  ({ hashPassword } = await import('../auth/password'));
  for (const slug of ['acme', 'bravo']) orgs[slug] = await m.db.organization.create({ data: { slug, name: slug.toUpperCase() } });
});
afterAll(async () => {
  const { stopKeyCache } = await import('../keys/key-cache');
  await stopKeyCache();
  await m?.db.$disconnect();
  await m?.pool.end();
  await database?.stop();
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function person(role: UserActor['role'], org = 'acme', email = `${role}-${++n}@${org}.test`, password = 'a-long-password-1'): Promise<UserActor> {
  const user = await m.db.user.upsert({ where: { email }, create: { email, name: null, passwordHash: await hashPassword(password) }, update: {} });
  await m.db.membership.create({ data: { orgId: orgs[org].id, userId: user.id, role } });
  return { kind: 'user', userId: user.id, email, name: email, orgId: orgs[org].id, orgSlug: org, role, ip: '127.0.0.1' };
}

describe('sessions that end', () => {
  test('a session ended by sign-out is no longer open; other sessions of the user are', async () => {
    const ada = await person('editor');
    const [a, b] = [await sessions.startSession(ada.userId), await sessions.startSession(ada.userId)];
    expect(await sessions.openSession(a, ada.userId)).toMatchObject({ id: a, orgId: orgs.acme.id });
    await sessions.endSession(a);
    expect(await sessions.openSession(a, ada.userId)).toBeNull();
    expect(await sessions.openSession(b, ada.userId)).not.toBeNull();
    // Another user's cookie cannot name this session either.
    const eve = await person('viewer');
    expect(await sessions.openSession(b, eve.userId)).toBeNull();
  });

  test('a password change needs the current password and ends every other session', async () => {
    const ada = await person('editor', 'acme', undefined, 'old-password-123');
    const [here, there] = [await sessions.startSession(ada.userId), await sessions.startSession(ada.userId)];
    await expect(passwords.changePassword(ada.userId, here, { currentPassword: 'wrong', newPassword: 'new-password-1234', confirmPassword: 'new-password-1234' })).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await passwords.changePassword(ada.userId, here, { currentPassword: 'old-password-123', newPassword: 'new-password-1234', confirmPassword: 'new-password-1234' })).toEqual({ endedSessions: 1 });
    expect(await sessions.openSession(here, ada.userId)).not.toBeNull();
    expect(await sessions.openSession(there, ada.userId)).toBeNull();
    expect(await sessions.endUserSessions(ada.userId)).toBe(1);
  });
});
