'use server';

import type { ChangePasswordInput } from '@/lib/validations/account';
import { changePassword } from '@/server/auth/change-password';
import { requireSession } from '@/server/auth/session';
import { endUserSessions } from '@/server/auth/user-session';
import { actionFailure, type ActionResult } from '@/server/http/action-result';

export type AccountActionResult = ActionResult<{ message: string }>;

export async function changePasswordAction(input: ChangePasswordInput): Promise<AccountActionResult> {
  try {
    const { user, sessionId } = await requireSession();
    const { endedSessions } = await changePassword(user.id, sessionId, input);
    return {
      ok: true,
      message: `Password changed. ${endedSessions === 1 ? '1 other session was' : `${endedSessions} other sessions were`} signed out.`,
    };
  } catch (error) {
    return actionFailure(error);
  }
}

/** Ends every session of the signed-in user, this one included; the browser then signs out. */
export async function signOutEverywhereAction(): Promise<AccountActionResult> {
  try {
    const { user } = await requireSession();
    await endUserSessions(user.id);
    return { ok: true, message: 'Signed out everywhere.' };
  } catch (error) {
    return actionFailure(error);
  }
}
