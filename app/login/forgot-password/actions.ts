'use server';

import { forgotPasswordSchema, type ForgotPasswordInput } from '@/lib/validations/account';
import { requestPasswordReset } from '@/server/auth/password-reset';
import { invalidInput, type ActionResult } from '@/server/http/action-result';
import { publicUrl } from '@/server/config';
import { logger } from '@/server/observability/logger';

export type ForgotPasswordResult = ActionResult<{ message: string }>;

/** The same answer, at the same time, whether or not the address has an account: the mail goes on after it. */
export async function forgotPasswordAction(input: ForgotPasswordInput): Promise<ForgotPasswordResult> {
  const parsed = forgotPasswordSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  const origin = publicUrl();
  void requestPasswordReset(parsed.data, origin).catch((error: unknown) =>
    logger().error({ err: error }, 'password reset mail not sent'),
  );
  return {
    ok: true,
    message: `If ${parsed.data.email} has an account here, a link to choose a new password is on its way there. It works once, for 30 minutes.`,
  };
}
