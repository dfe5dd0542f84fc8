import { auditActor, type UserActor } from '../auth/actor';
import { recordAudit } from '../audit/record';
import { assertConnectionRefs } from '../connections/job-references';
import { db } from '../db';
import { AppError } from '../errors';
import { saveSchedules, jobSchedules } from '../schedules/save-schedules';
import { withResolvedSteps } from '../pipelines/resolve-steps';
import { jobColumns } from './job-columns';
import { canManageJobs } from './get-job';
import { isUuid } from '../../lib/validations/ids';

/**
 * Replaces a job's definition (editors and above). The name stays unique in the organisation. Runs
 * already queued keep the definition they were started with only as far as the worker reads it at claim.
 */
export async function updateJob(actor: UserActor, id: string, input: unknown) {
  if (!canManageJobs(actor)) throw new AppError('forbidden', 'Editing jobs needs the editor role or higher.');
  const columns = await jobColumns(input, { orgId: actor.orgId, author: actor });
  if (!isUuid(id)) throw new AppError('job_not_found', 'No such job in this organisation');
  // A pipeline's steps name jobs of the organisation: saved by id (server/pipelines).
  const def = await withResolvedSteps(actor.orgId, columns, id.toLowerCase());
  await assertConnectionRefs(actor.orgId, actor.userId, def);
  try {
    return await db.$transaction(async (tx) => {
      const before = await tx.job.findFirst({
        where: { id: id.toLowerCase(), orgId: actor.orgId },
        select: { id: true, name: true },
      });
      if (!before) throw new AppError('job_not_found', 'No such job in this organisation');
      const job = await tx.job.update({
        where: { id: before.id },
        data: { ...def, definedById: actor.userId },
      });
      await saveSchedules(tx, actor.orgId, job.id, jobSchedules(input));
      await recordAudit(
        {
          orgId: actor.orgId,
          ...auditActor(actor),
          action: 'job.updated',
          target: `job:${job.id}`,
          details:
            before.name === job.name ? { name: job.name } : { name: job.name, previousName: before.name },
        },
        tx,
      );
      return job;
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') {
      throw new AppError('conflict', `A job named "${def.name}" already exists`, {
        errors: [{ path: 'name', message: 'Already used in this organisation' }],
      });
    }
    throw error;
  }
}
