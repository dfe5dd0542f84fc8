/** Every failure the product reports, by code; the HTTP status comes from this one table. */
export const ERROR_STATUS = {
  api_key_missing: 401,
  api_key_invalid: 401,
  api_key_expired: 401,
  api_key_revoked: 401,
  api_key_owner_inactive: 401,
  unauthenticated: 401,
  forbidden: 403,
  reauthentication_required: 403,
  job_not_allowed: 403,
  not_found: 404,
  job_not_found: 404,
  run_not_found: 404,
  key_not_found: 404,
  method_not_allowed: 405,
  job_already_running: 409,
  idempotency_key_in_use: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_json: 400,
  bad_request: 400,
  validation_failed: 422,
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal_error: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_TITLE: Record<ErrorCode, string> = {
  api_key_missing: 'API key missing',
  api_key_invalid: 'API key invalid',
  api_key_expired: 'API key expired',
  api_key_revoked: 'API key revoked',
  api_key_owner_inactive: 'API key owner inactive',
  unauthenticated: 'Sign-in required',
  forbidden: 'Forbidden',
  reauthentication_required: 'Password needed again',
  job_not_allowed: 'Job not allowed for this key',
  not_found: 'Not found',
  job_not_found: 'Job not found',
  run_not_found: 'Run not found',
  key_not_found: 'API key not found',
  method_not_allowed: 'Method not allowed',
  job_already_running: 'Job already running',
  idempotency_key_in_use: 'Idempotency key in use',
  conflict: 'Conflict',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  invalid_json: 'Invalid JSON',
  bad_request: 'Bad request',
  validation_failed: 'Validation failed',
  idempotency_key_reused: 'Idempotency key reused',
  rate_limited: 'Rate limited',
  internal_error: 'Internal error',
  unavailable: 'Service unavailable',
};

export interface FieldError {
  path: string;
  message: string;
  /** The rule a refused field broke (command_not_allowed, env_not_allowed, host_not_allowed, schedule_too_frequent, admin_only). */
  rule?: string;
}

/** The one error type of the domain: a code, a message a caller can act on, and optional extras. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors?: FieldError[];
  readonly extra?: Record<string, unknown>;
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      errors?: FieldError[];
      extra?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.errors = options.errors;
    this.extra = options.extra;
    this.headers = options.headers;
  }
}

/** zod issues as `[{path, message}]`, paths dotted (`params.name`, `fields.0.name`). */
export function fieldErrors(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): FieldError[] {
  return issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
}
