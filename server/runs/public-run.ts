import type { PublicRun, RunSnapshot, RunStatusName } from '../../lib/validations/run';
import type { JobRun, RunStatus } from '../db';

// lib/validations/run.ts spells the statuses for the client; this fails to compile when Prisma's differ.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const statusesMatch: Same<RunStatus, RunStatusName> = true;
void statusesMatch;

/** A run as the API shows it. */
export function publicRun(run: JobRun): PublicRun {
  return {
    id: run.id,
    jobId: run.jobId,
    status: run.status,
    params: run.params,
    trigger: run.trigger,
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

/** A run as the console's run page follows it. */
export function runSnapshot(run: JobRun): RunSnapshot {
  return { ...publicRun(run), cancelRequestedAt: run.cancelRequestedAt?.toISOString() ?? null };
}
