import { apiRoute, json } from '@/server/http/api-route';
import { otherMethods } from '@/server/http/api-paths';
import { restartStep } from '@/server/pipelines/restart-step';

export const dynamic = 'force-dynamic';

/** Starts a step of a pipeline run again; the flow after it follows. */
export const POST = apiRoute(async ({ principal, params }) => {
  const result = await restartStep(principal, params.runId, params.stepId);
  return json(
    {
      message: 'step started again',
      runId: result.runId,
      stepId: result.stepId,
      stepRunId: result.stepRunId,
    },
    202,
  );
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
