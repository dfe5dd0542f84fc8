import type { JobRun } from '../db';

/** A run as the API shows it. */
export function publicRun(run: JobRun) {
  return {
    id: run.id,
    jobId: run.jobId,
    status: run.status,
    params: run.params,
    trigger: run.trigger,
    /** Which key (trigger "api") or schedule (trigger "schedule") started it. */
    apiKeyId: run.apiKeyId,
    scheduleId: run.scheduleId,
    jobid: run.externalRef,
    queuedAt: run.queuedAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    exitCode: run.exitCode,
    error: run.error,
    attempt: run.attempt,
  };
}
