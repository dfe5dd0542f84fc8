import { z } from 'zod';
import { apiJobRequestSchema } from '../../lib/validations/job-api';
import { LOG_STREAMS, RUN_STATUSES, RUN_TRIGGERS } from '../../lib/validations/run';
import { ERROR_STATUS } from '../errors';

// The OpenAPI document's component schemas. The request schema is generated from the zod schema the
// handler parses with; the answers are written out (the properties of Run are checked against
// lib/validations/run.ts in openapi.test.ts).

export function schema(s: z.ZodType) {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input' });
  return rest;
}

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const uuid = { type: 'string', format: 'uuid' };
const FINISHED = RUN_STATUSES.filter((s) => s !== 'queued' && s !== 'running');

export const schemas = {
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
      'apiKeyId',
      'scheduleId',
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
      params: {
        type: 'object',
        additionalProperties: true,
        description: 'The params it was started with (any JSON object)',
      },
      trigger: {
        type: 'string',
        enum: RUN_TRIGGERS,
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
  // Pipelines: a pipeline run is a run with its steps.
  PipelineStep: {
    type: 'object',
    required: ['id', 'job', 'jobName', 'parents', 'condition', 'status', 'runId', 'attempt', 'error'],
    properties: {
      id: { type: 'string' },
      job: { ...uuid, description: 'The job the step runs' },
      jobName: { type: ['string', 'null'], description: 'Its name (null once the job was deleted)' },
      parents: { type: 'array', items: { type: 'string' } },
      condition: {
        type: 'string',
        enum: ['succeeded', 'finished'],
        description: 'Runs when every parent succeeded, or when every parent ended whatever the outcome',
      },
      status: {
        type: 'string',
        enum: ['pending', ...RUN_STATUSES, 'skipped'],
        description: 'pending: not started yet; skipped: its condition could not hold',
      },
      runId: { type: ['string', 'null'], format: 'uuid', description: 'The run of its current attempt' },
      attempt: {
        type: ['integer', 'null'],
        minimum: 1,
        description: 'Goes up when the step is started again',
      },
      error: { type: ['string', 'null'] },
    },
  },
  PipelineRun: {
    description: 'The run of a pipeline job: a run and its steps',
    allOf: [
      ref('Run'),
      {
        type: 'object',
        required: ['steps'],
        properties: { steps: { type: 'array', items: ref('PipelineStep') } },
      },
    ],
  },
  StepRestarted: {
    type: 'object',
    required: ['message', 'runId', 'stepId', 'stepRunId'],
    properties: {
      message: { const: 'step started again' },
      runId: uuid,
      stepId: { type: 'string' },
      stepRunId: { ...uuid, type: ['string', 'null'] },
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
          message: {
            type: 'string',
            enum: [...RUN_STATUSES, 'never run'],
            description: 'The status again (a start’s answer says "job started")',
          },
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
  RunPage: {
    type: 'object',
    required: ['runs', 'next'],
    additionalProperties: false,
    properties: {
      runs: { type: 'array', items: ref('Run'), description: 'Newest first' },
      next: {
        type: ['string', 'null'],
        description: 'Ask again with cursor=next for the page after this one; null on the last page',
      },
    },
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
            stream: { type: 'string', enum: LOG_STREAMS },
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
