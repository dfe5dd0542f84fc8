import { z } from 'zod';
import {
  apiJobRequestSchema,
  JOB_ACTIONS,
  MAX_LOG_PAGE,
  MAX_LOG_SEQ,
  RUN_STATUSES,
} from '../../lib/validations/job-api';
import { ERROR_STATUS, type ErrorCode } from '../errors';
import { MAX_JSON_DEPTH, MAX_JSON_NAME, MAX_JSON_STRING } from './json-body';
import { MAX_BODY_BYTES } from './read-json';
import { webhooks } from './openapi-webhooks';

// The OpenAPI 3.1 description of /etl-mgr/api, built from the same zod schemas the handlers parse with.
// `npm run lint:api` holds it to Redocly's recommended-strict rules; the fuzz test (e2e/api-fuzz.spec.ts)
// holds the running API to it.

function schema(s: z.ZodType) {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input' });
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const uuid = { type: 'string', format: 'uuid' };
const FINISHED = RUN_STATUSES.filter((s) => s !== 'queued' && s !== 'running');

const schemas = {
  ApiJobRequest: schema(apiJobRequestSchema),
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details; `code` is the stable name to branch on.',
    required: ['type', 'title', 'status', 'detail', 'code', 'requestId'],
    properties: {
      type: { type: 'string', format: 'uri' },
      title: { type: 'string' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: { type: 'string' },
      code: { type: 'string', enum: Object.keys(ERROR_STATUS) },
      requestId: { type: 'string' },
      runId: { ...uuid, description: 'The active run, with job_already_running' },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['path', 'message'],
          properties: {
            path: { type: 'string' },
            message: { type: 'string' },
            rule: {
              type: 'string',
              enum: ['command_not_allowed', 'env_not_allowed', 'host_not_allowed'],
              description: 'The operator rule a refused job definition broke',
            },
          },
        },
      },
    },
  },
  Run: {
    type: 'object',
    required: [
      'id',
      'jobId',
      'status',
      'params',
      'trigger',
      'jobid',
      'queuedAt',
      'startedAt',
      'finishedAt',
      'exitCode',
      'error',
      'attempt',
    ],
    properties: {
      id: uuid,
      jobId: uuid,
      status: { type: 'string', enum: RUN_STATUSES },
      params: { type: 'object' },
      trigger: {
        type: 'string',
        enum: ['api', 'console', 'cli', 'schedule'],
        description: 'What started it',
      },
      apiKeyId: {
        type: ['string', 'null'],
        format: 'uuid',
        description: 'The key that started it (trigger api)',
      },
      scheduleId: {
        type: ['string', 'null'],
        format: 'uuid',
        description: 'The schedule that started it (trigger schedule)',
      },
      jobid: { type: ['string', 'null'], description: 'The caller’s own reference, as sent in the start' },
      queuedAt: { type: 'string', format: 'date-time' },
      startedAt: { type: ['string', 'null'], format: 'date-time' },
      finishedAt: { type: ['string', 'null'], format: 'date-time' },
      exitCode: { type: ['integer', 'null'] },
      error: { type: ['string', 'null'] },
      attempt: { type: 'integer', minimum: 1 },
    },
  },
  JobStarted: {
    type: 'object',
    required: ['message', 'id', 'name', 'runId', 'status', 'statusUrl'],
    properties: {
      message: { const: 'job started' },
      id: uuid,
      name: { type: 'string' },
      runId: uuid,
      status: { const: 'queued' },
      statusUrl: { type: 'string', format: 'uri-reference' },
    },
  },
  JobAnswer: {
    description: 'status, stop or dry run',
    oneOf: [
      {
        type: 'object',
        required: ['message', 'id', 'name', 'status', 'lastRun'],
        properties: {
          message: { type: 'string' },
          id: uuid,
          name: { type: 'string' },
          status: { type: 'string', enum: [...RUN_STATUSES, 'never run'] },
          lastRun: { oneOf: [ref('Run'), { type: 'null' }] },
        },
      },
      {
        type: 'object',
        required: ['message', 'id', 'runId'],
        properties: { message: { type: 'string', const: 'job stopped' }, id: uuid, runId: uuid },
      },
      {
        type: 'object',
        required: ['message', 'id'],
        additionalProperties: false,
        properties: { message: { type: 'string', const: 'job already stopped' }, id: uuid },
      },
      {
        type: 'object',
        required: ['message', 'id', 'name', 'dryRun'],
        properties: {
          message: { type: 'string', const: 'dry run ok' },
          id: uuid,
          name: { type: 'string' },
          dryRun: { const: true },
        },
      },
    ],
  },
  CancelAccepted: {
    type: 'object',
    required: ['message', 'runId', 'status'],
    additionalProperties: false,
    properties: {
      message: { enum: ['run cancelled', 'cancel requested'] },
      runId: uuid,
      status: { enum: ['cancelled', 'running'] },
    },
  },
  CancelFinished: {
    type: 'object',
    required: ['message', 'runId', 'status'],
    additionalProperties: false,
    properties: { message: { const: 'run already finished' }, runId: uuid, status: { enum: FINISHED } },
  },
  RunLogs: {
    type: 'object',
    required: ['runId', 'status', 'lines', 'next'],
    properties: {
      runId: uuid,
      status: { type: 'string', enum: RUN_STATUSES },
      lines: {
        type: 'array',
        items: {
          type: 'object',
          required: ['seq', 'stream', 'text', 'at'],
          properties: {
            seq: { type: 'integer', minimum: 1 },
            stream: { type: 'string', enum: ['stdout', 'stderr', 'system'] },
            text: { type: 'string' },
            at: { type: 'string', format: 'date-time' },
          },
        },
      },
      next: { type: 'integer', minimum: 0, description: 'Ask again with after=next' },
      prev: {
        type: ['integer', 'null'],
        minimum: 1,
        description:
          'With `before` only: ask with before=prev for the page above; null when this page starts at the first line',
      },
    },
  },
};

