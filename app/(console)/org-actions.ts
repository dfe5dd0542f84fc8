'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import type { CreateOrganizationInput } from '@/lib/validations/member';
import { requireSession } from '@/server/auth/session';
import { setSessionOrg } from '@/server/auth/user-session';
import { actionFailure, type ActionResult } from '@/server/http/action-result';
import { acceptInvitation, declineInvitation } from '@/server/members/accept-invitation';
import { createOrganization, switchOrganization } from '@/server/members/organizations';

// The console's organisation actions: switch, create, and answer an invitation addressed to you.

export type OrgActionResult = ActionResult<{ message: string }>;

const id = z.uuid();

export async function switchOrganizationAction(orgId: string): Promise<OrgActionResult> {
  try {
    const { sessionId, user } = await requireSession();
    await switchOrganization({ sessionId, userId: user.id }, id.parse(orgId));
  } catch (error) {
    return actionFailure(error);
  }
  // The whole console (its layout too: header, switcher) renders again in the other organisation.
  revalidatePath('/', 'layout');
  redirect('/jobs');
}

export async function createOrganizationAction(input: CreateOrganizationInput): Promise<OrgActionResult> {
  try {
    const { sessionId, user } = await requireSession();
    const org = await createOrganization(user, input);
    await setSessionOrg(sessionId, org.id);
  } catch (error) {
    return actionFailure(error);
  }
  // The whole console (its layout too: header, switcher) renders again in the other organisation.
  revalidatePath('/', 'layout');
  redirect('/jobs');
}

const invitationAnswer = z.object({ invitationId: z.uuid(), answer: z.enum(['accept', 'decline']) });

/**
 * The invitation banner's form (it works before the page has hydrated): accept, which joins and switches
 * the console there, or decline.
 */
export async function answerInvitationAction(_previous: unknown, form: FormData): Promise<OrgActionResult> {
  try {
    const { sessionId, user } = await requireSession();
    const { invitationId, answer } = invitationAnswer.parse({
      invitationId: form.get('invitationId'),
      answer: form.get('answer'),
    });
    if (answer === 'decline') {
      await declineInvitation(user, invitationId);
      revalidatePath('/', 'layout');
      return { ok: true, message: 'Invitation declined.' };
    }
    const { orgId } = await acceptInvitation(user, { id: invitationId });
    await setSessionOrg(sessionId, orgId);
  } catch (error) {
    return actionFailure(error);
  }
  // The whole console (its layout too: header, switcher) renders again in the other organisation.
  revalidatePath('/', 'layout');
  redirect('/jobs');
}
