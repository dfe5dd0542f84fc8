import { apiJobRequestSchema, JOB_ACTIONS } from '@/lib/validations/job-api';
import { apiRoute, json, methodNotAllowed } from '@/server/http/api-route';
import { AppError, fieldErrors } from '@/server/http/errors';
import { idempotent } from '@/server/http/idempotency';
import { readJsonBody } from '@/server/http/read-json';
import { jobStatus } from '@/server/jobs/job-status';
import { startJob } from '@/server/jobs/start-job';
import { stopJob } from '@/server/jobs/stop-job';
import { noteRequestedJob, withKeyUsage } from '@/server/keys/usage/collect';

export const dynamic = 'force-dynamic';

export const POST = withKeyUsage(apiRoute(async ({ request, principal }) => {
  const body = apiJobRequestSchema.safeParse(await readJsonBody(request));
  if (!body.success) throw new AppError('validation_failed', 'The request body is not valid', { errors: fieldErrors(body.error.issues) });
  const queryAction = new URL(request.url).searchParams.get('action');
  if (queryAction !== null && !(JOB_ACTIONS as readonly string[]).includes(queryAction)) {
    throw new AppError('validation_failed', 'Unknown action', { errors: [{ path: 'action', message: `One of ${JOB_ACTIONS.join(', ')}` }] });
  }
  const input = body.data;
  noteRequestedJob(request, input.id);
  const action = input.action ?? queryAction ?? 'start';

  if (action === 'status') {
    const { job, lastRun } = await jobStatus(principal, input.id);
    const status = lastRun?.status ?? 'never run';
    return json({ message: status, id: job.id, name: job.name, status, lastRun }, 200);
  }
  if (action === 'stop') {
    const stopped = await stopJob(principal, input.id);
    return stopped.runId
      ? json({ message: 'job stopped', id: stopped.jobId, runId: stopped.runId }, 200)
      : json({ message: 'job already stopped', id: stopped.jobId }, 200);
  }
  return idempotent(principal.orgId, request.headers.get('idempotency-key'), JSON.stringify([action, input]), async () => {
    const result = await startJob(principal, input);
    if (result.dryRun) return json({ message: 'dry run ok', id: result.jobId, name: result.jobName, dryRun: true }, 200);
    const statusUrl = `/etl-mgr/api/runs/${result.runId}`;
    return json({ message: 'job started', id: result.jobId, name: result.jobName, runId: result.runId, status: 'queued', statusUrl }, 202, { Location: statusUrl });
  });
}));

export const GET = methodNotAllowed('POST');
export const PUT = methodNotAllowed('POST');
export const PATCH = methodNotAllowed('POST');
export const DELETE = methodNotAllowed('POST');
