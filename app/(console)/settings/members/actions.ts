'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import {
  changeRoleSchema,
  inviteMemberSchema,
  type ChangeRoleInput,
  type InviteMemberInput,
} from '@/lib/validations/member';
import { actionFailure, invalidInput, type ActionResult } from '@/server/http/action-result';
import { publicUrl } from '@/server/config';
import { changeMemberRole } from '@/server/members/change-role';
import { inviteMember, revokeInvitation } from '@/server/members/invitations';
import { removeMember } from '@/server/members/remove-member';
import { sessionActor } from '@/server/members/session-actor';

export type MemberActionResult = ActionResult<{ message: string }>;

const id = z.uuid();

export async function inviteMemberAction(input: InviteMemberInput): Promise<MemberActionResult> {
  try {
    const actor = await sessionActor();
    const parsed = inviteMemberSchema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error.issues);
    await inviteMember(actor, parsed.data, publicUrl());
    revalidatePath('/settings/members');
    // The same answer whether or not the address has an account; the link goes to the address only.
    return {
      ok: true,
      message: `Invitation mailed to ${parsed.data.email}. Its link works once, for 7 days.`,
    };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function revokeInvitationAction(invitationId: string): Promise<MemberActionResult> {
  try {
    const actor = await sessionActor();
    await revokeInvitation(actor, id.parse(invitationId));
    revalidatePath('/settings/members');
    return { ok: true, message: 'Invitation revoked.' };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function changeRoleAction(input: ChangeRoleInput): Promise<MemberActionResult> {
  try {
    const actor = await sessionActor();
    const parsed = changeRoleSchema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error.issues, 'Choose a role.');
    await changeMemberRole(actor, parsed.data);
    revalidatePath('/settings/members');
    return { ok: true, message: 'Role changed.' };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function removeMemberAction(userId: string): Promise<MemberActionResult> {
  try {
    const actor = await sessionActor();
    await removeMember(actor, id.parse(userId));
    revalidatePath('/settings/members');
    return { ok: true, message: 'Member removed.' };
  } catch (error) {
    return actionFailure(error);
  }
}

/** The signed-in person leaves the current organisation, then lands in another one (or at sign-in). */
export async function leaveOrganizationAction(): Promise<MemberActionResult> {
  try {
    const actor = await sessionActor();
    await removeMember(actor, actor.userId);
  } catch (error) {
    return actionFailure(error);
  }
  revalidatePath('/', 'layout');
  redirect('/jobs');
}
