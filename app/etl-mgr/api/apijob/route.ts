import { apiJobQuerySchema, apiJobRequestSchema } from '@/lib/validations/job-api';
import { apiRoute, json } from '@/server/http/api-route';
import { otherMethods } from '@/server/http/api-paths';
import { AppError } from '@/server/errors';
import { idempotent } from '@/server/http/idempotency';
import { jobStatus } from '@/server/jobs/job-status';
import { startJob } from '@/server/jobs/start-job';
import { stopJob } from '@/server/jobs/stop-job';
import { noteRequestedJob, withKeyUsage } from '@/server/keys/usage/collect';

export const dynamic = 'force-dynamic';

export const POST = withKeyUsage(
  apiRoute(
    { body: apiJobRequestSchema, query: apiJobQuerySchema },
    async ({ request, principal, body: input, query }) => {
      if (input.action && query.action && input.action !== query.action) {
        throw new AppError(
          'validation_failed',
          `The body says action "${input.action}" and the query "${query.action}"; send one`,
          {
            errors: [{ path: 'action', message: 'Differs from ?action=' }],
          },
        );
      }
      noteRequestedJob(request, input.id);
      const action = input.action ?? query.action ?? 'start';

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
      return idempotent(
        principal,
        request.headers.get('idempotency-key'),
        JSON.stringify([action, input]),
        async () => {
          const result = await startJob(principal, input);
          if (result.dryRun)
            return json({ message: 'dry run ok', id: result.jobId, name: result.jobName, dryRun: true }, 200);
          const statusUrl = `/etl-mgr/api/runs/${result.runId}`;
          return json(
            {
              message: 'job started',
              id: result.jobId,
              name: result.jobName,
              runId: result.runId,
              status: 'queued',
              statusUrl,
            },
            202,
            { Location: statusUrl },
          );
        },
      );
    },
  ),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
