import type { Prisma } from '../db';

/**
 * A key's state as people see it. `expiring`: expires within a week. `rolling`: replaced by a newer key,
 * still accepted until the new key is first used or the grace period ends.
 */
export const KEY_STATUSES = ['active', 'expiring', 'rolling', 'expired', 'revoked'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

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
