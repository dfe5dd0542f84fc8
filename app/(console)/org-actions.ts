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

export async function acceptInvitationAction(invitationId: string): Promise<OrgActionResult> {
  try {
    const { sessionId, user } = await requireSession();
    const { orgId } = await acceptInvitation(user, { id: id.parse(invitationId) });
    await setSessionOrg(sessionId, orgId);
  } catch (error) {
    return actionFailure(error);
  }
  // The whole console (its layout too: header, switcher) renders again in the other organisation.
  revalidatePath('/', 'layout');
  redirect('/jobs');
}

export async function declineInvitationAction(invitationId: string): Promise<OrgActionResult> {
  try {
    const { user } = await requireSession();
    await declineInvitation(user, id.parse(invitationId));
    revalidatePath('/', 'layout');
    return { ok: true, message: 'Invitation declined.' };
  } catch (error) {
    return actionFailure(error);
  }
}
