import type { PipelineStepView } from '../../lib/validations/pipeline';
import { db } from '../db';
import { PIPELINE_STEPS } from './sql';

/** `{steps}` for a pipeline run, `{}` for any other run: spread into the run's resource. */
export async function pipelineSteps(runId: string): Promise<{ steps?: PipelineStepView[] }> {
  const [row] = await db.$queryRawUnsafe<{ steps: PipelineStepView[] }[]>(...PIPELINE_STEPS.args({ runId }));
  return row ? { steps: row.steps } : {};
}
