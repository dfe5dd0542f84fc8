'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import {
  jobDefinitionSchema,
  runNowSchema,
  type JobDefinitionInput,
  type RunNowInput,
} from '@/lib/validations/job';
import { auditActor } from '@/server/auth/actor';
import { AppError } from '@/server/errors';
import { actionFailure, invalidInput, type ActionFailure } from '@/server/http/action-result';
import { createJob } from '@/server/jobs/create-job';
import { deleteJob } from '@/server/jobs/delete-job';
import { canManageJobs } from '@/server/jobs/get-job';
import { startJob } from '@/server/jobs/start-job';
import { updateJob } from '@/server/jobs/update-job';
import { sessionActor } from '@/server/members/session-actor';
import { isUuid } from '@/lib/validations/ids';

function jobId(id: unknown): string {
  if (!isUuid(id)) throw new AppError('job_not_found', 'No such job in this organisation');
  return id.toLowerCase();
}

export async function createJobAction(input: JobDefinitionInput): Promise<ActionFailure> {
  let id: string;
  try {
    const actor = await sessionActor();
    if (!canManageJobs(actor))
      throw new AppError('forbidden', 'Creating jobs needs the editor role or higher.');
    const parsed = jobDefinitionSchema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error.issues);
    ({ id } = await createJob(actor.orgId, parsed.data, auditActor(actor), actor));
  } catch (error) {
    return actionFailure(error);
  }
  revalidatePath('/jobs');
  redirect(`/jobs/${id}?created=1`);
}

export async function updateJobAction(id: string, input: JobDefinitionInput): Promise<ActionFailure> {
  try {
    const actor = await sessionActor();
    const parsed = jobDefinitionSchema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error.issues);
    await updateJob(actor, jobId(id), parsed.data);
  } catch (error) {
    return actionFailure(error);
  }
  revalidatePath('/jobs');
  revalidatePath(`/jobs/${id}`);
  redirect(`/jobs/${id}?saved=1`);
}

export async function deleteJobAction(id: string): Promise<ActionFailure> {
  try {
    const actor = await sessionActor();
    await deleteJob(actor, jobId(id));
  } catch (error) {
    return actionFailure(error);
  }
  revalidatePath('/jobs');
  revalidatePath('/runs');
  redirect('/jobs?deleted=1');
}

/** "Run now": queues a console run with the typed params and opens it. */
export async function runJobAction(id: string, input: RunNowInput): Promise<ActionFailure> {
  let runId: string;
  try {
    const actor = await sessionActor();
    if (!canManageJobs(actor))
      throw new AppError('forbidden', 'Running jobs needs the editor role or higher.');
    const parsed = runNowSchema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error.issues, 'Check the params.');
    const result = await startJob(actor, { id: jobId(id), params: parsed.data.params });
    if (result.dryRun) throw new AppError('internal_error', 'Unexpected dry run');
    runId = result.runId;
  } catch (error) {
    return actionFailure(error);
  }
  revalidatePath(`/jobs/${id}`);
  revalidatePath('/runs');
  redirect(`/runs/${runId}`);
}
