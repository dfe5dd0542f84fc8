import { randomUUID } from 'node:crypto';
import type { UserActor } from '../auth/actor';
import { AppError } from '../errors';
import type { KeyPrincipal } from '../keys/authenticate-key';
import { startRun } from '../runs/start-batch';
import { checkParams } from './check-params';
import { lookupJob } from './job-cache';

export interface StartJobInput {
  id: string;
  params?: Record<string, unknown>;
  jobid?: string;
  dryRun?: boolean;
}

export type StartJobResult =
  | { dryRun: true; jobId: string; jobName: string }
  | { dryRun: false; jobId: string; jobName: string; runId: string };

export function keyMayRun(principal: KeyPrincipal | UserActor, jobId: string): boolean {
  return principal.kind !== 'key' || principal.jobIds.length === 0 || principal.jobIds.includes(jobId);
}

/**
 * Queues a run of a job of the principal's organisation. The run row, its queue entry and its audit
 * event are written in one transaction, with the other starts of the same moment (runs/start-batch.ts),
 * which also refuses a second active run of a "single" job.
 */
export async function startJob(
  principal: KeyPrincipal | UserActor,
  input: StartJobInput,
): Promise<StartJobResult> {
  const job = await lookupJob(principal.orgId, input.id);
  if (!keyMayRun(principal, job.id))
    throw new AppError('job_not_allowed', `This API key may not start the job "${job.name}"`);
  checkParams(job, input.params ?? {});
  if (input.dryRun) return { dryRun: true, jobId: job.id, jobName: job.name };

  const outcome = await startRun({
    runId: randomUUID(),
    orgId: principal.orgId,
    jobId: job.id,
    params: input.params ?? {},
    trigger: principal.kind === 'key' ? 'api' : 'console',
    apiKeyId: principal.kind === 'key' ? principal.keyId : null,
    userId: principal.kind === 'user' ? principal.userId : null,
    externalRef: input.jobid ?? null,
    scheduleId: null,
    single: job.concurrency === 'single',
    actor: principal.kind === 'key' ? `key:${principal.keyId}` : `user:${principal.userId}`,
    actorName: principal.kind === 'key' ? principal.name : principal.email,
    ip: principal.ip ?? null,
    jobName: job.name,
  });
  if ('activeRunId' in outcome) {
    throw new AppError(
      'job_already_running',
      `The job "${job.name}" runs one at a time and a run is already queued or running`,
      { extra: { runId: outcome.activeRunId } },
    );
  }
  return { dryRun: false, jobId: job.id, jobName: job.name, runId: outcome.runId };
}
