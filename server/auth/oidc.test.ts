// Integration: the SSO sign-in decision against a real embedded Postgres.
import type { Account, User } from 'next-auth';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KeyTestWorld } from '../keys/test-support';

let world: KeyTestWorld;
let link: (typeof import('./oidc'))['linkOidcSignIn'];
const ISSUER = 'https://idp.example.test';
let subs = 0;
const attempt = (email: string | undefined, verified: unknown = true, sub = `sub-${++subs}`) => {
  const user = { id: sub, email } as User;
  const account = { provider: 'oidc', type: 'oauth', providerAccountId: sub } as Account;
  return link({ user, account, profile: { sub, email, email_verified: verified } as never }).then(
    (result) => ({ result, user }),
  );
};
/** A member whose account has no password (made for single sign-on by the operator, say). */
async function ssoMember(role: 'viewer' | 'editor' | 'admin' = 'editor') {
  const member = await world.member(role);
  await world.db.user.update({
    where: { id: member.userId },
    data: { passwordHash: 'sso-only', emailVerifiedAt: new Date() },
  });
  return member;
}

beforeAll(async () => {
  process.env.OIDC_ISSUER = ISSUER;
  process.env.OIDC_CLIENT_ID = 'etl';
  world = await (await import('../keys/test-support')).startKeyTestWorld();
  link = (await import('./oidc')).linkOidcSignIn;
});
afterAll(async () => {
  delete process.env.OIDC_ALLOW_SIGNUP;
  delete process.env.OIDC_ISSUER;
  delete process.env.OIDC_CLIENT_ID;
  await world?.stop();
});

describe('linkOidcSignIn', () => {
  test('a verified email with an account without a password signs in as that account (any case), and binds it', async () => {
    const member = await ssoMember();
    const { result, user } = await attempt(member.email.toUpperCase(), true, 'sub-first');
    expect(result).toBe(true);
    expect(user.id).toBe(member.userId);
    expect(await world.db.user.findUniqueOrThrow({ where: { id: member.userId } })).toMatchObject({
      oidcIssuer: ISSUER,
      oidcSubject: 'sub-first',
    });
  });

  test('an unverified email, or none, is turned away; "true" as a string is not verified', async () => {
    const member = await ssoMember('viewer');
    for (const verified of [false, 'false', 'true', 1, null])
      expect((await attempt(member.email, verified)).result, String(verified)).toBe(
        '/login/not-invited?reason=unverified',
      );
    expect((await attempt(undefined)).result).toBe('/login/not-invited?reason=unverified');
  });

  test('pre-hijack: an SSO identity is never linked into an account that has a password', async () => {
    // Someone chose a password for the victim's address before the victim ever signed in.
    const { hashPassword } = await import('./password');
    const taken = await world.db.user.create({
      data: { email: 'victim@bigcorp.test', passwordHash: await hashPassword('attackers-password') },
    });
    const { result, user } = await attempt('victim@bigcorp.test');
    expect(result).toBe('/login/not-invited?reason=password');
    expect(user.id).not.toBe(taken.id);
    expect((await world.db.user.findUniqueOrThrow({ where: { id: taken.id } })).oidcSubject).toBeNull();
  });

  test('bound to its subject: another subject with the same email is refused; the bound one signs in after an email change', async () => {
    const member = await ssoMember();
    expect((await attempt(member.email, true, 'alice-sub')).result).toBe(true);
    const other = await attempt(member.email, true, 'mallory-sub');
    expect(other.result).toBe('/login/not-invited?reason=subject');
    expect(other.user.id).not.toBe(member.userId);
    const renamed = await attempt('alice.new@else.test', true, 'alice-sub');
    expect(renamed.result).toBe(true);
    expect(renamed.user.id).toBe(member.userId);
  });

  test('an email is matched exactly: a wildcard spelling of a member is not that member', async () => {
    const member = await ssoMember();
    const wildcard = member.email.replace('-', '_');
    expect(wildcard).not.toBe(member.email);
    const { result, user } = await attempt(wildcard);
    expect(result).toBe('/login/not-invited');
    expect(user.id).not.toBe(member.userId);
  });

  test('a pending invitation lets a new person in: a proven address bound to its subject, the invitation still to accept', async () => {
    const inviter = await world.member('admin');
    const { inviteMember } = await import('../members/invitations');
    await inviteMember(inviter, { email: 'Invited.Person@else.test', role: 'viewer' }, 'http://localhost');
    const { result, user } = await attempt('invited.person@else.test', true, 'invited-sub');
    expect(result).toBe(true);
    const created = await world.db.user.findUniqueOrThrow({
      where: { id: user.id },
      include: { memberships: true },
    });
    expect(created).toMatchObject({ email: 'invited.person@else.test', oidcSubject: 'invited-sub' });
    expect(created.emailVerifiedAt).not.toBeNull();
    expect(created.memberships).toEqual([]);
  });

  test('anyone else is turned away without an account', async () => {
    expect((await attempt('nobody@else.test')).result).toBe('/login/not-invited');
    expect(await world.db.user.count({ where: { email: 'nobody@else.test' } })).toBe(0);
  });

  test('OIDC_ALLOW_SIGNUP joins a new person as viewer of that organisation, with no usable password', async () => {
    process.env.OIDC_ALLOW_SIGNUP = 'beta';
    const { result, user } = await attempt('New.Person@else.test');
    expect(result).toBe(true);
    const created = await world.db.user.findUniqueOrThrow({
      where: { id: user.id },
      include: { memberships: { include: { org: true } } },
    });
    expect(created.email).toBe('new.person@else.test');
    expect(created.emailVerifiedAt).not.toBeNull();
    expect(created.memberships.map((m) => [m.org.slug, m.role])).toEqual([['beta', 'viewer']]);
    const { verifyPassword } = await import('./password');
    expect(await verifyPassword('sso-only', created.passwordHash)).toBe(false);
    process.env.OIDC_ALLOW_SIGNUP = 'no-such-org';
    expect((await attempt('other@else.test')).result).toBe('/login/not-invited');
  });

  test('password sign-ins pass through', async () => {
    expect(
      await link({
        user: { id: 'x' } as User,
        account: { provider: 'credentials', type: 'credentials', providerAccountId: 'x' } as Account,
      }),
    ).toBe(true);
  });
});
