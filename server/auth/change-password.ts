import { changePasswordSchema, type ChangePasswordInput } from '../../lib/validations/account';
import { db } from '../db';
import { AppError, fieldErrors } from '../errors';
import { hashPassword, verifyPassword } from './password';
import { endUserSessions } from './user-session';
import { clearSignInAttempt, passwordChangeCounters, reserveSignInAttempt } from './sign-in-throttle';

/**
 * Sets a new password after checking the current one, and ends every other session of the user. Attempts
 * count per account as sign-ins do (before the check, so parallel guesses cannot slip through): after a
 * few wrong current passwords the next must wait, growing to five minutes (429 with Retry-After).
 */
export async function changePassword(
  userId: string,
  sessionId: string,
  input: ChangePasswordInput,
): Promise<{ endedSessions: number }> {
  const parsed = changePasswordSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError('validation_failed', 'Check the highlighted fields', {
      errors: fieldErrors(parsed.error.issues),
    });
  const counters = passwordChangeCounters(userId);
  const wait = await reserveSignInAttempt(counters);
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000);
    throw new AppError('rate_limited', `Too many wrong current passwords: try again in ${seconds} s`, {
      headers: { 'Retry-After': String(seconds) },
    });
  }
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user || !(await verifyPassword(parsed.data.currentPassword, user.passwordHash))) {
    throw new AppError('validation_failed', 'The current password is not right', {
      errors: [{ path: 'currentPassword', message: 'This is not your current password' }],
    });
  }
  await clearSignInAttempt(counters);
  await db.user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(parsed.data.newPassword) },
  });
  return { endedSessions: await endUserSessions(userId, sessionId) };
}
