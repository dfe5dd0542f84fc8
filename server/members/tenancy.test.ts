// Integration tests of accounts and tenancy against a real Postgres: sessions that end, keys that follow
// their owner's membership, invitations, several organisations per person.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { UserActor } from '../auth/actor';
import { applyMigrations } from '../db/migrate';
import { lastTokenTo } from '../email/test-support';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../runtime/embedded-postgres';

let dir: string;
let database: EmbeddedDatabase;
let m: typeof import('../db');
let sessions: typeof import('../auth/user-session');
let passwords: typeof import('../auth/change-password');
let hashPassword: (typeof import('../auth/password'))['hashPassword'];
const orgs: Record<string, { id: string; slug: string }> = {};
const ORIGIN = 'http://localhost:3000';

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
  for (const slug of ['acme', 'bravo'])
    orgs[slug] = await m.db.organization.create({ data: { slug, name: slug.toUpperCase() } });
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
async function person(
  role: UserActor['role'],
  org = 'acme',
  email = `${role}-${++n}@${org}.test`,
  password = 'a-long-password-1',
): Promise<UserActor> {
  const user = await m.db.user.upsert({
    where: { email },
    create: { email, name: null, passwordHash: await hashPassword(password), emailVerifiedAt: new Date() },
    update: {},
  });
  await m.db.membership.create({ data: { orgId: orgs[org].id, userId: user.id, role } });
  return {
    kind: 'user',
    userId: user.id,
    email,
    name: email,
    orgId: orgs[org].id,
    orgSlug: org,
    role,
    ip: '127.0.0.1',
  };
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
    await expect(
      passwords.changePassword(ada.userId, here, {
        currentPassword: 'wrong',
        newPassword: 'new-password-1234',
        confirmPassword: 'new-password-1234',
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    expect(
      await passwords.changePassword(ada.userId, here, {
        currentPassword: 'old-password-123',
        newPassword: 'new-password-1234',
        confirmPassword: 'new-password-1234',
      }),
    ).toEqual({ endedSessions: 1 });
    expect(await sessions.openSession(here, ada.userId)).not.toBeNull();
    expect(await sessions.openSession(there, ada.userId)).toBeNull();
    expect(await sessions.endUserSessions(ada.userId)).toBe(1);
  });
});

describe('keys follow their owner', () => {
  const keyInput = (name = 'pipeline') => ({
    name,
    selector: 'ci',
    description: '',
    type: 'functional' as const,
    expires: 'never' as const,
    expiresAt: '',
    jobScope: 'all' as const,
    jobIds: [],
    fields: [],
    rateLimit: null,
  });
  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (e: { code?: string }) => e.code ?? String(e),
    );
  const eventually = async (check: () => Promise<string>, want: string) => {
    const until = Date.now() + 1000;
    let got = await check();
    while (got !== want && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 25));
      got = await check();
    }
    return got;
  };

  test('an editor demoted to viewer: the key is refused within a second (cached or not), the token hidden, revoking still allowed', async () => {
    const { createApiKey } = await import('../keys/create-key');
    const { authenticateApiKey } = await import('../keys/authenticate-key');
    const { changeMemberRole } = await import('./change-role');
    const { revealApiKey } = await import('../keys/reveal-key');
    const { revokeApiKey } = await import('../keys/revoke-key');
    const { feedUp } = await import('../db/change-feed');
    const owner = await person('owner');
    const editor = await person('editor');
    const { id, token } = await createApiKey(editor, keyInput());
    const use = () => codeOf(authenticateApiKey(token, null));
    while (!feedUp()) await new Promise((r) => setTimeout(r, 20));
    expect(await use()).toBe('ok'); // now cached on this instance
    expect(await use()).toBe('ok');

    await changeMemberRole(owner, { userId: editor.userId, role: 'viewer' });
    expect(await eventually(use, 'api_key_owner_inactive')).toBe('api_key_owner_inactive');
    const viewer = { ...editor, role: 'viewer' as const };
    expect(await codeOf(revealApiKey(viewer, id))).toBe('forbidden');
    await changeMemberRole(owner, { userId: editor.userId, role: 'editor' });
    expect(await eventually(use, 'ok')).toBe('ok');
    await changeMemberRole(owner, { userId: editor.userId, role: 'viewer' });
    expect(await revokeApiKey(viewer, id)).toEqual({ alreadyRevoked: false });
    expect(await use()).toBe('api_key_revoked');
  });

  test('a removed member’s key is refused within a second, even when changed by plain SQL', async () => {
    const { createApiKey } = await import('../keys/create-key');
    const { authenticateApiKey } = await import('../keys/authenticate-key');
    const editor = await person('editor');
    const { token } = await createApiKey(editor, keyInput());
    const use = () => codeOf(authenticateApiKey(token, null));
    expect(await use()).toBe('ok');
    await m.pool.query('delete from "Membership" where "userId" = $1', [editor.userId]);
    expect(await eventually(use, 'api_key_owner_inactive')).toBe('api_key_owner_inactive');
  });

  test('editors create a limited number of keys an hour; admins are not limited', async () => {
    const { createApiKey, EDITOR_KEYS_PER_HOUR } = await import('../keys/create-key');
    const editor = await person('editor');
    const admin = await person('admin');
    for (let i = 0; i < EDITOR_KEYS_PER_HOUR; i++) await createApiKey(editor, keyInput(`k${i}`));
    await expect(createApiKey(editor, keyInput('one-too-many'))).rejects.toMatchObject({
      code: 'rate_limited',
      headers: { 'Retry-After': expect.any(String) },
    });
    for (let i = 0; i <= EDITOR_KEYS_PER_HOUR; i++) await createApiKey(admin, keyInput(`a${i}`));
  });
});

