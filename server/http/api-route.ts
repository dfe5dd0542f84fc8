import { authenticateApiKey, type KeyPrincipal } from '../keys/authenticate-key';
import { consumeRateLimit, rateLimitHeaders } from '../keys/rate-limit';
import { clientAddress } from './client-address';
import { AppError } from './errors';
import { logger } from '../observability/logger';
import { recordApiRequest, routeLabel } from '../observability/metrics';
import { newRequestId, problemCode, problemResponse } from './problem';

export interface ApiContext {
  request: Request;
  principal: KeyPrincipal;
  requestId: string;
  params: Record<string, string>;
}

/** The API key from `x-api-key`, or `Authorization: Bearer`. Cookies are never looked at. */
export function presentedKey(request: Request): string | null {
  const header = request.headers.get('x-api-key');
  if (header) return header.trim();
  const auth = request.headers.get('authorization');
  const match = auth?.match(/^Bearer\s+(.+)$/i);
  return match ? match[1].trim() : null;
}

export function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/**
 * Wraps a handler of the job API: a request id, the API key checked, every failure written as
 * problem+json, and the request counted (in memory). The handler parses its input, calls one domain
 * function and shapes the answer.
 */
export function apiRoute(handler: (ctx: ApiContext) => Promise<Response>) {
  return async (request: Request, route?: { params?: Promise<Record<string, string>> }): Promise<Response> => {
    const startedAt = performance.now();
    const requestId = request.headers.get('x-request-id')?.slice(0, 100) || newRequestId();
    const params = (await route?.params) ?? {};
    let limitHeaders: Record<string, string> = {};
    let principal: KeyPrincipal | undefined;
    let response: Response;
    try {
      principal = await authenticateApiKey(presentedKey(request), clientAddress(request.headers));
      const limit = await consumeRateLimit(principal);
      if (limit) limitHeaders = rateLimitHeaders(limit);
      response = await handler({ request, principal, requestId, params });
      response.headers.set('x-request-id', requestId);
      for (const [name, value] of Object.entries(limitHeaders)) response.headers.set(name, value);
    } catch (error) {
      response = problemResponse(error, requestId, limitHeaders, { orgId: principal?.orgId, keyId: principal?.keyId });
    }
    finishRequest(request, params, response, requestId, principal, startedAt);
    return response;
  };
}

function finishRequest(request: Request, params: Record<string, string>, response: Response, requestId: string, principal: KeyPrincipal | undefined, startedAt: number) {
  const route = routeLabel(request.url, params);
  const code = problemCode(response) ?? 'none';
  recordApiRequest(request.method, route, response.status, code, startedAt);
  const log = logger();
  if (log.isLevelEnabled('debug')) {
    const ms = Math.round(performance.now() - startedAt);
    log.debug({ requestId, orgId: principal?.orgId, keyId: principal?.keyId, method: request.method, route, status: response.status, code, ms }, 'api request');
  }
}

/** Answers other methods of a POST-only route. */
export function methodNotAllowed(allow: string) {
  return async (request: Request): Promise<Response> => {
    const startedAt = performance.now();
    const requestId = request.headers.get('x-request-id')?.slice(0, 100) || newRequestId();
    const response = problemResponse(new AppError('method_not_allowed', `Use ${allow} on this endpoint`), requestId, { Allow: allow });
    finishRequest(request, {}, response, requestId, undefined, startedAt);
    return response;
  };
}
