'use server';

import { revalidatePath } from 'next/cache';
import { redirect, unstable_rethrow } from 'next/navigation';
import type { NewAccountInput } from '@/lib/validations/member';
import { currentUser } from '@/server/auth/session';
import { setSessionOrg } from '@/server/auth/user-session';
import { AppError, type FieldError } from '@/server/errors';
import { acceptInvitation, acceptInvitationAsNewUser } from '@/server/members/accept-invitation';

export type InviteActionResult =
  { ok: true; email: string } | { ok: false; message: string; errors: FieldError[] };

function failure(error: unknown): InviteActionResult {
  unstable_rethrow(error);
  if (error instanceof AppError) return { ok: false, message: error.message, errors: error.errors ?? [] };
  console.error(error);
  return { ok: false, message: 'Something went wrong on our side. Please try again.', errors: [] };
}

/** The signed-in invitee joins, and the console switches to the organisation. */
export async function acceptInvitationLinkAction(token: string): Promise<InviteActionResult> {
  try {
    const current = await currentUser();
    if (!current) throw new AppError('unauthenticated', 'Sign in to accept this invitation.');
    const { orgId } = await acceptInvitation(current.user, { token: String(token) });
    await setSessionOrg(current.sessionId, orgId);
  } catch (error) {
    return failure(error);
  }
  revalidatePath('/', 'layout');
  redirect('/jobs');
}

/** Someone new sets a password: the account is made and joins; the browser then signs in with it. */
export async function acceptAsNewUserAction(
  token: string,
  input: NewAccountInput,
): Promise<InviteActionResult> {
  try {
    const { email } = await acceptInvitationAsNewUser(String(token), input);
    return { ok: true, email };
  } catch (error) {
    return failure(error);
  }
}
