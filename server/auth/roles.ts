import { ROLES } from '../../lib/validations/member';
import type { Role } from '../db';

/** Whether `role` is at least `minimum` in lib/validations/member.ts's order, owner > admin > editor > viewer. */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) <= ROLES.indexOf(minimum);
}
