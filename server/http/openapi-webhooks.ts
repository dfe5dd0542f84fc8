import { WEBHOOK_EVENTS } from '../../lib/validations/webhook';

// The OpenAPI 3.1 `webhooks` of the document: what an endpoint registered under Integrations > Webhooks
// (or `admin webhook create`) receives. Kept apart from openapi.ts, which describes the paths.

const signatureHeaders = [
  {
    name: 'webhook-id',
    in: 'header',
    required: true,
    schema: { type: 'string' },
    description: 'The message id: the same across retries and redeliveries, so receivers can drop duplicates',
  },
  {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    schema: { type: 'string' },
    description: 'Seconds since the epoch when this attempt was sent; refuse old ones',
  },
  {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    schema: { type: 'string' },
    description:
      '`v1,` + base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the base64 part of the `whsec_` secret; during a rotation two signatures, separated by a space',
  },
];

const envelope = (type: string, data: object) => ({
  type: 'object',
  required: ['type', 'timestamp', 'data'],
  properties: { type: { const: type }, timestamp: { type: 'string', format: 'date-time' }, data },
});

const keyRevoked = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    selector: { type: 'string' },
    revokedAt: { type: 'string', format: 'date-time' },
  },
};

const DESCRIPTIONS: Record<(typeof WEBHOOK_EVENTS)[number], string> = {
  'run.succeeded': 'A run ended successfully',
  'run.failed':
    'A run failed (exit code, HTTP answer, timeout, or its worker was lost with no attempts left)',
  'run.cancelled': 'A run was cancelled',
  'run.started': 'A worker took a run (again for each attempt)',
  'key.revoked': 'An API key was revoked (by a person or the CLI, or a rolled key retired)',
  'pipeline.succeeded':
    'A pipeline run ended: every step succeeded (or failed where the flow goes on past it)',
  'pipeline.failed': 'A pipeline run ended with a failed step, after the rest of its steps finished',
  'pipeline.cancelled': 'A pipeline run was stopped (its running steps are asked to stop)',
};

export const webhooks = Object.fromEntries(
  WEBHOOK_EVENTS.map((type) => [
    type,
    {
      post: {
        operationId: `webhook-${type}`,
        summary: DESCRIPTIONS[type],
        description:
          'Standard Webhooks: answer 2xx within 10 s. Other answers and timeouts are retried with exponential backoff for about a day; an endpoint failing for 3 days is turned off.',
        parameters: signatureHeaders,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: envelope(
                type,
                type === 'key.revoked'
                  ? keyRevoked
                  : { $ref: `#/components/schemas/${type.startsWith('pipeline.') ? 'PipelineRun' : 'Run'}` },
              ),
            },
          },
        },
        responses: { '200': { description: 'Received (any 2xx)' } },
      },
    },
  ]),
);
