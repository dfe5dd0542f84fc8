import { runLogsQuerySchema } from '@/lib/validations/job-api';
import { apiRoute, json } from '@/server/http/api-route';
import { otherMethods } from '@/server/http/api-paths';
import { listRunLogs, listRunLogsBefore } from '@/server/runs/list-run-logs';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ query: runLogsQuerySchema }, async ({ principal, params, query }) => {
  if (query.before !== undefined) {
    const { run, lines, next, prev } = await listRunLogsBefore(
      principal,
      params.runId,
      query.before,
      query.limit,
    );
    return json({ runId: run.id, status: run.status, lines, next, prev }, 200);
  }
  const { run, lines, next } = await listRunLogs(principal, params.runId, query.after, query.limit);
  return json({ runId: run.id, status: run.status, lines, next }, 200);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET, HEAD');
