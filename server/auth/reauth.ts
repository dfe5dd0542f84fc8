import { db } from '../db';
import { AppError } from '../errors';
import { verifyPassword } from './password';

// "Sudo" for the console's most sensitive reads (a key's whole token): the person proved who they are in
// this browser session within the last few minutes, by signing in or by typing their password again.

export const REAUTH_WINDOW_MS = 10 * 60 * 1000;

/** Passes when the session proved its person within the window; otherwise reauthentication_required. */
export async function assertRecentlyConfirmed(sessionId: string, now = new Date()): Promise<void> {
  const session = await db.userSession.findFirst({
    where: { id: sessionId, endedAt: null },
    select: { confirmedAt: true, user: { select: { passwordHash: true } } },
  });
  if (session && now.getTime() - session.confirmedAt.getTime() <= REAUTH_WINDOW_MS) return;
  const sso = session ? !session.user.passwordHash.startsWith('scrypt$') : false;
  throw new AppError(
    'reauthentication_required',
    sso
      ? 'Your account signs in with single sign-on: sign out and sign in again, then you have 10 minutes to see or copy tokens.'
      : 'Type your password again to see or copy a token (asked once every 10 minutes).',
    { extra: { sso } },
  );
}

/** The password typed again: when right, the session may see tokens for the next 10 minutes. */
export async function confirmPassword(sessionId: string, userId: string, password: string): Promise<void> {
  const session = await db.userSession.findFirst({
    where: { id: sessionId, userId, endedAt: null },
    select: { user: { select: { passwordHash: true } } },
  });
  if (!session) throw new AppError('unauthenticated', 'Your session has ended: sign in again.');
  const hash = session.user.passwordHash;
  if (!hash.startsWith('scrypt$'))
    throw new AppError(
      'reauthentication_required',
      'Your account signs in with single sign-on and has no password: sign out and sign in again instead.',
      { extra: { sso: true } },
    );
  if (!(await verifyPassword(password, hash)))
    throw new AppError('validation_failed', 'That is not your password. Try again.', {
      errors: [{ path: 'password', message: 'That is not your password' }],
    });
  await db.userSession.update({ where: { id: sessionId }, data: { confirmedAt: new Date() } });
}
