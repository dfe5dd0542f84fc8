import { auditActor, type UserActor } from '../auth/actor';
import { recordAudit } from '../audit/record';
import { db } from '../db';
import { AppError } from '../errors';
import { canDeleteJobs } from './get-job';
import { isUuid } from '../../lib/validations/ids';

/**
 * Deletes a job and its run history (admins and owners). Refused while a run of it is queued or running:
 * cancel those first, so no worker is left executing a job that no longer exists.
 */
export async function deleteJob(actor: UserActor, id: string): Promise<{ id: string; name: string }> {
  if (!canDeleteJobs(actor)) throw new AppError('forbidden', 'Deleting jobs needs the admin role or higher.');
  if (!isUuid(id)) throw new AppError('job_not_found', 'No such job in this organisation');
  return db.$transaction(async (tx) => {
    const job = await tx.job.findFirst({
      where: { id: id.toLowerCase(), orgId: actor.orgId },
      select: { id: true, name: true },
    });
    if (!job) throw new AppError('job_not_found', 'No such job in this organisation');
    // Lock the job row so no run can be started between the check and the delete.
    await tx.$queryRaw`select id from "Job" where id = ${job.id}::uuid for update`;
    const active = await tx.jobRun.count({
      where: { orgId: actor.orgId, jobId: job.id, status: { in: ['queued', 'running'] } },
    });
    if (active > 0)
      throw new AppError(
        'conflict',
        `"${job.name}" has ${active} queued or running ${active === 1 ? 'run' : 'runs'}; cancel ${active === 1 ? 'it' : 'them'} first.`,
      );
    await tx.job.delete({ where: { id: job.id } });
    await recordAudit(
      {
        orgId: actor.orgId,
        ...auditActor(actor),
        action: 'job.deleted',
        target: `job:${job.id}`,
        details: { name: job.name },
      },
      tx,
    );
    return job;
  });
}
