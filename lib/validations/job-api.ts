import { z } from 'zod';
import { runStatusSchema, runTriggerSchema } from './run';

// The job API's inputs: used by the route handlers, the console's "Run now" and the OpenAPI document.

export const JOB_ACTIONS = ['start', 'stop', 'status'] as const;

const reference = (what: string) =>
  z.string().regex(/\S/, `Give ${what}`).trim().min(1, `Give ${what}`).max(200, '200 characters at most');

export const apiJobRequestSchema = z.strictObject({
  id: reference('the job id or name').describe('The job’s id, or its name; surrounding spaces are ignored'),
  action: z
    .enum(JOB_ACTIONS)
    .optional()
    .describe('start (the default), stop or status; `?action=` works too'),
  params: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Checked against the job’s params schema when it has one'),
  jobid: z
    .string()
    .max(200, '200 characters at most')
    .optional()
    .describe('Your own reference (a pipeline’s id, say), stored on the run'),
  dryRun: z.boolean().optional().describe('Check everything and create no run'),
});

export type ApiJobRequest = z.infer<typeof apiJobRequestSchema>;

export const apiJobQuerySchema = z.object({ action: z.enum(JOB_ACTIONS).optional() });

/** Log seqs are Postgres `integer`s: a larger `after` could never match. */
export const MAX_LOG_SEQ = 2_147_483_647;
export const MAX_LOG_PAGE = 500;

/** A decimal whole number in [min, max]; no signs, exponents, hex or spaces. */
const decimal = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,10}$/, 'A whole number in decimal digits')
    .transform(Number)
    .pipe(z.number().int().min(min, `At least ${min}`).max(max, `At most ${max}`));

export const runLogsQuerySchema = z
  .object({
    after: decimal(0, MAX_LOG_SEQ).optional(),
    /** The lines before this seq instead (the end of a long log: before=2147483647). */
    before: decimal(1, MAX_LOG_SEQ).optional(),
    limit: decimal(1, MAX_LOG_PAGE).default(MAX_LOG_PAGE),
  })
  .refine((q) => q.before === undefined || q.after === undefined, {
    path: ['before'],
    message: 'Ask with after or with before, not both',
  })
  .transform((q) => ({ ...q, after: q.after ?? 0 }));

export const MAX_RUNS_PAGE = 100;
const instant = (what: string) =>
  z.iso
    .datetime({ offset: true, error: `${what}: an RFC 3339 date-time, 2026-12-08T09:30:00Z say` })
    .transform((s) => new Date(s));

/** GET /etl-mgr/api/runs: filters and a cursor (the `next` of the page before). */
export const runsListQuerySchema = z
  .strictObject({
    jobId: z.uuid('A job id (a UUID)').optional(),
    status: runStatusSchema.optional(),
    trigger: runTriggerSchema.optional(),
    queuedAfter: instant('queuedAfter').optional(),
    queuedBefore: instant('queuedBefore').optional(),
    cursor: z.string().max(200).optional(),
    limit: decimal(1, MAX_RUNS_PAGE).default(25),
  })
  .refine((q) => !q.queuedAfter || !q.queuedBefore || q.queuedAfter < q.queuedBefore, {
    path: ['queuedBefore'],
    message: 'queuedBefore must be later than queuedAfter',
  });
export type RunsListQuery = z.output<typeof runsListQuerySchema>;
