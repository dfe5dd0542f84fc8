import { redirect } from 'next/navigation';
import type { UserActor } from '../auth/actor';
import { setSessionOrg } from '../auth/user-session';
import { db } from '../db';
import { isUuid } from '../../lib/validations/ids';

export type LinkedKind = 'job' | 'run' | 'key';

async function orgIdOf(kind: LinkedKind, id: string): Promise<string | null> {
  const where = { id: id.toLowerCase() };
  const select = { orgId: true } as const;
  const row =
    kind === 'job'
      ? await db.job.findUnique({ where, select })
      : kind === 'run'
        ? await db.jobRun.findUnique({ where, select })
        : await db.apiKey.findUnique({ where, select });
  return row?.orgId ?? null;
}

/**
 * A link to a job, run or key that is not in the organisation the console acts in: when the person is a
 * member of the organisation it belongs to, the session switches there and the page opens again with a
 * notice (`?switched=<slug>`); otherwise nothing happens and the caller answers "not found". Only a
 * member learns that the object exists.
 */
export async function followLinkToOwnOrg(
  actor: UserActor,
  kind: LinkedKind,
  id: string,
  path: string,
): Promise<void> {
  if (!actor.sessionId || !isUuid(id)) return;
  const orgId = await orgIdOf(kind, id);
  if (!orgId || orgId === actor.orgId) return;
  const membership = await db.membership.findFirst({
    where: { orgId, userId: actor.userId },
    select: { org: { select: { slug: true } } },
  });
  if (!membership) return;
  await setSessionOrg(actor.sessionId, orgId);
  redirect(`${path}?switched=${encodeURIComponent(membership.org.slug)}`);
}
