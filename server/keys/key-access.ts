import { type UserActor } from '../auth/actor';
import { roleAtLeast } from '../auth/roles';

export interface KeyOwnership {
  ownerId: string;
  type: 'personal' | 'functional';
}

/**
 * Who may see a key's whole token: its owner, and the organisation's admins and owners unless the key is
 * personal (then only its owner). Everyone else sees the masked form.
 */
export function canRevealKey(actor: UserActor, key: KeyOwnership): boolean {
  // An owner who may no longer start jobs no longer sees the token (the key is refused anyway).
  if (key.ownerId === actor.userId) return roleAtLeast(actor.role, 'editor');
  if (key.type === 'personal') return false;
  return roleAtLeast(actor.role, 'admin');
}

/** Who may edit, roll and revoke a key: editors their own keys, admins and owners every key. */
export function canManageKey(actor: UserActor, key: KeyOwnership): boolean {
  if (!roleAtLeast(actor.role, 'editor')) return false;
  return key.ownerId === actor.userId || roleAtLeast(actor.role, 'admin');
}

/** Who may revoke a key: its owner whatever their role now, and admins and owners every key. */
export function canRevokeKey(actor: UserActor, key: KeyOwnership): boolean {
  return key.ownerId === actor.userId || roleAtLeast(actor.role, 'admin');
}

export function canCreateKeys(actor: Pick<UserActor, 'role'>): boolean {
  return roleAtLeast(actor.role, 'editor');
}
