import { type UserActor } from '../auth/actor';
import { roleAtLeast } from '../auth/roles';
import { db } from '../db';
import { AppError } from '../errors';
import { isUuid } from '../../lib/validations/ids';

/** Who may create, edit and run jobs and cancel runs: editors and above. Viewers only look. */
export function canManageJobs(actor: Pick<UserActor, 'role'>): boolean {
  return roleAtLeast(actor.role, 'editor');
}

/** Who may delete a job (and with it its run history): admins and owners. */
export function canDeleteJobs(actor: Pick<UserActor, 'role'>): boolean {
  return roleAtLeast(actor.role, 'admin');
}

/** A job of the actor's organisation by id; another organisation's job, or none, is job_not_found. */
export async function getJob(actor: UserActor, id: string) {
  const job = isUuid(id)
    ? await db.job.findFirst({ where: { id: id.toLowerCase(), orgId: actor.orgId } })
    : null;
  if (!job) throw new AppError('job_not_found', 'No such job in this organisation');
  return job;
}
