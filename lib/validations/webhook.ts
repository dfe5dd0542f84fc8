import { z } from 'zod';

/** What an endpoint may listen to (Standard Webhooks' `type`). */
export const WEBHOOK_EVENTS = [
  'run.succeeded',
  'run.failed',
  'run.cancelled',
  'run.started',
  'key.revoked',
  'pipeline.succeeded',
  'pipeline.failed',
  'pipeline.cancelled',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A new endpoint, from the console form and the admin CLI alike. */
export const createWebhookSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'Give an http(s) URL' }).max(2000, '2000 characters at most'),
  description: z.string().trim().max(200, '200 characters at most').default(''),
  events: z
    .array(z.enum(WEBHOOK_EVENTS, { error: `One of ${WEBHOOK_EVENTS.join(', ')}` }))
    .min(1, 'Choose at least one event')
    .max(WEBHOOK_EVENTS.length),
  /** Only runs of these jobs; empty: every job. */
  jobIds: z.array(z.uuid('Not a job id')).max(100).default([]),
});

export type CreateWebhookInput = z.input<typeof createWebhookSchema>;
export type CreateWebhook = z.output<typeof createWebhookSchema>;
