import { randomUUID } from 'node:crypto';
import type { UserActor } from '../auth/actor';
import { pool } from '../db';
import { AppError } from '../errors';
import type { KeyPrincipal } from '../keys/authenticate-key';
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
 * Queues a run of a job of the principal's organisation. The run row and its queue entry are written by
 * one SQL function in one transaction (etl_start_run), which also refuses a second active run of a
 * "single" job.
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

  const { rows } = await pool.query<{ run_id: string | null; active_run_id: string | null }>(
    'select run_id, active_run_id from etl_start_run($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)',
    [
      randomUUID(),
      principal.orgId,
      job.id,
      JSON.stringify(input.params ?? {}),
      principal.kind === 'key' ? 'api' : 'console',
      principal.kind === 'key' ? principal.keyId : null,
      principal.kind === 'user' ? principal.userId : null,
      input.jobid ?? null,
      job.concurrency === 'single',
      principal.kind === 'key' ? `key:${principal.keyId}` : `user:${principal.userId}`,
      principal.kind === 'key' ? principal.name : principal.email,
      principal.ip ?? null,
      job.name,
    ],
  );
  const { run_id, active_run_id } = rows[0];
  if (!run_id) {
    throw new AppError(
      'job_already_running',
      `The job "${job.name}" runs one at a time and a run is already queued or running`,
      {
        extra: { runId: active_run_id },
      },
    );
  }
  return { dryRun: false, jobId: job.id, jobName: job.name, runId: run_id };
}
