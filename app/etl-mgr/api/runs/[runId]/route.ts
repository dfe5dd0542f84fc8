import { apiRoute, json } from '@/server/http/api-route';
import { otherMethods } from '@/server/http/api-paths';
import { pipelineSteps } from '@/server/pipelines/pipeline-steps';
import { getRun } from '@/server/runs/get-run';
import { publicRun } from '@/server/runs/public-run';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(async ({ principal, params }) => {
  const run = await getRun(principal, params.runId);
  // A pipeline run lists its steps too.
  return json({ ...publicRun(run), ...(await pipelineSteps(run.id)) }, 200);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET, HEAD');
