import type { UserActor } from '../auth/actor';
import { db } from '../db';

/** The organisation's jobs, by name: what a key may be limited to, and what the snippets can start. */
export async function listJobChoices(actor: UserActor): Promise<{ id: string; name: string }[]> {
  return db.job.findMany({
    where: { orgId: actor.orgId },
    orderBy: { name: 'asc' },
    select: { id: true, name: true },
  });
}

/** The jobs the snippets can start, with their params schema (the snippets' params come from it). */
export async function listSnippetJobs(
  actor: UserActor,
): Promise<{ id: string; name: string; paramsSchema: unknown }[]> {
  return db.job.findMany({
    where: { orgId: actor.orgId },
    orderBy: { name: 'asc' },
    select: { id: true, name: true, paramsSchema: true },
  });
}
