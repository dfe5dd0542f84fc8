import type { z } from 'zod';
import { authenticateApiKey, type KeyPrincipal } from '../keys/authenticate-key';
import { consumeRateLimit, enterKeyRequest, rateLimitHeaders } from '../keys/rate-limit';
import { clientAddress } from './client-address';
import { AppError, fieldErrors } from '../errors';
import { logger } from '../observability/logger';
import { recordApiRequest } from '../observability/metrics';
import { routeTemplate } from './api-paths';
import { newRequestId, problemCode, problemResponse } from './problem';
import { readJsonBody } from './read-json';

export interface ApiContext<Body = undefined, Query = undefined> {
  request: Request;
  principal: KeyPrincipal;
  requestId: string;
  params: Record<string, string>;
  body: Body;
  query: Query;
}

interface Inputs<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> {
  /** The JSON body's schema; the body is read with read-json.ts's limits. */
  body?: B;
  /** The query's schema, over its parameters as strings; a parameter given twice is refused. */
  query?: Q;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

const CHALLENGE = 'Bearer realm="etl-mgr"';

/**
 * The API key from `x-api-key`, or `Authorization: Bearer`. Cookies are never looked at. Two different
 * keys (or x-api-key twice, which arrives joined by a comma) are refused rather than one picked.
 */
export function presentedKey(request: Request): string | null {
  const header = request.headers.get('x-api-key')?.trim() || null;
  const match = request.headers.get('authorization')?.match(/^Bearer\s+(.+)$/i);
  const bearer = match ? match[1].trim() : null;
  if (header?.includes(',')) throw ambiguous('x-api-key was sent more than once; send one key');
  if (header && bearer && header !== bearer)
    throw ambiguous('x-api-key and Authorization: Bearer carry different keys; send one');
  return header ?? bearer;
}

function ambiguous(detail: string) {
  return new AppError('bad_request', detail, {
    headers: { 'WWW-Authenticate': `${CHALLENGE}, error="invalid_request"` },
  });
}

export function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/**
 * Wraps a handler of the job API: a request id, the API key checked, the rate limit counted, the query
 * and body parsed with their schemas, every failure written as problem+json (every 401 with
 * WWW-Authenticate), and the request counted (in memory). The handler calls one domain function and
 * shapes the answer.
 */
export function apiRoute<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
>(
  inputs: Inputs<B, Q> | ((ctx: ApiContext) => Promise<Response>),
  maybeHandler?: (ctx: ApiContext<Out<B>, Out<Q>>) => Promise<Response>,
) {
  const spec: Inputs<B, Q> = typeof inputs === 'function' ? {} : inputs;
  const handler = (typeof inputs === 'function' ? inputs : maybeHandler!) as (
    ctx: ApiContext<Out<B>, Out<Q>>,
  ) => Promise<Response>;
  return async (
    request: Request,
    route?: { params?: Promise<Record<string, string>> },
  ): Promise<Response> => {
    const startedAt = performance.now();
    const requestId = request.headers.get('x-request-id')?.slice(0, 100) || newRequestId();
    const params = (await route?.params) ?? {};
    let limitHeaders: Record<string, string> = {};
    let principal: KeyPrincipal | undefined;
    let response: Response;
    let leave = () => {};
    try {
      principal = await authenticateApiKey(presentedKey(request), clientAddress(request.headers));
      leave = enterKeyRequest(principal);
      const limit = await consumeRateLimit(principal);
      if (limit) limitHeaders = rateLimitHeaders(limit);
      const query = spec.query ? parseQuery(spec.query, new URL(request.url).searchParams) : undefined;
      const body = spec.body
        ? parseInput(spec.body, await readJsonBody(request), 'The request body is not valid')
        : undefined;
      response = await handler({
        request,
        principal,
        requestId,
        params,
        body: body as Out<B>,
        query: query as Out<Q>,
      });
      response.headers.set('x-request-id', requestId);
      for (const [name, value] of Object.entries(limitHeaders)) response.headers.set(name, value);
    } catch (error) {
      const challenge =
        error instanceof AppError && error.status === 401 && !error.headers?.['WWW-Authenticate'];
      const headers = challenge
        ? {
            ...limitHeaders,
            'WWW-Authenticate': `${CHALLENGE}, error="invalid_token", error_description="${(error as AppError).code}"`,
          }
        : limitHeaders;
      response = problemResponse(error, requestId, headers, {
        orgId: principal?.orgId,
        keyId: principal?.keyId,
      });
    }
    leave();
    finishRequest(request, response, requestId, principal, startedAt);
    return response;
  };
}

function finishRequest(
  request: Request,
  response: Response,
  requestId: string,
  principal: KeyPrincipal | undefined,
  startedAt: number,
) {
  const route = routeTemplate(pathOf(request.url));
  const code = problemCode(response) ?? 'none';
  recordApiRequest(request.method, route, response.status, code, startedAt);
  const log = logger();
  if (log.isLevelEnabled('debug')) {
    const ms = Math.round(performance.now() - startedAt);
    log.debug(
      {
        requestId,
        orgId: principal?.orgId,
        keyId: principal?.keyId,
        method: request.method,
        route,
        status: response.status,
        code,
        ms,
      },
      'api request',
    );
  }
}

/** The path of a request URL, whatever Host made of it ('http://a/b/etl-mgr/...' gives '/b/etl-mgr/...'). */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

function parseInput<S extends z.ZodType>(schema: S, input: unknown, message: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw new AppError('validation_failed', message, { errors: fieldErrors(parsed.error.issues) });
  return parsed.data;
}

function parseQuery<S extends z.ZodType>(schema: S, search: URLSearchParams): z.output<S> {
  const query: Record<string, string> = Object.create(null);
  for (const [name, value] of search) {
    if (name in query)
      throw new AppError('validation_failed', `The query parameter ${name.slice(0, 40)} is given twice`, {
        errors: [{ path: name.slice(0, 40), message: 'Give it once' }],
      });
    query[name] = value;
  }
  return parseInput(schema, query, 'The query is not valid');
}
