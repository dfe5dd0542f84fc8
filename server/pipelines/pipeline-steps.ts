import { db } from '../db';
import { PIPELINE_STEPS } from './sql';

/** A step of a pipeline run as the API shows it (etl_pipeline_steps in the database writes it). */
export interface PipelineStepView {
  id: string;
  /** The job's id, and its name while it exists. */
  job: string;
  jobName: string | null;
  parents: string[];
  condition: 'succeeded' | 'finished';
  /** pending (not started yet), queued, running, succeeded, failed, cancelled, or skipped. */
  status: string;
  /** The run of the step's current attempt; null while pending, when skipped or when it could not start. */
  runId: string | null;
  attempt: number | null;
  error: string | null;
}

/** `{steps}` for a pipeline run, `{}` for any other run: spread into the run's resource. */
export async function pipelineSteps(runId: string): Promise<{ steps?: PipelineStepView[] }> {
  const [row] = await db.$queryRawUnsafe<{ steps: PipelineStepView[] }[]>(...PIPELINE_STEPS.args({ runId }));
  return row ? { steps: row.steps } : {};
}
