import { headers } from 'next/headers';
import type { UserActor } from '../auth/actor';
import { requireSession } from '../auth/session';

/** The signed-in person as the acting principal of the domain functions (with the request's address). */
export async function sessionActor(): Promise<UserActor> {
  const { user, org, role } = await requireSession();
  const h = await headers();
  const forwarded = h.get('x-forwarded-for');
  const ip = forwarded ? forwarded.split(',')[0].trim() : h.get('x-real-ip');
  return { kind: 'user', userId: user.id, email: user.email, name: user.name ?? user.email, orgId: org.id, orgSlug: org.slug, role, ip: ip || null };
}

/** PUBLIC_URL, else the request's origin (host and x-forwarded-proto): where programs reach this app. */
export async function publicOrigin(): Promise<string> {
  if (process.env.PUBLIC_URL) return process.env.PUBLIC_URL.replace(/\/+$/, '');
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost:3000';
  const proto = h.get('x-forwarded-proto')?.split(',')[0].trim() || (/^(localhost|127\.|\[::1\])/.test(host) ? 'http' : 'https');
  return `${proto}://${host}`;
}
