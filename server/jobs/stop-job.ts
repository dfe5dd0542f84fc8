import { db } from '../db';
import { AppError } from '../errors';
import type { KeyPrincipal } from '../keys/authenticate-key';
import type { UserActor } from '../auth/actor';
import { requestCancel } from '../runs/cancel-run';
import { lookupJob } from './job-cache';
import { keyMayRun } from './start-job';

/** Stops the job's active runs (the newest is reported); nothing active means "already stopped". */
export async function stopJob(
  principal: KeyPrincipal | UserActor,
  idOrName: string,
): Promise<{ jobId: string; runId: string | null }> {
  const job = await lookupJob(principal.orgId, idOrName);
  if (!keyMayRun(principal, job.id))
    throw new AppError('job_not_allowed', `This API key may not use the job "${job.name}"`);
  const active = await db.jobRun.findMany({
    where: { orgId: principal.orgId, jobId: job.id, status: { in: ['queued', 'running'] } },
    orderBy: { queuedAt: 'desc' },
    select: { id: true },
  });
  for (const run of active) await requestCancel(principal.orgId, run.id);
  return { jobId: job.id, runId: active[0]?.id ?? null };
}
