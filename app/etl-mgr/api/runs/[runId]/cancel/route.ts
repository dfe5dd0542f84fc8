import { apiRoute, json } from '@/server/http/api-route';
import { otherMethods } from '@/server/http/api-paths';
import { requestCancel } from '@/server/runs/cancel-run';
import { getRun } from '@/server/runs/get-run';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(async ({ principal, params }) => {
  const run = await getRun(principal, params.runId);
  const result = await requestCancel(principal.orgId, run.id);
  if (result.outcome === 'already_finished') {
    return json({ message: 'run already finished', runId: run.id, status: result.run.status }, 200);
  }
  return json(
    {
      message: result.outcome === 'cancelled' ? 'run cancelled' : 'cancel requested',
      runId: run.id,
      status: result.run.status,
    },
    202,
    { Location: `/etl-mgr/api/runs/${run.id}` },
  );
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
