import { runsListQuerySchema } from '@/lib/validations/job-api';
import { apiRoute, json } from '@/server/http/api-route';
import { otherMethods } from '@/server/http/api-paths';
import { listApiRuns } from '@/server/runs/list-api-runs';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ query: runsListQuerySchema }, async ({ principal, query }) =>
  json(await listApiRuns(principal, query), 200),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET, HEAD');
