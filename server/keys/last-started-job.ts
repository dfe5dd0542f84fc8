import type { UserActor } from '../auth/actor';
import { db } from '../db';

/** The job this key last started with success (the snippets start on it: it is known to work), or null. */
export async function lastStartedJobId(actor: UserActor, keyId: string): Promise<string | null> {
  const run = await db.jobRun.findFirst({
    where: { orgId: actor.orgId, apiKeyId: keyId, status: 'succeeded' },
    orderBy: { queuedAt: 'desc' },
    select: { jobId: true },
  });
  return run?.jobId ?? null;
}
