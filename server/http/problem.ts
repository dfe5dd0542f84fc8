import { randomUUID } from 'node:crypto';
import { logger } from '../observability/logger';
import { isDatabaseUnavailable } from '../db/outage';
import { AppError, ERROR_TITLE } from '../errors';
import { processWide } from '../runtime/process-wide';

export function newRequestId(): string {
  return randomUUID();
}

// The code of each problem response, for the metrics (a lookup, no parsing of the body), whichever copy
// of this module wrote it.
const codes = processWide('problem-codes', () => new WeakMap<Response, string>());

export function problemCode(response: Response): string | undefined {
  return codes.get(response);
}

/** The one problem+json writer (RFC 9457); unexpected errors become internal_error with no details. */
export function problemResponse(
  error: unknown,
  requestId: string,
  extraHeaders: Record<string, string> = {},
  logContext: { orgId?: string; keyId?: string } = {},
): Response {
  const appError = error instanceof AppError ? error : toAppError(error, { requestId, ...logContext });
  const response = new Response(JSON.stringify(problemBody(appError, requestId)), {
    status: appError.status,
    headers: {
      'content-type': 'application/problem+json',
      'x-request-id': requestId,
      ...extraHeaders,
      ...appError.headers,
    },
  });
  codes.set(response, appError.code);
  return response;
}

/** The problem+json members of an error. */
export function problemBody(appError: AppError, requestId: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: `https://etl-mgr.dev/problems/${appError.code.replace(/_/g, '-')}`,
    title: ERROR_TITLE[appError.code],
    status: appError.status,
    detail: appError.message,
    code: appError.code,
    requestId,
    ...appError.extra,
  };
  if (appError.errors) body.errors = appError.errors;
  return body;
}

function toAppError(
  error: unknown,
  context: { requestId: string; orgId?: string; keyId?: string },
): AppError {
  if (isDatabaseUnavailable(error)) {
    return new AppError('unavailable', 'The database cannot be reached. Try again shortly.', {
      headers: { 'Retry-After': '5' },
    });
  }
  // Logged with the request id so an operator can find it; the caller gets only the id.
  logger().error({ ...context, err: error }, 'unexpected error');
  return new AppError(
    'internal_error',
    'Something unexpected went wrong. Quote the requestId when you report it.',
  );
}
