import { changeRoleSchema, type ChangeRoleInput } from '../../lib/validations/member';
import { recordAudit } from '../audit/record';
import { atLeast, auditActor, type UserActor } from '../auth/actor';
import { db } from '../db';
import { AppError, fieldErrors } from '../http/errors';

/**
 * Changes a member's role (admins and owners). Only owners grant or take away the owner role, and the
 * organisation always keeps at least one owner.
 */
export async function changeMemberRole(actor: UserActor, input: ChangeRoleInput): Promise<void> {
  if (!atLeast(actor.role, 'admin')) throw new AppError('forbidden', 'Only admins and owners change roles');
  const parsed = changeRoleSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'The role is not valid', { errors: fieldErrors(parsed.error.issues) });
  const { userId, role } = parsed.data;

  await db.$transaction(async (tx) => {
    const member = await tx.membership.findUnique({ where: { orgId_userId: { orgId: actor.orgId, userId } }, include: { user: { select: { email: true } } } });
    if (!member) throw new AppError('not_found', 'No such member in this organisation');
    if (member.role === role) return;
    if ((member.role === 'owner' || role === 'owner') && actor.role !== 'owner') {
      throw new AppError('forbidden', 'Only owners grant or take away the owner role', { errors: [{ path: 'role', message: 'Only owners can change this' }] });
    }
    if (member.role === 'owner') {
      // Lock the organisation's owners so two demotions at once cannot leave none.
      const owners = await tx.$queryRaw<{ userId: string }[]>`select "userId" from "Membership" where "orgId" = ${actor.orgId}::uuid and role = 'owner' for update`;
      if (owners.length <= 1) {
        throw new AppError('conflict', 'The organisation needs an owner', { errors: [{ path: 'role', message: 'Make someone else an owner first' }] });
      }
    }
    await tx.membership.update({ where: { id: member.id }, data: { role } });
    await recordAudit(
      { orgId: actor.orgId, ...auditActor(actor), action: 'member.role_changed', target: `user:${userId}`, details: { email: member.user.email, from: member.role, role } },
      tx,
    );
  });
}
