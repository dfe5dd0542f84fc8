import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  forgotPasswordSchema,
  resetPasswordSchema,
  type ForgotPasswordInput,
  type ResetPasswordInput,
} from '../../lib/validations/account';
import { db } from '../db';
import { sendMail } from '../email/send';
import { passwordResetMail } from '../email/templates';
import { AppError, fieldErrors } from '../errors';
import { hashPassword } from './password';
import { endUserSessions } from './user-session';

// "Forgot password": a single-use link, valid 30 minutes, mailed to the account's address (only its
// SHA-256 digest is stored). Following it proves the address, so it also marks the address verified and
// ends every session of the account (someone else's, who set the password before, included).

export const RESET_MINUTES = 30;
/** Links a person can have pending at once; more requests send nothing (the answer stays the same). */
const MAX_PENDING = 3;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export function resetPasswordPath(token: string): string {
  return `/reset-password/${token}`;
}

/**
 * Mails a reset link when an account exists for the address; nothing otherwise. Resolves the same either
 * way: the console's action does not wait for it, so neither the answer nor its time tells.
 */
export async function requestPasswordReset(input: ForgotPasswordInput, origin: string): Promise<void> {
  const parsed = forgotPasswordSchema.safeParse(input);
  if (!parsed.success) return;
  const user = await db.user.findUnique({
    where: { email: parsed.data.email },
    select: { id: true, email: true },
  });
  if (!user) return;
  const now = new Date();
  const pending = await db.emailToken.count({
    where: { userId: user.id, purpose: 'reset', usedAt: null, expiresAt: { gt: now } },
  });
  if (pending >= MAX_PENDING) return;
  const token = randomBytes(32).toString('base64url');
  await db.emailToken.create({
    data: {
      id: randomUUID(),
      userId: user.id,
      purpose: 'reset',
      digest: digest(token),
      expiresAt: new Date(now.getTime() + RESET_MINUTES * 60_000),
    },
  });
  await sendMail(
    user.email,
    passwordResetMail({ link: `${origin}${resetPasswordPath(token)}`, minutes: RESET_MINUTES }),
  );
}

/** Whether a reset link can still be used (for its page). */
export async function resetLinkUsable(token: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return false;
  const row = await db.emailToken.findUnique({ where: { digest: digest(token) } });
  return !!row && row.purpose === 'reset' && !row.usedAt && row.expiresAt > new Date();
}

/** Sets the password from a reset link, once; the address is then proven and every session ended. */
export async function resetPassword(token: string, input: ResetPasswordInput): Promise<{ email: string }> {
  const parsed = resetPasswordSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError('validation_failed', 'Check the highlighted fields', {
      errors: fieldErrors(parsed.error.issues),
    });
  const passwordHash = await hashPassword(parsed.data.password);
  const gone = () => new AppError('conflict', 'This link has been used or has expired. Ask for a new one.');
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw gone();
  const user = await db.$transaction(async (tx) => {
    const row = await tx.emailToken.findUnique({ where: { digest: digest(token) } });
    if (!row || row.purpose !== 'reset') throw gone();
    const now = new Date();
    const { count } = await tx.emailToken.updateMany({
      where: { id: row.id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1) throw gone();
    // The other pending links of the account stop working too.
    await tx.emailToken.updateMany({ where: { userId: row.userId, usedAt: null }, data: { usedAt: now } });
    const before = await tx.user.findUniqueOrThrow({ where: { id: row.userId } });
    return tx.user.update({
      where: { id: row.userId },
      data: { passwordHash, emailVerifiedAt: before.emailVerifiedAt ?? now },
      select: { id: true, email: true },
    });
  });
  await endUserSessions(user.id);
  return { email: user.email };
}
