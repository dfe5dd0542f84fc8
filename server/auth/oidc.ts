// Single sign-on through the company's OpenID Connect provider (next-auth's OAuth provider with
// discovery, PKCE, state and the ID token checked). Nobody gets an account by signing in: the first
// sign-in links a verified email to the account that already exists for it; anyone else is sent to a
// page that says to ask an admin for an invitation, unless OIDC_ALLOW_SIGNUP names the organisation they
// join as viewers.
import type { Account, NextAuthOptions, Profile, User } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { recordAudit } from '../audit/record';
import { db } from '../db';
import { logger } from '../observability/logger';
import { normaliseEmail } from '../../lib/email';

export const OIDC_PROVIDER_ID = 'oidc';
/** Where a person without an account is sent (no account is made). */
export const NOT_INVITED_PATH = '/login/not-invited';
/** A password hash that no password matches: accounts made by sign-up sign in through SSO only. */
export const NO_PASSWORD = 'sso-only';

interface OidcProfile extends Profile {
  sub: string;
  email?: string;
  email_verified?: unknown;
  name?: string;
  preferred_username?: string;
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
}

/** The provider's settings from the environment, or null when single sign-on is not configured. */
export function oidcSettings(env: NodeJS.ProcessEnv = process.env): OidcSettings | null {
  const issuer = env.OIDC_ISSUER?.trim().replace(/\/+$/, '');
  if (!issuer || !env.OIDC_CLIENT_ID) return null;
  return {
    issuer,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET ?? '',
    name: env.OIDC_NAME?.trim() || 'single sign-on',
  };
}

/**
 * Whether the email-and-password form is offered: PASSWORD_SIGN_IN=false turns it off, but only when
 * single sign-on is configured (otherwise nobody could sign in at all).
 */
export function passwordSignInEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    !['false', 'off', '0', 'no'].includes((env.PASSWORD_SIGN_IN ?? 'true').toLowerCase()) ||
    !oidcSettings(env)
  );
}

export function oidcProvider(settings: OidcSettings): OAuthConfig<OidcProfile> {
  return {
    id: OIDC_PROVIDER_ID,
    name: settings.name,
    type: 'oauth',
    wellKnown: `${settings.issuer}/.well-known/openid-configuration`,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    authorization: { params: { scope: 'openid email profile' } },
    checks: ['pkce', 'state', 'nonce'],
    idToken: true,
    profile: (profile) => ({
      id: profile.sub,
      email: profile.email ?? null,
      name: profile.name ?? profile.preferred_username ?? null,
    }),
  };
}

/**
 * next-auth's signIn callback for SSO: true with `user.id` set to the linked account's id (the session
 * carries it), or the path of the page that says why not. Credentials sign-ins pass through unchanged.
 *
 * An SSO identity is (issuer, subject). The account bound to it signs in, whatever email the provider
 * says now. Otherwise the email (verified: `email_verified === true`, a boolean) finds an account, which
 * is bound at this first sign-in only when it has no password and no other identity: an account with a
 * password may belong to someone else who chose it for this address, and a bound one to another subject.
 */
