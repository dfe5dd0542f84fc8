'use server';

import { revalidatePath } from 'next/cache';
import { AppError } from '@/server/errors';
import { actionFailure, type ActionResult } from '@/server/http/action-result';
import { sessionActor } from '@/server/members/session-actor';
import { restartStep } from '@/server/pipelines/restart-step';

export type RestartStepResult = ActionResult<{ stepRunId: string | null }>;

/** "Start again" on a step of a pipeline run: the step's next attempt, and the flow after it. */
export async function restartStepAction(runId: string, stepId: string): Promise<RestartStepResult> {
  try {
    if (typeof runId !== 'string' || typeof stepId !== 'string')
      throw new AppError('bad_request', 'Choose a step of a pipeline run');
    const { stepRunId } = await restartStep(await sessionActor(), runId, stepId);
    revalidatePath(`/runs/${runId}`);
    return { ok: true, stepRunId };
  } catch (error) {
    return actionFailure(error);
  }
}
