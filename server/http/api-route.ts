import { authenticateApiKey, type KeyPrincipal } from '../keys/authenticate-key';
import { consumeRateLimit, rateLimitHeaders } from '../keys/rate-limit';
import { clientAddress } from './client-address';
import { AppError } from './errors';
import { newRequestId, problemResponse } from './problem';

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
 * problem+json. The handler parses its input, calls one domain function and shapes the answer.
 */
export function apiRoute(handler: (ctx: ApiContext) => Promise<Response>) {
  return async (request: Request, route?: { params?: Promise<Record<string, string>> }): Promise<Response> => {
    const requestId = request.headers.get('x-request-id')?.slice(0, 100) || newRequestId();
    let limitHeaders: Record<string, string> = {};
    try {
      const principal = await authenticateApiKey(presentedKey(request), clientAddress(request.headers));
      const limit = await consumeRateLimit(principal);
      if (limit) limitHeaders = rateLimitHeaders(limit);
      const params = (await route?.params) ?? {};
      const response = await handler({ request, principal, requestId, params });
      response.headers.set('x-request-id', requestId);
      for (const [name, value] of Object.entries(limitHeaders)) response.headers.set(name, value);
      return response;
    } catch (error) {
      return problemResponse(error, requestId, limitHeaders);
    }
  };
}

/** Answers other methods of a POST-only route. */
export function methodNotAllowed(allow: string) {
  return async (request: Request): Promise<Response> =>
    problemResponse(new AppError('method_not_allowed', `Use ${allow} on this endpoint`), request.headers.get('x-request-id') || newRequestId(), { Allow: allow });
}