const text = (description: string, example: string) => ({ description, schema: { type: 'string' }, example });
const integer = (description: string) => ({ description, schema: { type: 'integer', minimum: 0 } });
const headers = {
  'RateLimit-Limit': integer('Requests a minute this key may make (absent when it has no limit)'),
  'RateLimit-Remaining': integer('Requests left in this minute'),
  'RateLimit-Reset': integer('Seconds until the minute resets'),
  'RateLimit-Policy': text('The limit and its window', '600;w=60'),
  'Retry-After': integer('Seconds to wait before trying again'),
  'WWW-Authenticate': text(
    'The scheme to authenticate with (RFC 6750 error codes)',
    'Bearer realm="etl-mgr", error="invalid_token"',
  ),
  'X-Request-Id': text('Quote it when reporting a problem; your own X-Request-Id is echoed', '5f0c…'),
  Location: text('The run resource', '/etl-mgr/api/runs/2b1d…'),
  'Idempotent-Replayed': text(
    'true when this is the stored answer of an earlier request with the same Idempotency-Key',
    'true',
  ),
};
type HeaderName = keyof typeof headers;
const header = (name: HeaderName) => headers[name];
const required = (name: HeaderName) => ({ ...headers[name], required: true });
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
  409: { 'Retry-After': header('Retry-After'), ...limitHeaders },
  429: { 'Retry-After': required('Retry-After'), ...limitHeaders },
  503: { 'Retry-After': required('Retry-After') },
};

