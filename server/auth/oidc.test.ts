// Integration: the SSO sign-in decision against a real embedded Postgres.
import type { Account, User } from 'next-auth';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KeyTestWorld } from '../keys/test-support';

let world: KeyTestWorld;
let link: (typeof import('./oidc'))['linkOidcSignIn'];
const account = { provider: 'oidc', type: 'oauth', providerAccountId: 'sub-1' } as Account;
const attempt = (email: string | undefined, verified: unknown = true) => {
  const user = { id: 'sub-1', email } as User;
  return link({ user, account, profile: { sub: 'sub-1', email, email_verified: verified } as never }).then(
    (result) => ({ result, user }),
  );
};

beforeAll(async () => {
  world = await (await import('../keys/test-support')).startKeyTestWorld();
  link = (await import('./oidc')).linkOidcSignIn;
});
afterAll(async () => {
  delete process.env.OIDC_ALLOW_SIGNUP;
  await world?.stop();
});

describe('linkOidcSignIn', () => {
  test('a verified email with an account signs in as that account (any case)', async () => {
    const member = await world.member('editor');
    const { result, user } = await attempt(member.email.toUpperCase());
    expect(result).toBe(true);
    expect(user.id).toBe(member.userId);
  });

  test('an unverified email, or none, is turned away', async () => {
    const member = await world.member('viewer');
    expect((await attempt(member.email, false)).result).toBe('/login/not-invited?reason=unverified');
    expect((await attempt(member.email, 'false')).result).toBe('/login/not-invited?reason=unverified');
    expect((await attempt(undefined)).result).toBe('/login/not-invited?reason=unverified');
  });

  test('an email is matched exactly: a wildcard spelling of a member is not that member', async () => {
    const member = await world.member('editor');
    const wildcard = member.email.replace('-', '_');
    expect(wildcard).not.toBe(member.email);
    const { result, user } = await attempt(wildcard);
    expect(result).toBe('/login/not-invited');
    expect(user.id).not.toBe(member.userId);
  });

  test('a pending invitation lets a new person in: an account without a password, the invitation still to accept', async () => {
    const inviter = await world.member('admin');
    const { inviteMember } = await import('../members/invitations');
    await inviteMember(inviter, { email: 'Invited.Person@else.test', role: 'viewer' });
    const { result, user } = await attempt('invited.person@else.test');
    expect(result).toBe(true);
    const created = await world.db.user.findUniqueOrThrow({
      where: { id: user.id },
      include: { memberships: true },
    });
    expect(created.email).toBe('invited.person@else.test');
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
