import { z } from 'zod';
import { apiJobRequestSchema, RUN_STATUSES } from '../../lib/validations/job-api';
import { ERROR_STATUS } from './errors';
import { webhooks } from './openapi-webhooks';

// The OpenAPI 3.1 description of /etl-mgr/api, built from the same zod schemas the handlers parse with.

function schema(s: z.ZodType) {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input' });
  return rest;
}

const problem = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code', 'requestId'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', enum: Object.keys(ERROR_STATUS) },
    requestId: { type: 'string' },
    runId: { type: 'string', format: 'uuid', description: 'The active run, with job_already_running' },
    errors: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' }, rule: { type: 'string', enum: ['command_not_allowed', 'env_not_allowed', 'host_not_allowed'], description: 'The operator rule a refused job definition broke' } } } },
  },
};

const run = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    jobId: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: RUN_STATUSES },
    params: { type: 'object' },
    trigger: { type: 'string', enum: ['api', 'console', 'cli', 'schedule'] },
    apiKeyId: { type: ['string', 'null'], format: 'uuid', description: 'The key that started it (trigger api)' },
    scheduleId: { type: ['string', 'null'], format: 'uuid', description: 'The schedule that started it (trigger schedule)' },
    jobid: { type: ['string', 'null'], description: 'The caller’s own reference, as sent in the start' },
    queuedAt: { type: 'string', format: 'date-time' },
    startedAt: { type: ['string', 'null'], format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
    exitCode: { type: ['integer', 'null'] },
    error: { type: ['string', 'null'] },
    attempt: { type: 'integer' },
  },
};

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
const errors = (codes: string[]) =>
  Object.fromEntries(
    [...new Set(codes.map((c) => ERROR_STATUS[c as keyof typeof ERROR_STATUS]))].map((status) => [
      String(status),
      problemResponse(codes.filter((c) => ERROR_STATUS[c as keyof typeof ERROR_STATUS] === status).join(', ')),
    ]),
  );
const authErrors = ['api_key_missing', 'api_key_invalid', 'api_key_expired', 'api_key_revoked', 'api_key_owner_inactive', 'rate_limited', 'unavailable', 'internal_error'];
const runIdParam = { name: 'runId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const json = (s: object, description: string) => ({ description, content: { 'application/json': { schema: s } } });

export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'ETL manager job API',
      version: '1.0.0',
      description: 'Start, stop and follow the organisation’s jobs with an API key made under Integrations > Api Keys. Every error is application/problem+json (RFC 9457).',
    },
    servers: [{ url: serverUrl }],
    security: [{ apiKey: [] }, { bearer: [] }],
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
      schemas: { ApiJobRequest: schema(apiJobRequestSchema), Problem: problem, Run: run },
    },
    paths: {
      '/etl-mgr/api/apijob': {
        post: {
          operationId: 'apiJob',
          summary: 'Start, stop or ask the status of a job',
          description: 'The job is named by its id or by its name. `action` may also be given as `?action=`. `dryRun` checks everything and creates no run.',
          parameters: [
            { name: 'action', in: 'query', required: false, schema: { type: 'string', enum: ['start', 'stop', 'status'] } },
            { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 }, description: 'Kept 24 hours: the same key and body answer the first response again' },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiJobRequest' } } } },
          responses: {
            '200': json({ type: 'object', properties: { message: { type: 'string' }, id: { type: 'string' }, runId: { type: 'string' }, status: { type: 'string' }, lastRun: { oneOf: [{ $ref: '#/components/schemas/Run' }, { type: 'null' }] } } }, 'stop, status or dry run'),
            '202': {
              ...json({ type: 'object', required: ['message', 'id', 'runId', 'status', 'statusUrl'], properties: { message: { const: 'job started' }, id: { type: 'string' }, runId: { type: 'string', format: 'uuid' }, status: { const: 'queued' }, statusUrl: { type: 'string' } } }, 'The run is queued'),
              headers: { Location: { schema: { type: 'string' } }, 'Idempotent-Replayed': { schema: { type: 'string' } } },
            },
            ...errors([...authErrors, 'invalid_json', 'job_not_allowed', 'job_not_found', 'method_not_allowed', 'job_already_running', 'idempotency_key_in_use', 'payload_too_large', 'unsupported_media_type', 'validation_failed', 'idempotency_key_reused']),
          },
        },
      },
      '/etl-mgr/api/runs/{runId}': {
        get: { operationId: 'getRun', summary: 'A run', parameters: [runIdParam], responses: { '200': json({ $ref: '#/components/schemas/Run' }, 'The run'), ...errors([...authErrors, 'run_not_found']) } },
      },
      '/etl-mgr/api/runs/{runId}/cancel': {
        post: {
          operationId: 'cancelRun',
          summary: 'Cancel a run',
          parameters: [runIdParam],
          responses: { '200': json({ type: 'object' }, 'Already finished'), '202': json({ type: 'object' }, 'Cancelled, or cancel requested'), ...errors([...authErrors, 'run_not_found']) },
        },
      },
      '/etl-mgr/api/runs/{runId}/logs': {
        get: {
          operationId: 'getRunLogs',
          summary: 'A run’s log lines, in pages',
          parameters: [runIdParam, { name: 'after', in: 'query', schema: { type: 'integer', minimum: 0 } }, { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } }],
          responses: {
            '200': json({ type: 'object', properties: { lines: { type: 'array', items: { type: 'object', properties: { seq: { type: 'integer' }, stream: { type: 'string', enum: ['stdout', 'stderr', 'system'] }, text: { type: 'string' }, at: { type: 'string', format: 'date-time' } } } }, next: { type: 'integer' } } }, 'Lines after `after`; ask again with `after=next`'),
            ...errors([...authErrors, 'run_not_found', 'validation_failed']),
          },
        },
      },
    },
    webhooks,
  };
}
