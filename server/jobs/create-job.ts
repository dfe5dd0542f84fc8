import { recordAudit } from '../audit/record';
import { db } from '../db';
import { AppError } from '../http/errors';
import { saveSchedules, jobSchedules } from '../schedules/save-schedules';
import { jobColumns } from './job-columns';

/** Creates a job in an organisation; its name is unique there. */
export async function createJob(orgId: string, input: unknown, audit: { actor: string; actorName: string; ip?: string | null }) {
  const def = jobColumns(input);
  try {
    return await db.$transaction(async (tx) => {
      const job = await tx.job.create({
        data: { orgId, ...def },
      });
      await saveSchedules(tx, orgId, job.id, jobSchedules(input));
      await recordAudit({ orgId, ...audit, action: 'job.created', target: `job:${job.id}`, details: { name: job.name } }, tx);
      return job;
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') {
      throw new AppError('conflict', `A job named "${def.name}" already exists`, { errors: [{ path: 'name', message: 'Already used in this organisation' }] });
    }
    throw error;
  }
}
