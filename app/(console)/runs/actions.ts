'use server';

import { revalidatePath } from 'next/cache';
import { unstable_rethrow } from 'next/navigation';
import { AppError, type FieldError } from '@/server/errors';
import { logger } from '@/server/observability/logger';
import { canManageJobs } from '@/server/jobs/get-job';
import { requestCancel, type CancelOutcome } from '@/server/runs/cancel-run';
import { sessionActor } from '@/server/members/session-actor';

export type CancelRunResult =
  { ok: true; outcome: CancelOutcome } | { ok: false; message: string; errors: FieldError[] };

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
    unstable_rethrow(error);
    if (error instanceof AppError) return { ok: false, message: error.message, errors: error.errors ?? [] };
    logger().error({ err: error }, 'console action failed');
    return { ok: false, message: 'Something went wrong on our side. Please try again.', errors: [] };
  }
}