describe('invitations and several organisations', () => {
  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (e: { code?: string }) => e.code ?? String(e),
    );

  test('own__@acme.test is nobody but itself: the answer is the same as for a stranger, and acme’s owner cannot take it', async () => {
    const { inviteMember } = await import('./invitations');
    const { acceptInvitation } = await import('./accept-invitation');
    const acmeOwner = await person('owner', 'acme', 'own@acme.test');
    const bravoAdmin = await person('admin', 'bravo');
    await m.db.user.update({ where: { id: acmeOwner.userId }, data: { emailVerifiedAt: new Date() } });
    const answers = [
      await inviteMember(bravoAdmin, { email: 'own__@acme.test', role: 'editor' }, ORIGIN),
      await inviteMember(bravoAdmin, { email: 'nobody-at-all@acme.test', role: 'editor' }, ORIGIN),
      await inviteMember(bravoAdmin, { email: 'OWN@acme.test', role: 'editor' }, ORIGIN),
    ];
    for (const answer of answers) expect(Object.keys(answer).sort()).toEqual(['expiresAt', 'id']);
    const wildcard = { token: await lastTokenTo(dir, 'own__@acme.test', 'invite') };
    const existing = { token: await lastTokenTo(dir, 'own@acme.test', 'invite') };
    expect(
      await codeOf(
        acceptInvitation({ id: acmeOwner.userId, email: acmeOwner.email }, { token: wildcard.token }),
      ),
    ).toBe('forbidden');
    expect(await m.db.membership.count({ where: { orgId: orgs.bravo.id, userId: acmeOwner.userId } })).toBe(
      0,
    );
    // The invitation addressed to them, accepted by them, once.
    expect(
      await acceptInvitation({ id: acmeOwner.userId, email: acmeOwner.email }, { token: existing.token }),
    ).toEqual({ orgId: orgs.bravo.id });
    expect(
      await m.db.membership.findFirst({
        where: { orgId: orgs.bravo.id, userId: acmeOwner.userId },
        select: { role: true },
      }),
    ).toEqual({ role: 'editor' });
    expect(
      await codeOf(
        acceptInvitation({ id: acmeOwner.userId, email: acmeOwner.email }, { token: existing.token }),
      ),
    ).toBe('conflict');
  });

  test('someone new sets a password; an existing account must sign in; revoked and expired links are dead', async () => {
    const { inviteMember, revokeInvitation, listPendingInvitations } = await import('./invitations');
    const { acceptInvitationAsNewUser, invitationByToken } = await import('./accept-invitation');
    const admin = await person('admin', 'bravo');
    const password = { name: 'Nova', password: 'nova-password-123', confirmPassword: 'nova-password-123' };
    await inviteMember(admin, { email: 'nova@new.test', role: 'viewer' }, ORIGIN);
    const fresh = { token: await lastTokenTo(dir, 'nova@new.test', 'invite') };
    expect((await listPendingInvitations(admin)).map((i) => i.email)).toContain('nova@new.test');
    expect(await acceptInvitationAsNewUser(fresh.token, password)).toEqual({
      email: 'nova@new.test',
      orgId: orgs.bravo.id,
    });
    expect((await invitationByToken(fresh.token))?.state).toBe('accepted');
    expect(await codeOf(acceptInvitationAsNewUser(fresh.token, password))).toBe('conflict');

    await inviteMember(admin, { email: 'nova2@new.test', role: 'viewer' }, ORIGIN);
    const taken = { token: await lastTokenTo(dir, 'nova2@new.test', 'invite') };
    await m.db.user.create({ data: { email: 'nova2@new.test', passwordHash: 'x' } });
    expect(await codeOf(acceptInvitationAsNewUser(taken.token, password))).toBe('conflict');
    expect((await invitationByToken(taken.token))?.state).toBe('pending');

    const revoked = {
      ...(await inviteMember(admin, { email: 'nova3@new.test', role: 'viewer' }, ORIGIN)),
      token: await lastTokenTo(dir, 'nova3@new.test', 'invite'),
    };
    await revokeInvitation(admin, revoked.id);
    expect(await codeOf(acceptInvitationAsNewUser(revoked.token, password))).toBe('conflict');
    const expired = {
      ...(await inviteMember(admin, { email: 'nova4@new.test', role: 'viewer' }, ORIGIN)),
      token: await lastTokenTo(dir, 'nova4@new.test', 'invite'),
    };
    await m.db.invitation.update({
      where: { id: expired.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await codeOf(acceptInvitationAsNewUser(expired.token, password))).toBe('conflict');
    expect(await invitationByToken('not-a-token')).toBeNull();
  });

  test('who may invite whom', async () => {
    const { inviteMember } = await import('./invitations');
    const admin = await person('admin', 'bravo');
    const editor = await person('editor', 'bravo');
    expect(await codeOf(inviteMember(editor, { email: 'x@new.test', role: 'viewer' }, ORIGIN))).toBe(
      'forbidden',
    );
    expect(await codeOf(inviteMember(admin, { email: 'x@new.test', role: 'owner' }, ORIGIN))).toBe(
      'forbidden',
    );
    expect(await codeOf(inviteMember(admin, { email: editor.email, role: 'viewer' }, ORIGIN))).toBe(
      'conflict',
    );
    expect(
      await codeOf(
        inviteMember(
          { kind: 'system', orgId: orgs.bravo.id, orgSlug: 'bravo' },
          { email: 'x@new.test', role: 'owner' },
          ORIGIN,
        ),
      ),
    ).toBe('ok');
  });

  test('members are removed or leave; an organisation always keeps an owner', async () => {
    const { removeMember } = await import('./remove-member');
    const { createOrganization, switchOrganization } = await import('./organizations');
    const founder = await person('viewer', 'acme');
    process.env.ORG_CREATION = 'members';
    const org = await createOrganization(
      { id: founder.userId, email: founder.email },
      { name: 'Charlie', slug: `charlie-${n}` },
    );
    const owner: UserActor = { ...founder, orgId: org.id, orgSlug: org.slug, role: 'owner' };
    const admin = await person('viewer', 'acme');
    await m.db.membership.create({ data: { orgId: org.id, userId: admin.userId, role: 'admin' } });
    const adminHere: UserActor = { ...admin, orgId: org.id, orgSlug: org.slug, role: 'admin' };
    expect(await codeOf(removeMember(owner, owner.userId))).toBe('conflict'); // the last owner cannot leave
    expect(await codeOf(removeMember(adminHere, owner.userId))).toBe('forbidden'); // admins do not remove owners
    expect(
      await codeOf(
        createOrganization({ id: founder.userId, email: founder.email }, { name: 'Again', slug: org.slug }),
      ),
    ).toBe('conflict');

    const session = await sessions.startSession(admin.userId);
    await switchOrganization({ sessionId: session, userId: admin.userId }, org.id);
    expect((await sessions.openSession(session, admin.userId))?.orgId).toBe(org.id);
    expect(
      await codeOf(switchOrganization({ sessionId: session, userId: admin.userId }, orgs.bravo.id)),
    ).toBe('not_found');
    await removeMember(adminHere, adminHere.userId); // leaves
    expect(await m.db.membership.count({ where: { orgId: org.id } })).toBe(1);
    const events = await m.db.auditEvent.findMany({ where: { orgId: org.id }, select: { action: true } });
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['org.created', 'member.left']));
  });
});
