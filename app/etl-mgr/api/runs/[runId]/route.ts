import { apiRoute, json, methodNotAllowed } from '@/server/http/api-route';
import { getRun } from '@/server/runs/get-run';
import { publicRun } from '@/server/runs/public-run';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(async ({ principal, params }) => json(publicRun(await getRun(principal, params.runId)), 200));

export const POST = methodNotAllowed('GET');
export const PUT = methodNotAllowed('GET');
export const PATCH = methodNotAllowed('GET');
export const DELETE = methodNotAllowed('GET');
