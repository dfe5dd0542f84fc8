import { normaliseEmail } from '../../lib/email';
import { db } from '../db';
import { hashPassword, verifyPassword } from './password';
import { signInSchema } from '@/lib/validations/auth';
import {
  clearSignInAttempt,
  reserveSignInAttempt,
  signInCounters,
  TOO_MANY_ATTEMPTS,
} from './sign-in-throttle';
import { processWide } from '../runtime/process-wide';
import { issueDeviceCookie, knownDevice } from './device-cookie';

export interface SignedInUser {
  id: string;
  email: string;
  name: string | null;
}

/** A signed-in user and the device cookie their browser keeps from now on. */
export interface PasswordSignIn extends SignedInUser {
  deviceCookie: string;
}

export class TooManyAttempts extends Error {
  constructor(readonly retryAfterMs: number) {
    super(TOO_MANY_ATTEMPTS);
  }
}

// Checked when no such user exists, so an unknown email costs the same scrypt time as a wrong password.
const dummy = processWide('sign-in-dummy-hash', () => ({ hash: undefined as Promise<string> | undefined }));

/**
 * The user for an email and password, or null: one answer for "no such user" and "wrong password".
 * The email is normalised and looked up by equality (never a pattern). Failures count against the
 * browser's device when it brings a device cookie of this account, else against the account and the
 * client address (counted before the check, so parallel guesses cannot slip through); while a counter
 * must wait, throws TooManyAttempts without checking. A success hands out a new device cookie.
 */
export async function signInWithPassword(
  input: unknown,
  address: string | null,
  deviceCookie: string | null = null,
): Promise<PasswordSignIn | null> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const email = normaliseEmail(parsed.data.email);
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  const device = user ? knownDevice(deviceCookie, user.id) : null;
  const counters = signInCounters(user?.id ?? email, address, device);
  const wait = await reserveSignInAttempt(counters);
  if (wait > 0) throw new TooManyAttempts(wait);

  const ok = await verifyPassword(
    parsed.data.password,
    user?.passwordHash ?? (await (dummy.hash ??= hashPassword('not-a-real-password'))),
  );
  if (!user || !ok) return null;
  await clearSignInAttempt(counters);
  return { id: user.id, email: user.email, name: user.name, deviceCookie: issueDeviceCookie(user.id) };
}
