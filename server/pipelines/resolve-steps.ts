import type { PipelineConfig } from '../../lib/validations/pipeline';
import type { Prisma } from '../db';
import { isUuid } from '../../lib/validations/ids';
import { db } from '../db';
import { AppError, type FieldError } from '../errors';

/**
 * A pipeline's steps as saved: each step's job (named by name or id) resolved to the id of a job of the
 * organisation, so renaming a job never breaks a pipeline. Refused with validation_failed at
 * `config.steps.<i>.job` when the job is not the organisation's, or is a pipeline (no nesting).
 * `selfId` is the pipeline's own id when it is being edited.
 */
export async function resolveSteps(
  orgId: string,
  config: PipelineConfig,
  selfId: string | null,
): Promise<PipelineConfig> {
  const names = [...new Set(config.steps.map((s) => s.job))];
  const ids = names.filter(isUuid).map((id) => id.toLowerCase());
  const jobs = await db.job.findMany({
    where: { orgId, OR: [{ name: { in: names } }, { id: { in: ids } }] },
    select: { id: true, name: true, type: true },
  });
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const errors: FieldError[] = [];
  const steps = config.steps.map((step, i) => {
    // An id wins over a job that happens to be named like one, as when a job is started.
    const job = (isUuid(step.job) && byId.get(step.job.toLowerCase())) || byName.get(step.job);
    const path = `config.steps.${i}.job`;
    if (!job) errors.push({ path, message: `No job "${step.job}" in this organisation` });
    else if (job.type === 'pipeline' || job.id === selfId)
      errors.push({ path, message: `"${job.name}" is a pipeline: a step runs a job, not another pipeline` });
    return { ...step, job: job?.id ?? step.job };
  });
  if (errors.length) throw new AppError('validation_failed', errors[0].message, { errors });
  return { steps };
}

/** A job's columns (server/jobs/job-columns.ts) with a pipeline's steps resolved; other types as they are. */
export async function withResolvedSteps<T extends { type: string; config: Prisma.InputJsonValue }>(
  orgId: string,
  columns: T,
  selfId: string | null,
): Promise<T> {
  if (columns.type !== 'pipeline') return columns;
  const config = await resolveSteps(orgId, columns.config as unknown as PipelineConfig, selfId);
  return { ...columns, config: config as unknown as Prisma.InputJsonValue };
}
