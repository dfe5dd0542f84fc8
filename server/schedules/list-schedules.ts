import { db } from '../db';

/** A job's schedules, oldest first (the job form and the job page show them). */
export async function listJobSchedules(orgId: string, jobId: string) {
  return db.jobSchedule.findMany({ where: { orgId, jobId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}
