'use server';

import type { ChangePasswordInput } from '@/lib/validations/account';
import { changePassword } from '@/server/auth/change-password';
import { requireSession } from '@/server/auth/session';
import { endUserSessions } from '@/server/auth/user-session';
import { setFailureNotices } from '@/server/auth/failure-notices-setting';
import { actionFailure, type ActionResult } from '@/server/http/action-result';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';

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

const noticesForm = z.object({ failureNotices: z.enum(['on', 'off']) });

/** Settings > Your account: failure notices on or off for the signed-in person (a form that posts). */
export async function failureNoticesAction(_previous: unknown, form: FormData): Promise<AccountActionResult> {
  try {
    const { user } = await requireSession();
    const { failureNotices } = noticesForm.parse({ failureNotices: form.get('failureNotices') });
    await setFailureNotices(user.id, failureNotices === 'on');
    revalidatePath('/settings/account');
    return {
      ok: true,
      message:
        failureNotices === 'on'
          ? 'You receive failure notices of the jobs you watch.'
          : 'You no longer receive failure notices.',
    };
  } catch (error) {
    return actionFailure(error);
  }
}
