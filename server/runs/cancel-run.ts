import { db } from '../db';
import { AppError } from '../errors';
import { cancelPipelineRun } from '../pipelines/cancel-pipeline';
import { appendSystemLog } from './append-system-log';
import { CANCEL_RUN } from './sql';
import { isUuid } from '../../lib/validations/ids';

export type CancelOutcome = 'cancelled' | 'cancel_requested' | 'already_finished';

export interface CancelResult {
  outcome: CancelOutcome;
  run: { id: string; jobId: string; status: string };
}

/**
 * Asks a run of `orgId` to stop. A queued run is cancelled at once (its queue entry then finds nothing
 * to claim); a running one gets cancelRequestedAt, which its worker reads on its next heartbeat (2 s)
 * and ends the run 'cancelled'; a finished run is reported as such. Another organisation's run, or
 * none at all, is run_not_found.
 */
export async function requestCancel(orgId: string, runId: string): Promise<CancelResult> {
  if (!isUuid(runId) || !isUuid(orgId)) throw new AppError('run_not_found', `No run ${runId}`);
  // Pipelines: a pipeline run has no worker to ask; it stops with its steps (server/pipelines).
  const pipeline = await cancelPipelineRun(orgId, runId);
  if (pipeline) return pipeline;
  return db.$transaction(async (tx) => {
    // One statement decides, so a worker claiming the run at the same moment cannot slip in between.
    const [changed] = await tx.$queryRawUnsafe<CancelResult['run'][]>(...CANCEL_RUN.args({ runId, orgId }));
    if (changed?.status === 'cancelled') {
      await appendSystemLog(tx, runId, 'cancelled before it started');
      return { outcome: 'cancelled', run: changed };
    }
    if (changed) return { outcome: 'cancel_requested', run: changed };

    // Finished states never change again, so this read cannot race with the update above.
    const run = await tx.jobRun.findFirst({
      where: { id: runId, orgId },
      select: { id: true, jobId: true, status: true },
    });
    if (!run) throw new AppError('run_not_found', `No run ${runId}`);
    return { outcome: 'already_finished', run };
  });
}
