'use server';

import { revalidatePath } from 'next/cache';
import { AppError } from '@/server/errors';
import { actionFailure, type ActionResult } from '@/server/http/action-result';
import { canManageJobs } from '@/server/jobs/get-job';
import { requestCancel, type CancelOutcome } from '@/server/runs/cancel-run';
import { sessionActor } from '@/server/members/session-actor';

export type CancelRunResult = ActionResult<{ outcome: CancelOutcome }>;

/** "Cancel" on a run: a queued run ends at once, a running one within a few seconds (its worker stops it). */
export async function cancelRunAction(runId: string): Promise<CancelRunResult> {
  try {
    const actor = await sessionActor();
    if (!canManageJobs(actor))
      throw new AppError('forbidden', 'Cancelling runs needs the editor role or higher.');
    if (typeof runId !== 'string') throw new AppError('run_not_found', 'No such run');
    const { outcome } = await requestCancel(actor.orgId, runId);
    revalidatePath(`/runs/${runId}`);
    return { ok: true, outcome };
  } catch (error) {
    return actionFailure(error);
  }
}
