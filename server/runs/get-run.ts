import type { UserActor } from '../auth/actor';
import { db } from '../db';
import { AppError } from '../errors';
import type { KeyPrincipal } from '../keys/authenticate-key';
import { isUuid } from '../../lib/validations/ids';

/** A run of the principal's organisation (and, for a scoped key, of its jobs); anything else is not found. */
export async function getRun(principal: KeyPrincipal | UserActor, runId: string) {
  const run = isUuid(runId)
    ? await db.jobRun.findFirst({ where: { id: runId, orgId: principal.orgId } })
    : null;
  if (
    !run ||
    (principal.kind === 'key' && principal.jobIds.length > 0 && !principal.jobIds.includes(run.jobId))
  ) {
    throw new AppError('run_not_found', `No run ${runId}`);
  }
  return run;
}
