import { JOB_ACTIONS, MAX_LOG_PAGE, MAX_LOG_SEQ, MAX_RUNS_PAGE } from '../../lib/validations/job-api';
import { RUN_STATUSES, RUN_TRIGGERS } from '../../lib/validations/run';
import { ref, uuid } from './openapi-schemas';
import { errors, header, keyErrors, ok, required, runIdParam, runLinks } from './openapi-responses';

// The OpenAPI document's paths: the job API's operations.

export const paths = {
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
  '/etl-mgr/api/runs': {
    get: {
      operationId: 'listRuns',
      tags: ['runs'],
      summary: 'Runs, newest first, in pages',
      description:
        'The runs this key may see: its organisation’s, or only its jobs’ for a key scoped to jobs. Filters combine; `next` is the cursor of the following page (null on the last).',
      parameters: [
        { name: 'jobId', in: 'query', required: false, description: 'Only this job’s runs', schema: uuid },
        { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: RUN_STATUSES } },
        {
          name: 'trigger',
          in: 'query',
          required: false,
          description: 'What started the runs',
          schema: { type: 'string', enum: RUN_TRIGGERS },
        },
        {
          name: 'queuedAfter',
          in: 'query',
          required: false,
          description: 'Queued at or after this instant',
          schema: { type: 'string', format: 'date-time' },
        },
        {
          name: 'queuedBefore',
          in: 'query',
          required: false,
          description: 'Queued before this instant (later than queuedAfter)',
          schema: { type: 'string', format: 'date-time' },
        },
        {
          name: 'cursor',
          in: 'query',
          required: false,
          description: 'The `next` of the page before',
          schema: { type: 'string', maxLength: 200 },
        },
        {
          name: 'limit',
          in: 'query',
          required: false,
          description: 'Runs a page',
          schema: { type: 'integer', minimum: 1, maximum: MAX_RUNS_PAGE, default: 25 },
        },
      ],
      responses: {
        '200': ok(ref('RunPage'), 'A page of runs; ask again with cursor=next'),
        ...errors([...keyErrors, 'validation_failed']),
      },
    },
  },
  '/etl-mgr/api/runs/{runId}': {
    get: {
      operationId: 'getRun',
      tags: ['runs'],
      summary: 'A run',
      description: 'A pipeline run lists its steps too, each with its status and run.',
      parameters: [runIdParam],
      responses: {
        '200': ok({ oneOf: [ref('Run'), ref('PipelineRun')] }, 'The run'),
        ...errors([...keyErrors, 'run_not_found']),
      },
    },
  },
  '/etl-mgr/api/runs/{runId}/steps/{stepId}/restart': {
    post: {
      operationId: 'restartPipelineStep',
      tags: ['runs'],
      summary: 'Start a step of a pipeline run again',
      description:
        'For a step that succeeded, failed or was cancelled, while no step after it is queued or running: its next attempt starts and the flow after it runs again; the pipeline run is `running` until its steps are done.',
      parameters: [
        runIdParam,
        {
          name: 'stepId',
          in: 'path',
          required: true,
          schema: { type: 'string' },
          description: 'The step’s id',
        },
      ],
      responses: {
        '202': ok(ref('StepRestarted'), 'Started again'),
        ...errors([...keyErrors, 'run_not_found', 'not_found', 'conflict', 'forbidden']),
      },
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
        '202': ok(ref('CancelAccepted'), 'Cancelled, or cancel requested', {
          Location: required('Location'),
        }),
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
};
