// Integration (real Postgres, mail to the outbox): an address is proven before it owns anything.
// Issue 23's account pre-hijacking through an invitation, and "Forgot password".
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { UserActor } from '../auth/actor';
import { applyMigrations } from '../db/migrate';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../runtime/embedded-postgres';

let dir: string;
let database: EmbeddedDatabase;
let m: typeof import('../db');
let hashPassword: (typeof import('../auth/password'))['hashPassword'];
const orgs: Record<string, { id: string; slug: string; name: string }> = {};
const ORIGIN = 'https://etl.example.test';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'proven-test-'));
  database = await startEmbeddedPostgres(dir);
  await applyMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  process.env.DATA_DIR = dir;
  process.env.API_KEY_SECRETS = `test:${randomBytes(32).toString('base64')}`;
  delete process.env.SMTP_URL;
  m = await import('../db');
  ({ hashPassword } = await import('../auth/password'));
  for (const slug of ['acme', 'evil'])
    orgs[slug] = await m.db.organization.create({ data: { slug, name: slug.toUpperCase() } });
});
afterAll(async () => {
  await m?.db.$disconnect();
  await m?.pool.end();
  await database?.stop();
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function person(role: UserActor['role'], org: string, verified = true): Promise<UserActor> {
  const email = `${role}-${++n}@${org}.test`;
  const user = await m.db.user.create({
    data: {
      email,
      passwordHash: await hashPassword('a-long-password-1'),
      emailVerifiedAt: verified ? new Date() : null,
    },
  });
  await m.db.membership.create({ data: { orgId: orgs[org].id, userId: user.id, role } });
  return { kind: 'user', userId: user.id, email, name: email, orgId: orgs[org].id, orgSlug: org, role };
}

/** The mails in the outbox addressed to `to`, oldest first, with quoted-printable soft breaks undone. */
async function mailsTo(to: string): Promise<string[]> {
  const folder = path.join(dir, 'outbox');
  const files = (await readdir(folder).catch(() => [] as string[])).sort();
  const texts = await Promise.all(files.map((f) => readFile(path.join(folder, f), 'utf8')));
  return texts
    .filter((t) => new RegExp(`^To: ${to.replace(/[.]/g, '\\.')}$`, 'm').test(t))
    .map((t) => t.replace(/=\r?\n/g, '').replace(/=3D/g, '='));
}
const linkIn = (mail: string, route: string) =>
  mail.match(new RegExp(`https?://[^\\s"<]*/${route}/[A-Za-z0-9_-]+`))?.[0];
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );

describe('pre-hijacking through an invitation', () => {
  test('an inviter never sees the link: the answer has none, whether or not an account exists; the mail has it', async () => {
    const { inviteMember } = await import('./invitations');
    const attacker = await person('admin', 'evil');
    await person('viewer', 'acme'); // an account that exists
    const existing = `viewer-${n}@acme.test`;
    const answers = [
      await inviteMember(attacker, { email: 'victim@bigcorp.test', role: 'viewer' }, ORIGIN),
      await inviteMember(attacker, { email: existing, role: 'viewer' }, ORIGIN),
    ];
    for (const answer of answers) expect(Object.keys(answer).sort()).toEqual(['expiresAt', 'id']);
    const [mail] = await mailsTo('victim@bigcorp.test');
    expect(linkIn(mail, 'invite')).toMatch(/^https:\/\/etl\.example\.test\/invite\//);
    expect(await mailsTo(existing)).toHaveLength(1);
  });

  test('an account whose address is not proven receives no membership; the mailed link proves it', async () => {
    const { inviteMember } = await import('./invitations');
    const { acceptInvitation, invitationsFor } = await import('./accept-invitation');
    // The attacker's account for the victim's address, made before addresses were proven.
    const victim = 'victim2@bigcorp.test';
    const taken = await m.db.user.create({
      data: { email: victim, passwordHash: await hashPassword('attackers-password') },
    });
    const acmeOwner = await person('owner', 'acme');
    const invitation = await inviteMember(acmeOwner, { email: victim, role: 'admin' }, ORIGIN);
    // Accepting from the banner (by id) is refused to the attacker's session; the banner says to open the mail.
    expect(await codeOf(acceptInvitation({ id: taken.id, email: victim }, { id: invitation.id }))).toBe(
      'forbidden',
    );
    expect(await invitationsFor(victim)).toHaveLength(1);
    expect(await m.db.membership.count({ where: { orgId: orgs.acme.id, userId: taken.id } })).toBe(0);
    // The victim's mailed link proves the address (and the account is then theirs to reset).
    const token = linkIn((await mailsTo(victim))[0], 'invite')!
      .split('/')
      .pop()!;
    expect(await acceptInvitation({ id: taken.id, email: victim }, { token })).toEqual({
      orgId: orgs.acme.id,
    });
    expect((await m.db.user.findUniqueOrThrow({ where: { id: taken.id } })).emailVerifiedAt).not.toBeNull();
  });

  test('someone new accepts from the mailed link: the account is made with a proven address', async () => {
    const { inviteMember } = await import('./invitations');
    const { acceptInvitationAsNewUser } = await import('./accept-invitation');
    const admin = await person('admin', 'acme');
    await inviteMember(admin, { email: 'nova@new.test', role: 'viewer' }, ORIGIN);
    const token = linkIn((await mailsTo('nova@new.test'))[0], 'invite')!
      .split('/')
      .pop()!;
    const password = { name: 'Nova', password: 'nova-password-123', confirmPassword: 'nova-password-123' };
    expect(await acceptInvitationAsNewUser(token, password)).toEqual({
      email: 'nova@new.test',
      orgId: orgs.acme.id,
    });
    const nova = await m.db.user.findUniqueOrThrow({ where: { email: 'nova@new.test' } });
    expect(nova.emailVerifiedAt).not.toBeNull();
  });
});

describe('forgot password', () => {
  test('the same answer for any address; a single-use link, stored as a digest, that proves the address and ends sessions', async () => {
    const { requestPasswordReset, resetPassword } = await import('../auth/password-reset');
    const { verifyPassword } = await import('../auth/password');
    const { startSession, openSession } = await import('../auth/user-session');
    const legacy = await m.db.user.create({
      data: { email: 'legacy@acme.test', passwordHash: await hashPassword('someone-elses-1') },
    });
    const session = await startSession(legacy.id);
    expect(await requestPasswordReset({ email: 'Legacy@acme.test' }, ORIGIN)).toBeUndefined();
    expect(await requestPasswordReset({ email: 'nobody@acme.test' }, ORIGIN)).toBeUndefined();
    expect(await mailsTo('nobody@acme.test')).toHaveLength(0);
    const link = linkIn((await mailsTo('legacy@acme.test'))[0], 'reset-password')!;
    const token = link.split('/').pop()!;
    const stored = await m.db.emailToken.findFirstOrThrow({ where: { userId: legacy.id } });
    expect(stored.digest).not.toContain(token);
    expect(stored.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(30 * 60 * 1000);

    const input = { password: 'my-own-password-1', confirmPassword: 'my-own-password-1' };
    expect(await resetPassword(token, input)).toEqual({ email: 'legacy@acme.test' });
    const after = await m.db.user.findUniqueOrThrow({ where: { id: legacy.id } });
    expect(await verifyPassword('my-own-password-1', after.passwordHash)).toBe(true);
    expect(after.emailVerifiedAt).not.toBeNull();
    expect(await openSession(session, legacy.id)).toBeNull();
    expect(await codeOf(resetPassword(token, input))).toBe('conflict');

    await requestPasswordReset({ email: 'legacy@acme.test' }, ORIGIN);
    const late = linkIn((await mailsTo('legacy@acme.test'))[1], 'reset-password')!
      .split('/')
      .pop()!;
    await m.db.emailToken.updateMany({
      where: { userId: legacy.id, usedAt: null },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    expect(await codeOf(resetPassword(late, input))).toBe('conflict');
  });
});
