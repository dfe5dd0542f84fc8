import { headers } from 'next/headers';
import type { UserActor } from '../auth/actor';
import { requireSession } from '../auth/session';
import { clientAddress } from '../http/client-address';

/** The signed-in person as the acting principal of the domain functions (with the request's address). */
export async function sessionActor(): Promise<UserActor> {
  const { sessionId, user, org, role } = await requireSession();
  const ip = clientAddress(await headers());
  return {
    kind: 'user',
    userId: user.id,
    email: user.email,
    name: user.name ?? user.email,
    orgId: org.id,
    orgSlug: org.slug,
    role,
    ip,
    sessionId,
  };
}
