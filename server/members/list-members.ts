import { ROLES } from '../../lib/validations/member';
import type { UserActor } from '../auth/actor';
import { db, type Role } from '../db';

export interface MemberItem {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  joinedAt: Date;
  keyCount: number;
}

/** The organisation's members, owners first, then by email. */
export async function listMembers(actor: UserActor): Promise<MemberItem[]> {
  const rows = await db.membership.findMany({
    where: { orgId: actor.orgId },
    select: {
      role: true,
      createdAt: true,
      user: {
        select: {
          id: true,
          email: true,
          name: true,
          _count: { select: { apiKeys: { where: { orgId: actor.orgId, revokedAt: null } } } },
        },
      },
    },
  });
  return rows
    .map((m) => ({
      userId: m.user.id,
      email: m.user.email,
      name: m.user.name,
      role: m.role,
      joinedAt: m.createdAt,
      keyCount: m.user._count.apiKeys,
    }))
    .sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || a.email.localeCompare(b.email));
}
