import { db } from '../db';
import type { KeyPrincipal } from '../keys/authenticate-key';
import { AppError } from '../errors';
import { lookupJob } from './job-cache';
import { keyMayRun } from './start-job';
import { publicRun } from '../runs/public-run';

/** The job's latest run, for the API's status action. */
export async function jobStatus(principal: KeyPrincipal, idOrName: string) {
  const job = await lookupJob(principal.orgId, idOrName);
  if (!keyMayRun(principal, job.id))
    throw new AppError('job_not_allowed', `This API key may not use the job "${job.name}"`);
  const last = await db.jobRun.findFirst({
    where: { orgId: principal.orgId, jobId: job.id },
    orderBy: { queuedAt: 'desc' },
  });
  return { job, lastRun: last ? publicRun(last) : null };
}