function errors(codes: ErrorCode[]) {
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

const ok = (schemaRef: object, description: string, extra: object = {}) => ({
  description,
  headers: { ...common, ...limitHeaders, ...extra },
  content: { 'application/json': { schema: schemaRef } },
});

const keyErrors: ErrorCode[] = [
  'bad_request',
  'api_key_missing',
  'api_key_invalid',
  'api_key_expired',
  'api_key_revoked',
  'api_key_owner_inactive',
  'rate_limited',
  'unavailable',
  'internal_error',
];
const runIdParam = {
  name: 'runId',
  in: 'path',
  required: true,
  description: 'A run id from a start (other strings are simply not found)',
  schema: uuid,
};
const runLinks = {
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

const DESCRIPTION = `Start, stop and follow the organisation’s jobs with an API key made under Integrations > Api Keys,
sent as \`x-api-key\` or \`Authorization: Bearer\` (both at once only when they carry the same key).
Every error is \`application/problem+json\` (RFC 9457) with a stable \`code\`; every 401 carries \`WWW-Authenticate\`.

Bodies are \`application/json\` (UTF-8, uncompressed, at most ${MAX_BODY_BYTES / 1024} KiB, each member once, at most
${MAX_JSON_DEPTH} levels deep, strings at most ${MAX_JSON_STRING} characters and names ${MAX_JSON_NAME}, without U+0000 or unpaired
surrogates): other media types or a \`Content-Encoding\` answer 415, duplicate names 400, the rest 422 with the paths.

Other paths under /etl-mgr/api answer 404 \`not_found\`; other methods 405 \`method_not_allowed\` with \`Allow\`;
\`OPTIONS\` answers 204 with \`Allow\`. GET endpoints answer HEAD too. A query parameter given twice is refused (422).`;

export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'ETL manager job API',
      version: '1.0.0',
      description: DESCRIPTION,
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: serverUrl, description: 'This installation' }],
    security: [{ apiKey: [] }, { bearer: [] }],
    tags: [
      { name: 'jobs', description: 'Start, stop and ask about jobs' },
      { name: 'runs', description: 'Follow and cancel runs' },
    ],
    components: {
      securitySchemes: {
        apiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description: 'An API key (a JWT) from Integrations > Api Keys',
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'The same key as a Bearer token',
        },
      },
      schemas,
    },
    paths: {
      '/etl-mgr/api/apijob': {
        post: {
          operationId: 'apiJob',
          tags: ['jobs'],
          summary: 'Start, stop or ask the status of a job',
          description: `The job is named by its id or by its name. \`action\` may be given in the body or as \`?action=\` (both only when they agree). \`dryRun\` checks everything and creates no run.`,
          parameters: [
            {
              name: 'action',
              in: 'query',
              required: false,
              description: 'Instead of the body’s action',
              schema: { type: 'string', enum: JOB_ACTIONS },
            },
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', minLength: 1, maxLength: 255 },
              description: 'Kept 24 hours per API key: the same key and body answer the first response again',
            },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: ref('ApiJobRequest') } } },
          responses: {
            '200': ok(ref('JobAnswer'), 'stop, status or dry run', {
              'Idempotent-Replayed': header('Idempotent-Replayed'),
            }),
            '202': {
              ...ok(ref('JobStarted'), 'The run is queued', {
                Location: required('Location'),
                'Idempotent-Replayed': header('Idempotent-Replayed'),
              }),
              links: runLinks,
            },
            ...errors([
              ...keyErrors,
              'invalid_json',
              'job_not_allowed',
              'job_not_found',
              'job_already_running',
              'idempotency_key_in_use',
              'payload_too_large',
              'unsupported_media_type',
              'validation_failed',
              'idempotency_key_reused',
            ]),
          },
        },
      },
      '/etl-mgr/api/runs/{runId}': {
        get: {
          operationId: 'getRun',
          tags: ['runs'],
          summary: 'A run',
          parameters: [runIdParam],
          responses: { '200': ok(ref('Run'), 'The run'), ...errors([...keyErrors, 'run_not_found']) },
        },
      },
      '/etl-mgr/api/runs/{runId}/cancel': {
        post: {
          operationId: 'cancelRun',
          tags: ['runs'],
          summary: 'Cancel a run',
          description:
            'A queued run is cancelled at once; a running one is asked to stop and ends `cancelled` within seconds.',
          parameters: [runIdParam],
          responses: {
            '200': ok(ref('CancelFinished'), 'It had already finished'),
            '202': ok(ref('CancelAccepted'), 'Cancelled, or cancel requested'),
            ...errors([...keyErrors, 'run_not_found']),
          },
        },
      },
      '/etl-mgr/api/runs/{runId}/logs': {
        get: {
          operationId: 'getRunLogs',
          tags: ['runs'],
          summary: 'A run’s log lines, in pages',
          parameters: [
            runIdParam,
            {
              name: 'after',
              in: 'query',
              required: false,
              description: 'The `next` of the previous page; 0 (the default) for the start',
              schema: { type: 'integer', format: 'int32', minimum: 0, maximum: MAX_LOG_SEQ, default: 0 },
            },
            {
              name: 'before',
              in: 'query',
              required: false,
              description:
                'Instead of `after`: the lines before this seq (keyset paging backwards). before=2147483647 reads the last page of the log; the answer’s `prev` pages further back, its `next` follows on with `after`',
              schema: { type: 'integer', format: 'int32', minimum: 1, maximum: MAX_LOG_SEQ },
            },
            {
              name: 'limit',
              in: 'query',
              required: false,
              description: 'Lines a page',
              schema: { type: 'integer', minimum: 1, maximum: MAX_LOG_PAGE, default: MAX_LOG_PAGE },
            },
          ],
          responses: {
            '200': ok(
              ref('RunLogs'),
              'Lines after `after` (ask again with `after=next`), or before `before` (`prev` pages back)',
            ),
            ...errors([...keyErrors, 'run_not_found', 'validation_failed']),
          },
        },
      },
    },
    webhooks,
  };
}
