import { z } from 'zod';

// A pipeline job's config: steps, each running a job of the organisation after its parents (docs/pipelines.md).

export const MAX_PIPELINE_STEPS = 100;

const stepIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** A param value taken from the pipeline run's own params: `{"$param": "day"}`. */
export const paramRefSchema = z.strictObject({
  $param: z.string().min(1, 'Name the pipeline param').max(200),
});

const paramValueSchema = z.unknown().superRefine((value, ctx) => {
  if (value && typeof value === 'object' && !Array.isArray(value) && '$param' in value) {
    const ref = paramRefSchema.safeParse(value);
    if (!ref.success)
      ctx.addIssue({
        code: 'custom',
        message: 'A {"$param": "name"} object names one pipeline param and nothing else',
      });
  }
});

export const pipelineStepSchema = z.strictObject({
  id: z
    .string()
    .trim()
    .regex(stepIdPattern, 'Letters, digits, _ and - (64 at most), starting with a letter or digit'),
  /** A job of the organisation, by name or id (saved as its id); not a pipeline. */
  job: z.string().trim().min(1, 'Choose the job this step runs').max(200),
  parents: z.array(z.string().max(64)).max(MAX_PIPELINE_STEPS).default([]),
  /** succeeded: runs when every parent succeeded; finished: when every parent ended, whatever the outcome. */
  condition: z.enum(['succeeded', 'finished']).default('succeeded'),
  params: z.record(z.string().max(200), paramValueSchema).default({}),
});

export const pipelineConfigSchema = z
  .strictObject({
    steps: z
      .array(pipelineStepSchema)
      .min(1, 'Add at least one step')
      .max(MAX_PIPELINE_STEPS, `At most ${MAX_PIPELINE_STEPS} steps`),
  })
  .superRefine((config, ctx) => {
    for (const issue of graphIssues(config.steps)) ctx.addIssue({ code: 'custom', ...issue });
  });

export type PipelineStep = z.output<typeof pipelineStepSchema>;

/** A step's status in a pipeline run: its run's, or pending (not started yet) or skipped. */
export type PipelineStepStatus =
  'pending' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'skipped';

/** A step of a pipeline run as the API shows it (etl_pipeline_steps in the database writes it). */
export interface PipelineStepView {
  id: string;
  /** The job's id, and its name while it exists. */
  job: string;
  jobName: string | null;
  parents: string[];
  condition: 'succeeded' | 'finished';
  status: PipelineStepStatus;
  /** The run of the step's current attempt; null while pending, when skipped or when it could not start. */
  runId: string | null;
  attempt: number | null;
  error: string | null;
}
export type PipelineConfig = z.output<typeof pipelineConfigSchema>;

/**
 * What makes the steps not a DAG, each at its path: a repeated id, an unknown parent or the step itself
 * as parent, and a cycle, reported at the parent that closes it when the steps are read in order.
 */
export function graphIssues(
  steps: ReadonlyArray<{ id: string; parents: readonly string[] }>,
): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const index = new Map<string, number>();
  steps.forEach((step, i) => {
    if (index.has(step.id))
      issues.push({ path: ['steps', i, 'id'], message: `Step id "${step.id}" is used twice` });
    else index.set(step.id, i);
  });
  steps.forEach((step, i) =>
    step.parents.forEach((parent, j) => {
      if (parent === step.id)
        issues.push({ path: ['steps', i, 'parents', j], message: 'A step cannot be its own parent' });
      else if (!index.has(parent))
        issues.push({ path: ['steps', i, 'parents', j], message: `No step "${parent}" in this pipeline` });
    }),
  );
  if (issues.length) return issues;

  // The steps read in order, each with its parents: the first parent that reaches back to its step
  // through the steps read so far closes a cycle.
  const children = new Map<string, string[]>();
  for (const [i, step] of steps.entries()) {
    const from = new Map<string, string>([[step.id, '']]); // step → the step it was reached from
    const queue = [step.id];
    for (const id of queue)
      for (const child of children.get(id) ?? [])
        if (!from.has(child)) {
          from.set(child, id);
          queue.push(child);
        }
    for (const [j, parent] of step.parents.entries()) {
      if (!from.has(parent)) continue;
      const cycle = [parent];
      for (let at = parent; at !== step.id;) cycle.unshift((at = from.get(at)!));
      // Shown in the flow's direction, parent first.
      return [
        { path: ['steps', i, 'parents', j], message: `Makes a cycle: ${[...cycle, step.id].join(' → ')}` },
      ];
    }
    for (const parent of step.parents) children.set(parent, [...(children.get(parent) ?? []), step.id]);
  }
  return [];
}
