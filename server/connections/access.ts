import type { UserActor } from '../auth/actor';
import { roleAtLeast } from '../auth/roles';
import { AppError } from '../errors';

// Who sees and changes which connections. Shared: every member sees it (a viewer without values),
// editors and above change it. Personal: its owner only; to anyone else it does not exist.

/** The admin CLI, acting for the operator in one organisation. */
export type OperatorActor = { kind: 'operator'; orgId: string };
export type ConnectionActor = UserActor | OperatorActor;

export const actorUserId = (actor: ConnectionActor) => (actor.kind === 'user' ? actor.userId : null);

/** Rows this actor may see, as a Prisma filter. */
export function visibleWhere(actor: ConnectionActor) {
  return actor.kind === 'operator'
    ? { orgId: actor.orgId }
    : {
        orgId: actor.orgId,
        OR: [{ scope: 'shared' as const }, { scope: 'personal' as const, ownerId: actor.userId }],
      };
}

export function seesValues(actor: ConnectionActor): boolean {
  return actor.kind === 'operator' || roleAtLeast(actor.role, 'editor');
}

export function assertMayChange(
  actor: ConnectionActor,
  row: { scope: string; ownerId: string | null },
): void {
  if (actor.kind === 'operator') return;
  if (row.scope === 'personal' && row.ownerId === actor.userId) return;
  if (row.scope === 'shared' && roleAtLeast(actor.role, 'editor')) return;
  throw new AppError('forbidden', 'Changing shared connections needs the editor role or higher.');
}

export const whoDid = (actor: ConnectionActor) =>
  actor.kind === 'user'
    ? { actor: `user:${actor.userId}`, actorName: actor.email, ip: actor.ip }
    : { actor: 'system', actorName: 'admin CLI' };
