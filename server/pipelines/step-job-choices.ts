import type { UserActor } from '../auth/actor';
import { db } from '../db';

/** The jobs a pipeline's step may run: the organisation's jobs that are not pipelines, by name. */
export async function stepJobChoices(actor: UserActor): Promise<{ id: string; name: string }[]> {
  return db.job.findMany({
    where: { orgId: actor.orgId, type: { not: 'pipeline' } },
    orderBy: { name: 'asc' },
    take: 500,
    select: { id: true, name: true },
  });
}
