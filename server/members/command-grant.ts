import { db, pool, type Role } from '../db';

// The operator's grant for command jobs, per organisation: the lowest role that may save them there
// (null: none). Only the admin CLI sets it; no console action or API reaches it.

/** The grant, read with plain SQL: the worker, whose role reads only this column and the id, asks too. */
export async function commandJobsGrant(orgId: string): Promise<Role | null> {
  const { rows } = await pool.query<{ commandJobsRole: Role | null }>(
    'select "commandJobsRole" from "Organization" where id = $1',
    [orgId],
  );
  return rows[0]?.commandJobsRole ?? null;
}

/** Grants (a role) or withdraws (null) command jobs for an organisation: the admin CLI only. */
export async function grantCommandJobs(orgId: string, role: Role | null): Promise<void> {
  await db.organization.update({ where: { id: orgId }, data: { commandJobsRole: role } });
}
