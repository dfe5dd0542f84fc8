import type { Role } from '../db';

/** A signed-in person acting in one organisation. Every domain function takes one (or a key). */
export interface UserActor {
  kind: 'user';
  userId: string;
  email: string;
  name: string;
  orgId: string;
  orgSlug: string;
  role: Role;
  ip?: string | null;
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

export function atLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

export function auditActor(actor: UserActor): { actor: string; actorName: string; ip?: string | null } {
  return { actor: `user:${actor.userId}`, actorName: actor.email, ip: actor.ip };
}
