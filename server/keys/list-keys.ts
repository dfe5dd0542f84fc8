import type { UserActor } from '../auth/actor';
import { db, type Prisma } from '../db';
import { keyStatus, keyStatusWhere, type KeyStatus } from './key-status';

export interface KeyListItem {
  id: string;
  name: string;
  selector: string;
  description: string | null;
  type: 'personal' | 'functional';
  owner: { id: string; email: string; name: string | null };
  /** A short prefix and the last 4 characters; the whole token is never listed. */
  masked: string;
  status: KeyStatus;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  graceUntil: Date | null;
}

export interface ListKeysFilter {
  q?: string;
  status?: KeyStatus;
}

export const LIST_LIMIT = 500;

/** The organisation's keys, newest first, optionally searched and filtered by status. */
export async function listApiKeys(actor: UserActor, filter: ListKeysFilter = {}): Promise<KeyListItem[]> {
  const and: Prisma.ApiKeyWhereInput[] = [{ orgId: actor.orgId }];
  const q = filter.q?.trim();
  if (q) {
    and.push({
      OR: [
        { name: { contains: q, mode: 'insensitive' } },
        { selector: { contains: q, mode: 'insensitive' } },
        { description: { contains: q, mode: 'insensitive' } },
        { owner: { email: { contains: q, mode: 'insensitive' } } },
        ...(/^[0-9a-f-]{36}$/i.test(q) ? [{ id: q.toLowerCase() }] : []),
      ],
    });
  }
  if (filter.status) and.push(keyStatusWhere(filter.status));
  const rows = await db.apiKey.findMany({
    where: { AND: and },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: LIST_LIMIT,
    select: {
      id: true,
      name: true,
      selector: true,
      description: true,
      type: true,
      masked: true,
      createdAt: true,
      lastUsedAt: true,
      expiresAt: true,
      revokedAt: true,
      graceUntil: true,
      owner: { select: { id: true, email: true, name: true } },
    },
  });
  const now = Date.now();
  return rows.map(({ revokedAt, ...row }) => ({
    ...row,
    status: keyStatus({ revokedAt, expiresAt: row.expiresAt, graceUntil: row.graceUntil }, now),
  }));
}
