import { recordAudit } from '../audit/record';
import { db, type Prisma } from '../db';
import { AppError } from '../errors';
import { actorMayManage, actorRole, memberAudit, type MemberActor } from './member-actor';

/** Locks the organisation's owners and refuses when `userId` is the last one. */
export async function keepAnOwner(
  tx: Prisma.TransactionClient,
  orgId: string,
  userId: string,
): Promise<void> {
  const owners = await tx.$queryRaw<
    { userId: string }[]
  >`select "userId" from "Membership" where "orgId" = ${orgId}::uuid and role = 'owner' for update`;
  if (owners.length <= 1 && owners.some((o) => o.userId === userId)) {
    throw new AppError('conflict', 'The organisation needs an owner', {
      errors: [{ path: 'role', message: 'Make someone else an owner first' }],
    });
  }
}

/**
 * Removes a member (admins and owners; only owners remove owners), or the actor themself when they leave.
 * The organisation always keeps an owner. Their sessions lose the organisation on their next request and
 * their keys in it are refused (api_key_owner_inactive).
 */
export async function removeMember(actor: MemberActor, userId: string): Promise<void> {
  const leaving = actor.kind === 'user' && actor.userId === userId;
  if (!leaving && !actorMayManage(actor))
    throw new AppError('forbidden', 'Only admins and owners remove members');
  await db.$transaction(async (tx) => {
    const member = await tx.membership.findUnique({
      where: { orgId_userId: { orgId: actor.orgId, userId } },
      include: { user: { select: { email: true } } },
    });
    if (!member) throw new AppError('not_found', 'No such member in this organisation');
    if (member.role === 'owner' && !leaving && actorRole(actor) !== 'owner')
      throw new AppError('forbidden', 'Only owners remove owners');
    if (member.role === 'owner') await keepAnOwner(tx, actor.orgId, userId);
    await tx.membership.delete({ where: { id: member.id } });
    await recordAudit(
      {
        orgId: actor.orgId,
        ...memberAudit(actor),
        action: leaving ? 'member.left' : 'member.removed',
        target: `user:${userId}`,
        details: { email: member.user.email, role: member.role },
      },
      tx,
    );
  });
}
