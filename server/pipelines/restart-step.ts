import type { UserActor } from '../auth/actor';
import { recordAudit } from '../audit/record';
import { db } from '../db';
import { AppError } from '../errors';
import type { KeyPrincipal } from '../keys/authenticate-key';
import { canManageJobs } from '../jobs/get-job';
import { getRun } from '../runs/get-run';
import { RESTART_STEP } from './sql';

const REFUSALS: Record<string, [code: 'conflict' | 'not_found', message: (step: string) => string]> = {
  step_not_found: ['not_found', (s) => `This pipeline run has no step "${s}"`],
  step_not_finished: [
    'conflict',
    (s) =>
      `Step "${s}" has not finished (or was skipped): start again a step that succeeded, failed or was cancelled`,
  ],
  parents_not_succeeded: [
    'conflict',
    (s) => `Step "${s}" runs after its parents succeed and one did not: start that parent again instead`,
  ],
  descendants_running: [
    'conflict',
    (s) => `Step "${s}" or a step after it is still queued or running: wait for it, or cancel it first`,
  ],
};

/**
 * "Start this step again": the step's next attempt starts, and the flow after it runs again; the pipeline
 * run is running again until its steps are done. A key must be allowed to start the pipeline's job (its
 * scope covers the pipeline, not each step). Returns the step's new run (null if it was skipped at once).
 */
export async function restartStep(
  principal: KeyPrincipal | UserActor,
  runId: string,
  stepId: string,
): Promise<{ runId: string; stepId: string; stepRunId: string | null }> {
  if (principal.kind === 'user' && !canManageJobs(principal))
    throw new AppError('forbidden', 'Starting steps again needs the editor role or higher.');
  const run = await getRun(principal, runId);
  return db.$transaction(async (tx) => {
    const [result] = await tx.$queryRawUnsafe<{ outcome: string; runId: string | null }[]>(
      ...RESTART_STEP.args({ runId: run.id, orgId: principal.orgId, stepId }),
    );
    if (result?.outcome === 'run_not_found') throw new AppError('run_not_found', `No run ${runId}`);
    if (result?.outcome !== 'restarted') {
      const [code, message] = REFUSALS[result?.outcome ?? 'step_not_found'] ?? REFUSALS.step_not_found;
      throw new AppError(code, message(stepId));
    }
    await recordAudit(
      {
        orgId: principal.orgId,
        ...(principal.kind === 'key'
          ? { actor: `key:${principal.keyId}`, actorName: principal.name, ip: principal.ip ?? null }
          : { actor: `user:${principal.userId}`, actorName: principal.email, ip: principal.ip ?? null }),
        action: 'pipeline.step_restarted',
        target: `run:${run.id}`,
        details: { stepId, stepRunId: result.runId },
      },
      tx,
    );
    return { runId: run.id, stepId, stepRunId: result.runId };
  });
}
