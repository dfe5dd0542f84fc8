import { auditActor, type UserActor } from '../auth/actor';
import { roleAtLeast } from '../auth/roles';
import type { Role } from '../db';

/** Who manages an organisation's members: a signed-in person, or the admin CLI (an operator, trusted as an owner). */
export type MemberActor = UserActor | { kind: 'system'; orgId: string; orgSlug: string };

export function actorRole(actor: MemberActor): Role {
  return actor.kind === 'system' ? 'owner' : actor.role;
}

export function actorMayManage(actor: MemberActor): boolean {
  return roleAtLeast(actorRole(actor), 'admin');
}

export function memberAudit(actor: MemberActor): { actor: string; actorName: string; ip?: string | null } {
  return actor.kind === 'system' ? { actor: 'system', actorName: 'admin CLI' } : auditActor(actor);
}
