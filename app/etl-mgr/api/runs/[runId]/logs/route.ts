import { apiRoute, json, methodNotAllowed } from '@/server/http/api-route';
import { AppError } from '@/server/http/errors';
import { listRunLogs } from '@/server/runs/list-run-logs';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(async ({ request, principal, params }) => {
  const search = new URL(request.url).searchParams;
  const after = Number(search.get('after') ?? 0);
  const limit = Number(search.get('limit') ?? 500);
  if (!Number.isInteger(after) || after < 0 || !Number.isInteger(limit) || limit < 1) {
    throw new AppError('validation_failed', 'after and limit are whole numbers', { errors: [{ path: 'after', message: 'A seq from an earlier answer (0 for the start)' }] });
  }
  const { run, lines, next } = await listRunLogs(principal, params.runId, after, limit);
  return json({ runId: run.id, status: run.status, lines, next }, 200);
});

export const POST = methodNotAllowed('GET');
