'use server';

import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { redirect, unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import {
  changeRoleSchema,
  inviteMemberSchema,
  type ChangeRoleInput,
  type InviteMemberInput,
} from '@/lib/validations/member';
import { AppError, fieldErrors, type FieldError } from '@/server/errors';
import { logger } from '@/server/observability/logger';
import { publicOrigin } from '@/server/http/public-origin';
import { changeMemberRole } from '@/server/members/change-role';
import { invitationPath, inviteMember, revokeInvitation } from '@/server/members/invitations';
import { removeMember } from '@/server/members/remove-member';
import { sessionActor } from '@/server/members/session-actor';

export type MemberActionResult =
  { ok: true; message: string; link?: string } | { ok: false; message: string; errors: FieldError[] };

function failure(error: unknown): MemberActionResult {
  unstable_rethrow(error);
  if (error instanceof AppError) return { ok: false, message: error.message, errors: error.errors ?? [] };
  logger().error({ err: error }, 'console action failed');
  return { ok: false, message: 'Something went wrong on our side. Please try again.', errors: [] };
}

const id = z.uuid();

export async function inviteMemberAction(input: InviteMemberInput): Promise<MemberActionResult> {
  try {
    const actor = await sessionActor();
    const parsed = inviteMemberSchema.safeParse(input);
    if (!parsed.success)
      return {
        ok: false,
        message: 'Check the highlighted fields.',
        errors: fieldErrors(parsed.error.issues),
      };
    const { token } = await inviteMember(actor, parsed.data);
    revalidatePath('/settings/members');
    // The same answer whether or not the address has an account.
    return {
      ok: true,
      message: `Invitation for ${parsed.data.email} created. Send them this link; it works once, for 7 days.`,
      link: `${publicOrigin(await headers())}${invitationPath(token)}`,
    };
  } catch (error) {
    return failure(error);
  }
}

export async function revokeInvitationAction(invitationId: string): Promise<MemberActionResult> {
  try {
    const actor = await sessionActor();
    await revokeInvitation(actor, id.parse(invitationId));
    revalidatePath('/settings/members');
    return { ok: true, message: 'Invitation revoked.' };
  } catch (error) {
    return failure(error);
  }
}

export async function changeRoleAction(input: ChangeRoleInput): Promise<MemberActionResult> {
  try {
    const actor = await sessionActor();
    const parsed = changeRoleSchema.safeParse(input);
    if (!parsed.success)
      return { ok: false, message: 'Choose a role.', errors: fieldErrors(parsed.error.issues) };
    await changeMemberRole(actor, parsed.data);
    revalidatePath('/settings/members');
    return { ok: true, message: 'Role changed.' };
  } catch (error) {
    return failure(error);
  }
}

export async function removeMemberAction(userId: string): Promise<MemberActionResult> {
  try {
    const actor = await sessionActor();
    await removeMember(actor, id.parse(userId));
    revalidatePath('/settings/members');
    return { ok: true, message: 'Member removed.' };
  } catch (error) {
    return failure(error);
  }
}

/** The signed-in person leaves the current organisation, then lands in another one (or at sign-in). */
export async function leaveOrganizationAction(): Promise<MemberActionResult> {
  try {
    const actor = await sessionActor();
    await removeMember(actor, actor.userId);
  } catch (error) {
    return failure(error);
  }
  revalidatePath('/', 'layout');
  redirect('/jobs');
}
