import type { Role } from '@/server/db';

/** owner > admin > editor > viewer. */
const RANK: Record<Role, number> = { owner: 4, admin: 3, editor: 2, viewer: 1 };

/** Whether `role` is at least `minimum` (an owner passes every check). */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}
