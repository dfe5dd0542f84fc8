import { z } from 'zod';

// The job API's inputs: used by the route handlers, the console's "Run now" and the OpenAPI document.

export const JOB_ACTIONS = ['start', 'stop', 'status'] as const;

export const apiJobRequestSchema = z
  .strictObject({
    id: z.string().trim().min(1, 'Give the job id or name').max(200, '200 characters at most'),
    action: z.enum(JOB_ACTIONS).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    jobid: z.string().max(200, '200 characters at most').optional(),
    dryRun: z.boolean().optional(),
  });

export type ApiJobRequest = z.infer<typeof apiJobRequestSchema>;

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
