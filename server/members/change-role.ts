import { changeRoleSchema, type ChangeRoleInput } from '../../lib/validations/member';
import { recordAudit } from '../audit/record';
import { db } from '../db';
import { AppError, fieldErrors } from '../errors';
import { actorMayManage, actorRole, memberAudit, type MemberActor } from './member-actor';
import { keepAnOwner } from './remove-member';

/**
 * Changes a member's role (admins and owners). Only owners grant or take away the owner role, and the
 * organisation always keeps at least one owner.
 */
export async function changeMemberRole(actor: MemberActor, input: ChangeRoleInput): Promise<void> {
  if (!actorMayManage(actor)) throw new AppError('forbidden', 'Only admins and owners change roles');
  const parsed = changeRoleSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError('validation_failed', 'The role is not valid', {
      errors: fieldErrors(parsed.error.issues),
    });
  const { userId, role } = parsed.data;

  await db.$transaction(async (tx) => {
    const member = await tx.membership.findUnique({
      where: { orgId_userId: { orgId: actor.orgId, userId } },
      include: { user: { select: { email: true } } },
    });
    if (!member) throw new AppError('not_found', 'No such member in this organisation');
    if (member.role === role) return;
    if ((member.role === 'owner' || role === 'owner') && actorRole(actor) !== 'owner') {
      throw new AppError('forbidden', 'Only owners grant or take away the owner role', {
        errors: [{ path: 'role', message: 'Only owners can change this' }],
      });
    }
    // Locks the organisation's owners so two demotions at once cannot leave none.
    if (member.role === 'owner') await keepAnOwner(tx, actor.orgId, userId);
    await tx.membership.update({ where: { id: member.id }, data: { role } });
    await recordAudit(
      {
        orgId: actor.orgId,
        ...memberAudit(actor),
        action: 'member.role_changed',
        target: `user:${userId}`,
        details: { email: member.user.email, from: member.role, role },
      },
      tx,
    );
  });
}
