import { decodeCursor, pageOf } from '../../lib/cursor';
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
  /** When this key was issued by rolling an older one (its creation), else null. */
  rolledAt: Date | null;
}

export interface ListKeysFilter {
  q?: string;
  status?: KeyStatus;
  /** A cursor from a page's `older` or `newer` (lib/cursor.ts); none is the newest page. */
  cursor?: string | null;
  limit?: number;
}

export const KEYS_PAGE_SIZE = 50;

/**
 * The search: name, selector and description through their trigram indexes, and the keys of owners
 * whose email matches (looked up first: an OR across a join could use no index).
 */
async function searchWhere(orgId: string, q: string): Promise<Prisma.ApiKeyWhereInput> {
  const owners = await db.user.findMany({
    where: { email: { contains: q, mode: 'insensitive' }, apiKeys: { some: { orgId } } },
    select: { id: true },
    take: 100,
  });
  return {
    OR: [
      { name: { contains: q, mode: 'insensitive' } },
      { selector: { contains: q, mode: 'insensitive' } },
      { description: { contains: q, mode: 'insensitive' } },
      ...(owners.length ? [{ ownerId: { in: owners.map((o) => o.id) } }] : []),
      ...(/^[0-9a-f-]{36}$/i.test(q) ? [{ id: q.toLowerCase() }] : []),
    ],
  };
}

/**
 * The organisation's keys, newest first, optionally searched and filtered by status, a page at a time
 * through keyset cursors (createdAt, id).
 */
export async function listApiKeys(
  actor: UserActor,
  filter: ListKeysFilter = {},
): Promise<{ keys: KeyListItem[]; older: string | null; newer: string | null }> {
  const limit = Math.min(Math.max(filter.limit ?? KEYS_PAGE_SIZE, 1), 200);
  const and: Prisma.ApiKeyWhereInput[] = [{ orgId: actor.orgId }];
  const q = filter.q?.trim();
  if (q) and.push(await searchWhere(actor.orgId, q));
  if (filter.status) and.push(keyStatusWhere(filter.status));
  const cursor = decodeCursor(filter.cursor);
  if (cursor) {
    const at = new Date(cursor.at);
    and.push(
      cursor.dir === 'older'
        ? { createdAt: { lte: at }, OR: [{ createdAt: { lt: at } }, { id: { lt: cursor.id } }] }
        : { createdAt: { gte: at }, OR: [{ createdAt: { gt: at } }, { id: { gt: cursor.id } }] },
    );
  }
  const order = cursor?.dir === 'newer' ? 'asc' : 'desc';
  const rows = await db.apiKey.findMany({
    where: { AND: and },
    orderBy: [{ createdAt: order }, { id: order }],
    take: limit + 1,
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
      rolledFromId: true,
      owner: { select: { id: true, email: true, name: true } },
    },
  });
  const now = Date.now();
  const page = pageOf(rows, limit, cursor, (r) => ({ at: r.createdAt, id: r.id }));
  return {
    keys: page.items.map(({ revokedAt, rolledFromId, ...row }) => ({
      ...row,
      rolledAt: rolledFromId ? row.createdAt : null,
      status: keyStatus({ revokedAt, expiresAt: row.expiresAt, graceUntil: row.graceUntil }, now),
    })),
    older: page.older,
    newer: page.newer,
  };
}
