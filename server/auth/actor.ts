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
  /** The console session acting (absent for the admin CLI): tokens are shown only soon after a sign-in. */
  sessionId?: string;
}

export function auditActor(actor: UserActor): { actor: string; actorName: string; ip?: string | null } {
  return { actor: `user:${actor.userId}`, actorName: actor.email, ip: actor.ip };
}
