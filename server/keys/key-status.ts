import type { KeyStatus } from '../../lib/validations/api-key';
import type { Prisma } from '../db';

export { KEY_STATUSES, type KeyStatus } from '../../lib/validations/api-key';

export const EXPIRING_WITHIN_MS = 7 * 86_400_000;

export interface KeyTimes {
  expiresAt: Date | null;
  revokedAt: Date | null;
  graceUntil: Date | null;
}

export function keyStatus(key: KeyTimes, now = Date.now()): KeyStatus {
  if (key.revokedAt || (key.graceUntil && key.graceUntil.getTime() <= now)) return 'revoked';
  if (key.expiresAt && key.expiresAt.getTime() <= now) return 'expired';
  if (key.graceUntil) return 'rolling';
  if (key.expiresAt && key.expiresAt.getTime() <= now + EXPIRING_WITHIN_MS) return 'expiring';
  return 'active';
}

/** The same rule as keyStatus, as a query condition (for the list's status filter). */
export function keyStatusWhere(status: KeyStatus, now = Date.now()): Prisma.ApiKeyWhereInput {
  const at = new Date(now);
  const soon = new Date(now + EXPIRING_WITHIN_MS);
  const notRevoked: Prisma.ApiKeyWhereInput = {
    revokedAt: null,
    OR: [{ graceUntil: null }, { graceUntil: { gt: at } }],
  };
  const notExpired: Prisma.ApiKeyWhereInput = { OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] };
  switch (status) {
    case 'revoked':
      return { OR: [{ revokedAt: { not: null } }, { graceUntil: { lte: at } }] };
    case 'expired':
      return { AND: [notRevoked, { expiresAt: { lte: at } }] };
    case 'rolling':
      return { AND: [notRevoked, notExpired, { graceUntil: { gt: at } }] };
    case 'expiring':
      return { revokedAt: null, graceUntil: null, expiresAt: { gt: at, lte: soon } };
    case 'active':
      return { revokedAt: null, graceUntil: null, OR: [{ expiresAt: null }, { expiresAt: { gt: soon } }] };
  }
}