export async function linkOidcSignIn(params: {
  user: User;
  account: Account | null;
  profile?: Profile;
}): Promise<boolean | string> {
  if (params.account?.provider !== OIDC_PROVIDER_ID) return true;
  const profile = params.profile as OidcProfile | undefined;
  const issuer = oidcSettings()?.issuer ?? '';
  const subject = profile?.sub;
  const email = profile?.email?.trim().toLowerCase();
  const log = logger().child({ provider: OIDC_PROVIDER_ID, sub: subject });
  const signInAs = (user: { id: string; email: string; name: string | null }) => {
    Object.assign(params.user, { id: user.id, email: user.email, name: user.name });
    return true;
  };
  const SELECT = { id: true, email: true, name: true, passwordHash: true, oidcSubject: true } as const;
  if (!subject) return `${NOT_INVITED_PATH}?reason=unverified`;
  const bound = await db.user.findUnique({
    where: { oidcIssuer_oidcSubject: { oidcIssuer: issuer, oidcSubject: subject } },
    select: SELECT,
  });
  if (bound) return signInAs(bound);

  if (!email || profile?.email_verified !== true) {
    log.info('SSO sign-in refused: no verified email');
    return `${NOT_INVITED_PATH}?reason=unverified`;
  }
  // Emails are stored normalised: equality, never a pattern (ILIKE would treat `_` as a wildcard).
  const existing = await db.user.findUnique({ where: { email: normaliseEmail(email) }, select: SELECT });
  if (existing) {
    if (existing.oidcSubject !== null) {
      log.warn('SSO sign-in refused: the account is bound to another subject');
      return `${NOT_INVITED_PATH}?reason=subject`;
    }
    if (existing.passwordHash !== NO_PASSWORD) {
      log.info('SSO sign-in refused: the account has a password and no SSO identity yet');
      return `${NOT_INVITED_PATH}?reason=password`;
    }
    // The first link: the provider verified the address, and nobody holds a password for it.
    const linked = await db.user.updateMany({
      where: { id: existing.id, oidcSubject: null },
      data: { oidcIssuer: issuer, oidcSubject: subject, emailVerifiedAt: new Date() },
    });
    if (linked.count !== 1) return `${NOT_INVITED_PATH}?reason=subject`;
    return signInAs(existing);
  }
  const user = await signUp(email, profile?.name ?? null, { issuer, subject });
  if (!user) {
    log.info('SSO sign-in refused: no account for this email');
    return NOT_INVITED_PATH;
  }
  return signInAs(user);
}

/** A new account: for a pending invitation, or with OIDC_ALLOW_SIGNUP=<org slug> as viewer there. */
async function signUp(email: string, name: string | null, identity: { issuer: string; subject: string }) {
  // The provider verified the address: the account is proven and bound to this identity.
  const proven = {
    passwordHash: NO_PASSWORD,
    emailVerifiedAt: new Date(),
    oidcIssuer: identity.issuer,
    oidcSubject: identity.subject,
  };
  // A pending invitation makes an account (without a password); the console then offers to accept it.
  const invited = await db.invitation.findFirst({
    where: { email: normaliseEmail(email), acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true },
  });
  if (invited)
    return db.user.create({
      data: { email: normaliseEmail(email), name, ...proven },
      select: { id: true, email: true, name: true },
    });
  const slug = process.env.OIDC_ALLOW_SIGNUP?.trim();
  if (!slug) return null;
  const org = await db.organization.findUnique({ where: { slug }, select: { id: true } });
  if (!org) {
    logger().error({ slug }, 'OIDC_ALLOW_SIGNUP names no organisation');
    return null;
  }
  return db.$transaction(async (tx) => {
    const user = await tx.user.create({
      data: { email: normaliseEmail(email), name, ...proven },
      select: { id: true, email: true, name: true },
    });
    await tx.membership.create({ data: { orgId: org.id, userId: user.id, role: 'viewer' } });
    await recordAudit(
      {
        orgId: org.id,
        actor: `user:${user.id}`,
        actorName: email,
        action: 'member.joined_by_sso',
        target: `user:${user.id}`,
        details: { role: 'viewer' },
      },
      tx,
    );
    return user;
  });
}

/**
 * Adds single sign-on to next-auth's options when it is configured, drops the password provider when
 * PASSWORD_SIGN_IN=false, and sends next-auth's own messages through the product's (masked) log.
 */
export function withSingleSignOn(options: NextAuthOptions): NextAuthOptions {
  const settings = oidcSettings();
  if (!passwordSignInEnabled()) options.providers = options.providers.filter((p) => p.type !== 'credentials');
  if (settings) {
    options.providers.push(oidcProvider(settings));
    const signIn = options.callbacks?.signIn;
    options.callbacks = {
      ...options.callbacks,
      signIn: async (params) => {
        const linked = await linkOidcSignIn(params);
        return linked === true && signIn ? signIn(params) : linked;
      },
    };
  }
  options.logger = {
    error: (code, metadata) => logger().error({ code, metadata }, `next-auth: ${code}`),
    warn: (code) => logger().warn(`next-auth: ${code}`),
    debug: (code, metadata) => logger().debug({ code, metadata }, `next-auth: ${code}`),
  };
  return options;
}
