import { randomUUID } from 'node:crypto';
import { cache } from 'react';
import { db } from '../db';

// The server's side of a console session: the cookie (a next-auth JWT) names a UserSession row, and a
// cookie whose row has ended is refused on its next request, whatever the JWT's own expiry says.

/** A session cookie whose server-side session has ended (or never was). */
export class SessionEnded extends Error {
  constructor() {
    super('SessionEnded');
  }
}

/**
 * Opens a session for a user who just signed in, in the organisation they last worked in (their latest
 * session's, while still a member there), else their oldest; returns its id.
 */
export async function startSession(userId: string): Promise<string> {
  const last = await db.userSession.findFirst({
    where: { userId, org: { memberships: { some: { userId } } } },
    orderBy: { createdAt: 'desc' },
    select: { orgId: true },
  });
  const first = last
    ? null
    : await db.membership.findFirst({
        where: { userId },
        orderBy: [{ org: { createdAt: 'asc' } }, { createdAt: 'asc' }],
        select: { orgId: true },
      });
  const id = randomUUID();
  await db.userSession.create({ data: { id, userId, orgId: last?.orgId ?? first?.orgId ?? null } });
  // Ended sessions are kept a day (for the record), then dropped.
  await db.userSession.deleteMany({
    where: { userId, endedAt: { lt: new Date(Date.now() - 24 * 60 * 60 * 1000) } },
  });
  return id;
}

/** Sign-out: this browser's session ends on the server too. */
export async function endSession(id: string): Promise<void> {
  await db.userSession.updateMany({ where: { id, endedAt: null }, data: { endedAt: new Date() } });
}

/** Ends every session of the user, or every one but `exceptId` (after a password change). */
export async function endUserSessions(userId: string, exceptId?: string): Promise<number> {
  const { count } = await db.userSession.updateMany({
    where: { userId, endedAt: null, ...(exceptId ? { id: { not: exceptId } } : {}) },
    data: { endedAt: new Date() },
  });
  return count;
}

/** The session if it is still open and belongs to the user, with the organisation it acts in. */
export async function openSession(
  id: string,
  userId: string,
): Promise<{ id: string; orgId: string | null } | null> {
  return db.userSession.findFirst({
    where: { id, userId, endedAt: null },
    select: { id: true, orgId: true },
  });
}

/**
 * openSession, read once per request: next-auth's jwt callback (options.ts) and requireSession both need
 * the row, and a console page would otherwise look it up twice.
 */
export const openSessionOnce = cache(openSession);

/** The organisation the session acts in from now on (the caller has checked the membership). */
export async function setSessionOrg(id: string, orgId: string): Promise<void> {
  await db.userSession.update({ where: { id }, data: { orgId } });
}
