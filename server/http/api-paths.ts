import { AppError } from '../errors';
import { recordApiRequest } from '../observability/metrics';
import { newRequestId, problemCode, problemResponse } from './problem';

// Every path of the job API and the methods it serves. scripts/web.ts asks apiGate before anything else
// (TRACE never reaches Next, whose Request cannot carry it), in production and `npm run dev` alike; the
// route files answer the same way through otherMethods and the catch-all route should Next be reached
// without it.

export const API_PREFIX = '/etl-mgr/api';

const GET = ['GET', 'HEAD'];
/** Each path, its methods, and its route template (the metrics' route label). */
const API_PATHS: { pattern: RegExp; methods: string[]; route: string }[] = [
  { pattern: /^\/etl-mgr\/api\/apijob$/, methods: ['POST'], route: '/etl-mgr/api/apijob' },
  { pattern: /^\/etl-mgr\/api\/runs$/, methods: GET, route: '/etl-mgr/api/runs' },
  { pattern: /^\/etl-mgr\/api\/runs\/[^/]+$/, methods: GET, route: '/etl-mgr/api/runs/:runId' },
  {
    pattern: /^\/etl-mgr\/api\/runs\/[^/]+\/cancel$/,
    methods: ['POST'],
    route: '/etl-mgr/api/runs/:runId/cancel',
  },
  { pattern: /^\/etl-mgr\/api\/runs\/[^/]+\/logs$/, methods: GET, route: '/etl-mgr/api/runs/:runId/logs' },
  // Pipelines: start a step of a pipeline run again.
  {
    pattern: /^\/etl-mgr\/api\/runs\/[^/]+\/steps\/[^/]+\/restart$/,
    methods: ['POST'],
    route: '/etl-mgr/api/runs/:runId/steps/:stepId/restart',
  },
  { pattern: /^\/etl-mgr\/api\/openapi\.json$/, methods: GET, route: '/etl-mgr/api/openapi.json' },
];
/** The label of every path the API does not serve: paths never become label values. */
export const UNKNOWN_ROUTE = '(unknown)';

/** The route template of a path the API serves, else UNKNOWN_ROUTE: the only route labels. */
export function routeTemplate(pathname: string): string {
  return (
    (hasDotSegment(pathname) ? undefined : API_PATHS.find((r) => r.pattern.test(pathname)))?.route ??
    UNKNOWN_ROUTE
  );
}

export function isApiPath(pathname: string): boolean {
  return pathname === API_PREFIX || pathname.startsWith(`${API_PREFIX}/`);
}

/** The answer for a method or path the API does not serve; null when a handler should answer. */
export function apiGate(method: string, pathname: string, requestId?: string | null): Response | null {
  // No path of the API has a dot segment; Next would resolve one into another path (or a redirect).
  const route = hasDotSegment(pathname) ? undefined : API_PATHS.find((r) => r.pattern.test(pathname));
  if (!route) return notFound(requestId);
  if (!route.methods.includes(method)) return refuseMethod(method, route.methods.join(', '), requestId);
  // Next fails decoding such an id with a plain-text 500; no id is spelt that way, so there is no such run.
  if (!decodes(pathname))
    return problemResponse(
      route.route.includes(':runId')
        ? new AppError('run_not_found', 'No run has this id')
        : new AppError('not_found', 'No such endpoint; see /etl-mgr/api/openapi.json'),
      requestId || newRequestId(),
    );
  return null;
}

/**
 * apiGate, with its answer counted in the metrics like any other answer of the API.
 */
export function countedApiGate(method: string, pathname: string, requestId?: string | null): Response | null {
  const startedAt = performance.now();
  const answer = apiGate(method, pathname, requestId);
  if (answer) {
    recordApiRequest(
      method,
      routeTemplate(pathname),
      answer.status,
      problemCode(answer) ?? 'none',
      startedAt,
    );
  }
  return answer;
}

export function hasDotSegment(pathname: string): boolean {
  return pathname.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment));
}

function decodes(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export function notFound(requestId?: string | null): Response {
  return problemResponse(
    new AppError('not_found', 'No such endpoint; see /etl-mgr/api/openapi.json'),
    requestId || newRequestId(),
  );
}

/** OPTIONS: 204 with Allow; any other method: 405 problem+json with Allow. */
export function refuseMethod(method: string, allow: string, requestId?: string | null): Response {
  if (method === 'OPTIONS')
    return new Response(null, {
      status: 204,
      headers: { Allow: allow, 'x-request-id': requestId || newRequestId() },
    });
  const shown = method.replace(/[^A-Z0-9-]/gi, '').slice(0, 20);
  return problemResponse(
    new AppError('method_not_allowed', `${shown} is not served here; use ${allow}`),
    requestId || newRequestId(),
    { Allow: allow },
  );
}

type Handler = (request: Request) => Promise<Response>;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Handlers for a route file's other methods, so `next dev` answers as scripts/web.ts does. */
export function otherMethods(allow: string): Record<(typeof METHODS)[number], Handler> {
  const handler: Handler = async (request) =>
    refuseMethod(request.method, allow, request.headers.get('x-request-id')?.slice(0, 100));
  return Object.fromEntries(METHODS.map((m) => [m, handler])) as Record<(typeof METHODS)[number], Handler>;
}
