'use server';

import { revalidatePath } from 'next/cache';
import { unstable_rethrow } from 'next/navigation';
import { addMemberSchema, changeRoleSchema, type AddMemberInput, type ChangeRoleInput } from '@/lib/validations/member';
import { AppError, fieldErrors, type FieldError } from '@/server/http/errors';
import { logger } from '@/server/observability/logger';
import { addMember } from '@/server/members/add-member';
import { changeMemberRole } from '@/server/members/change-role';
import { sessionActor } from '@/server/members/session-actor';

export type MemberActionResult = { ok: true; message: string } | { ok: false; message: string; errors: FieldError[] };

function failure(error: unknown): MemberActionResult {
  unstable_rethrow(error);
  if (error instanceof AppError) return { ok: false, message: error.message, errors: error.errors ?? [] };
  logger().error({ err: error }, 'console action failed');
  return { ok: false, message: 'Something went wrong on our side. Please try again.', errors: [] };
}

export async function addMemberAction(input: AddMemberInput): Promise<MemberActionResult> {
  try {
    const actor = await sessionActor();
    const parsed = addMemberSchema.safeParse(input);
    if (!parsed.success) return { ok: false, message: 'Check the highlighted fields.', errors: fieldErrors(parsed.error.issues) };
    const added = await addMember(actor, parsed.data);
    revalidatePath('/settings/members');
    return {
      ok: true,
      message: added.existingUser
        ? `${parsed.data.email} already had an account; they were added and keep their own password.`
        : `${parsed.data.email} was added. Give them the first password by a safe channel.`,
    };
  } catch (error) {
    return failure(error);
  }
}

export async function changeRoleAction(input: ChangeRoleInput): Promise<MemberActionResult> {
  try {
    const actor = await sessionActor();
    const parsed = changeRoleSchema.safeParse(input);
    if (!parsed.success) return { ok: false, message: 'Choose a role.', errors: fieldErrors(parsed.error.issues) };
    await changeMemberRole(actor, parsed.data);
    revalidatePath('/settings/members');
    return { ok: true, message: 'Role changed.' };
  } catch (error) {
    return failure(error);
  }
}
