'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import type { NewAccountInput } from '@/lib/validations/member';
import { currentUser } from '@/server/auth/session';
import { setSessionOrg } from '@/server/auth/user-session';
import { AppError } from '@/server/errors';
import { actionFailure, type ActionResult } from '@/server/http/action-result';
import { acceptInvitation, acceptInvitationAsNewUser } from '@/server/members/accept-invitation';

export type InviteActionResult = ActionResult<{ email: string }>;

/** The signed-in invitee joins, and the console switches to the organisation. */
export async function acceptInvitationLinkAction(token: string): Promise<InviteActionResult> {
  try {
    const current = await currentUser();
    if (!current) throw new AppError('unauthenticated', 'Sign in to accept this invitation.');
    const { orgId } = await acceptInvitation(current.user, { token: String(token) });
    await setSessionOrg(current.sessionId, orgId);
  } catch (error) {
    return actionFailure(error);
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
    return actionFailure(error);
  }
}
