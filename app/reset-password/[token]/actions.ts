'use server';

import type { ResetPasswordInput } from '@/lib/validations/account';
import { resetPassword } from '@/server/auth/password-reset';
import { actionFailure, type ActionResult } from '@/server/http/action-result';

export type ResetPasswordResult = ActionResult<{ email: string }>;

/** Sets the new password from the mailed link; the browser then signs in with it. */
export async function resetPasswordAction(
  token: string,
  input: ResetPasswordInput,
): Promise<ResetPasswordResult> {
  try {
    return { ok: true, ...(await resetPassword(String(token), input)) };
  } catch (error) {
    return actionFailure(error);
  }
}
