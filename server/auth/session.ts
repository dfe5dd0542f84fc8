import { getServerSession } from 'next-auth';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { AppError } from '@/server/http/errors';
import { db, type Role } from '@/server/db';
import { loginUrlFor } from './callback-url';
import { authOptions } from './options';
import { roleAtLeast } from './roles';

/** Who is acting in the console, in which organisation, with which role. */
export interface SessionContext {
  user: { id: string; email: string; name: string | null };
  org: { id: string; slug: string; name: string };
  role: Role;
}

/** The path (and query) of the current request, as proxy.ts passed it on; '/' when unknown. */
async function currentPath(): Promise<string> {
  const h = await headers();
  const path = h.get('x-pathname');
  if (!path || !path.startsWith('/')) return '/';
  return `${path}${h.get('x-search') ?? ''}`;
}

/**
 * The signed-in user's context, for server components and server actions. Signed out (or the user no
 * longer exists): redirects to /login with the current path as callbackUrl. Signed in without any
 * organisation: redirects to /login?error=NoMembership. The organisation is the user's first one by
 * creation date. Memoised per request (layout and page share one lookup).
 */
export const requireSession = cache(async (): Promise<SessionContext> => {
  const session = await getServerSession(authOptions);
  const userId = session?.user?.id;
  if (!userId) redirect(loginUrlFor(await currentPath()));

  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      memberships: {
        orderBy: [{ org: { createdAt: 'asc' } }, { createdAt: 'asc' }],
        take: 1,
        select: { role: true, org: { select: { id: true, slug: true, name: true } } },
      },
    },
  });
  // A valid cookie for a user that was deleted since: ask for a new sign-in (the error keeps /login
  // from sending the still-signed-in visitor straight back here).
  if (!user) redirect(loginUrlFor(await currentPath(), 'SessionExpired'));
  const membership = user.memberships[0];
  if (!membership) redirect(loginUrlFor(null, 'NoMembership'));

  return {
    user: { id: user.id, email: user.email, name: user.name },
    org: membership.org,
    role: membership.role,
  };
});

/** Whether the context's role is at least `minimum` (owner > admin > editor > viewer). */
export function hasRole(ctx: Pick<SessionContext, 'role'>, minimum: Role): boolean {
  return roleAtLeast(ctx.role, minimum);
}

/** Throws AppError('forbidden') unless the context's role is at least `minimum`. */
export function assertRole(ctx: Pick<SessionContext, 'role'>, minimum: Role): void {
  if (!hasRole(ctx, minimum)) throw new AppError('forbidden', `This needs the ${minimum} role or higher.`);
}
