import { getServerSession } from 'next-auth';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { AppError } from '@/server/errors';
import { db, type Role } from '@/server/db';
import { loginUrlFor } from './callback-url';
import { authOptions } from './options';
import { roleAtLeast } from './roles';
import { openSessionOnce, setSessionOrg } from './user-session';

/** Who is acting in the console, in which organisation, with which role. */
export interface SessionContext {
  sessionId: string;
  user: { id: string; email: string; name: string | null };
  org: { id: string; slug: string; name: string };
  role: Role;
  /** Every organisation the user belongs to, for the switcher. */
  orgs: { id: string; slug: string; name: string; role: Role }[];
}

/** The path (and query) of the current request, as proxy.ts passed it on; '/' when unknown. */
async function currentPath(): Promise<string> {
  const h = await headers();
  const path = h.get('x-pathname');
  if (!path || !path.startsWith('/')) return '/';
  return `${path}${h.get('x-search') ?? ''}`;
}

/** Whether the request carries a session cookie (next-auth's name, with its __Secure- prefix or chunks). */
async function hasSessionCookie(): Promise<boolean> {
  return (await cookies()).getAll().some((c) => c.name.includes('next-auth.session-token'));
}

/**
 * The signed-in user's context, for server components, server actions and console APIs, read from the
 * database on every request: a session ended on the server (sign-out, "sign out everywhere", password
 * change) or a user deleted since redirects to /login?error=SessionExpired; the role is the membership's
 * current one, and a removed member falls back to another organisation or to /login?error=NoMembership.
 * The organisation is the one chosen in the session. Memoised per request (layout and page share it).
 */
export const requireSession = cache(async (): Promise<SessionContext> => {
  const session = await getServerSession(authOptions);
  const userId = session?.user?.id;
  // A cookie whose session ended gets no session from next-auth (options.ts): say so on /login.
  if (!userId)
    redirect(loginUrlFor(await currentPath(), (await hasSessionCookie()) ? 'SessionExpired' : undefined));
  const open = session.sid ? await openSessionOnce(session.sid, userId) : null;
  // The error keeps /login from sending the still-cookied visitor straight back here.
  if (!open) redirect(loginUrlFor(await currentPath(), 'SessionExpired'));

  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      memberships: {
        orderBy: [{ org: { createdAt: 'asc' } }, { createdAt: 'asc' }],
        select: { role: true, org: { select: { id: true, slug: true, name: true } } },
      },
    },
  });
  if (!user) redirect(loginUrlFor(await currentPath(), 'SessionExpired'));
  const membership = user.memberships.find((m) => m.org.id === open.orgId) ?? user.memberships[0];
  if (!membership) redirect(loginUrlFor(null, 'NoMembership'));
  if (membership.org.id !== open.orgId) await setSessionOrg(open.id, membership.org.id);

  return {
    sessionId: open.id,
    user: { id: user.id, email: user.email, name: user.name },
    org: membership.org,
    role: membership.role,
    orgs: user.memberships.map((m) => ({ ...m.org, role: m.role })),
  };
});

/** The signed-in user of an open session, without needing an organisation (the invitation page); null otherwise. */
export async function currentUser(): Promise<{
  sessionId: string;
  user: { id: string; email: string };
} | null> {
  const session = await getServerSession(authOptions);
  const userId = session?.user?.id;
  if (!userId || !session.sid || !(await openSessionOnce(session.sid, userId))) return null;
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
  return user ? { sessionId: session.sid, user } : null;
}

/** Whether the context's role is at least `minimum` (owner > admin > editor > viewer). */
export function hasRole(ctx: Pick<SessionContext, 'role'>, minimum: Role): boolean {
  return roleAtLeast(ctx.role, minimum);
}

/** Throws AppError('forbidden') unless the context's role is at least `minimum`. */
export function assertRole(ctx: Pick<SessionContext, 'role'>, minimum: Role): void {
  if (!hasRole(ctx, minimum)) throw new AppError('forbidden', `This needs the ${minimum} role or higher.`);
}
