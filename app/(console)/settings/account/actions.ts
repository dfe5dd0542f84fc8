'use server';

import { unstable_rethrow } from 'next/navigation';
import type { ChangePasswordInput } from '@/lib/validations/account';
import { changePassword } from '@/server/auth/change-password';
import { requireSession } from '@/server/auth/session';
import { endUserSessions } from '@/server/auth/user-session';
import { AppError, type FieldError } from '@/server/errors';

export type AccountActionResult =
  { ok: true; message: string } | { ok: false; message: string; errors: FieldError[] };

function failure(error: unknown): AccountActionResult {
  unstable_rethrow(error);
  if (error instanceof AppError) return { ok: false, message: error.message, errors: error.errors ?? [] };
  console.error(error);
  return { ok: false, message: 'Something went wrong on our side. Please try again.', errors: [] };
}

export async function changePasswordAction(input: ChangePasswordInput): Promise<AccountActionResult> {
  try {
    const { user, sessionId } = await requireSession();
    const { endedSessions } = await changePassword(user.id, sessionId, input);
    return {
      ok: true,
      message: `Password changed. ${endedSessions === 1 ? '1 other session was' : `${endedSessions} other sessions were`} signed out.`,
    };
  } catch (error) {
    return failure(error);
  }
}

/** Ends every session of the signed-in user, this one included; the browser then signs out. */
export async function signOutEverywhereAction(): Promise<AccountActionResult> {
  try {
    const { user } = await requireSession();
    await endUserSessions(user.id);
    return { ok: true, message: 'Signed out everywhere.' };
  } catch (error) {
    return failure(error);
  }
}
