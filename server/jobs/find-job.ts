import { db } from '../db';
import { AppError } from '../http/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A job of the organisation by id, or else by name; another organisation's job is not found. */
export async function findJob(orgId: string, idOrName: string) {
  const job = UUID.test(idOrName)
    ? await db.job.findFirst({ where: { orgId, OR: [{ id: idOrName.toLowerCase() }, { name: idOrName }] } })
    : await db.job.findUnique({ where: { orgId_name: { orgId, name: idOrName } } });
  if (!job) throw new AppError('job_not_found', `No job "${idOrName}" in this organisation`);
  return job;
}
