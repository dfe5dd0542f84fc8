import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { authSecret } from './secret';

// A browser that signed in before carries a device cookie: the account's id and a random device id,
// signed with a key derived from the session secret. Sign-in attempts that bring a valid one for the
// account they name are counted per device, apart from strangers' attempts, so a guesser slowing an
// account down never slows the owner's own browser (OWASP's "device cookies").
export const DEVICE_COOKIE = 'etl-device';
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

function key(): Buffer {
  const secret = authSecret();
  if (!secret) throw new Error('NEXTAUTH_SECRET is not set');
  return createHmac('sha256', secret).update('etl-mgr device cookie v1').digest();
}

const sign = (body: string) => createHmac('sha256', key()).update(body).digest('base64url');

/** A new device cookie's value for the account. */
export function issueDeviceCookie(userId: string): string {
  const body = `${Buffer.from(userId).toString('base64url')}.${randomBytes(16).toString('base64url')}`;
  return `${body}.${sign(body)}`;
}

/** The device id of a cookie signed by this installation for this account; null for anything else. */
export function knownDevice(value: string | null | undefined, userId: string): string | null {
  if (!value || value.length > 300) return null;
  const [user, device, signature, ...rest] = value.split('.');
  if (!user || !device || !signature || rest.length > 0) return null;
  const expected = Buffer.from(sign(`${user}.${device}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return Buffer.from(user, 'base64url').toString() === userId ? device : null;
}

/** The cookie's attributes: HttpOnly, Lax, long-lived, Secure when the public URL is https. */
export function deviceCookieOptions(secure: boolean) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    path: '/',
    maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
  };
}

/** The device cookie among a Cookie header's, or null. */
export function deviceCookieFrom(cookieHeader: string | null | undefined): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === DEVICE_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}
