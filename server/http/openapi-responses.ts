import type { ErrorCode } from '../errors';
import { ERROR_STATUS } from '../errors';
import { ref, uuid } from './openapi-schemas';

// The OpenAPI document's response headers, error answers and shared parameters.

const text = (description: string, example: string) => ({ description, schema: { type: 'string' }, example });
const integer = (description: string) => ({ description, schema: { type: 'integer', minimum: 0 } });
const headers = {
  'RateLimit-Limit': integer('Requests this key may make in any 60 s (absent when it has no limit)'),
  'RateLimit-Remaining': integer('Requests this key may still make now (a sliding 60 s window)'),
  'RateLimit-Reset': integer('Seconds until some of the used quota is free again'),
  'RateLimit-Policy': text('The limit and its window', '600;w=60'),
  'Retry-After': integer('Seconds to wait before trying again'),
  'WWW-Authenticate': text(
    'The scheme to authenticate with (RFC 6750 error codes)',
    'Bearer realm="etl-mgr", error="invalid_token"',
  ),
  'X-Request-Id': text('Quote it when reporting a problem; your own X-Request-Id is echoed', '5f0c…'),
  Location: text('The run resource', '/etl-mgr/api/runs/2b1d…'),
  Allow: text('The methods this path serves', 'GET, HEAD'),
  'Idempotent-Replayed': text(
    'true when this is the stored answer of an earlier request with the same Idempotency-Key',
    'true',
  ),
};
export type HeaderName = keyof typeof headers;
export const header = (name: HeaderName) => headers[name];
export const required = (name: HeaderName) => ({ ...headers[name], required: true });
const limitHeaders = {
  'RateLimit-Limit': header('RateLimit-Limit'),
  'RateLimit-Remaining': header('RateLimit-Remaining'),
  'RateLimit-Reset': header('RateLimit-Reset'),
  'RateLimit-Policy': header('RateLimit-Policy'),
};
const common = { 'X-Request-Id': required('X-Request-Id') };

/** Extra headers each error status carries, beside X-Request-Id. */
const STATUS_HEADERS: Record<number, object> = {
  400: { 'WWW-Authenticate': header('WWW-Authenticate'), ...limitHeaders },
  401: { 'WWW-Authenticate': required('WWW-Authenticate') },
  405: { Allow: required('Allow') },
  409: { 'Retry-After': header('Retry-After'), ...limitHeaders },
  429: { 'Retry-After': required('Retry-After'), ...limitHeaders },
  503: { 'Retry-After': required('Retry-After') },
};

export function errors(codes: ErrorCode[]) {
  const statuses = [...new Set(codes.map((c) => ERROR_STATUS[c]))].sort();
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      {
        description: codes.filter((c) => ERROR_STATUS[c] === status).join(', '),
        headers: { ...common, ...(STATUS_HEADERS[status] ?? (status < 500 ? limitHeaders : {})) },
        content: { 'application/problem+json': { schema: ref('Problem') } },
      },
    ]),
  );
}

export const ok = (schemaRef: object, description: string, extra: object = {}) => ({
  description,
  headers: { ...common, ...limitHeaders, ...extra },
  content: { 'application/json': { schema: schemaRef } },
});

export const keyErrors: ErrorCode[] = [
  'bad_request',
  'method_not_allowed',
  'api_key_missing',
  'api_key_invalid',
  'api_key_expired',
  'api_key_revoked',
  'api_key_owner_inactive',
  'rate_limited',
  'unavailable',
  'internal_error',
];
export const runIdParam = {
  name: 'runId',
  in: 'path',
  required: true,
  description: 'A run id from a start (other strings are simply not found)',
  schema: uuid,
};
export const runLinks = {
  GetRun: {
    operationId: 'getRun',
    parameters: { runId: '$response.body#/runId' },
    description: 'The run this start queued',
  },
  GetRunLogs: {
    operationId: 'getRunLogs',
    parameters: { runId: '$response.body#/runId' },
    description: 'Its log lines',
  },
  CancelRun: {
    operationId: 'cancelRun',
    parameters: { runId: '$response.body#/runId' },
    description: 'Cancel it',
  },
};
