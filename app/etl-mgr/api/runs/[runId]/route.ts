import { apiRoute, json } from '@/server/http/api-route';
import { otherMethods } from '@/server/http/api-paths';
import { getRun } from '@/server/runs/get-run';
import { publicRun } from '@/server/runs/public-run';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(async ({ principal, params }) =>
  json(publicRun(await getRun(principal, params.runId)), 200),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET, HEAD');
