import { z } from 'zod';
import { connectionRefSchema } from './connection-ref';
import { pipelineConfigSchema } from './pipeline';
import { schedulesSchema } from './schedule';

// A job definition, as the admin CLI reads it from a file and the console edits it (DESIGN.md section 5).

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const commandConfigSchema = z.strictObject({
  command: z.string().trim().min(1, 'Give the executable to run').max(500),
  args: z.array(z.string().max(10_000)).max(100).default([]),
  env: z
    .record(
      z.string().regex(envName, 'Environment names are letters, digits and _'),
      z.union([z.string().max(10_000), connectionRefSchema]),
    )
    .default({}),
  /** Whether the run may open network connections; off, its sandbox has no network (operators may force it off). */
  network: z.boolean().default(false),
});

export const httpConfigSchema = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
  url: z.union([z.url({ protocol: /^https?$/, error: 'Give an http(s) URL' }), connectionRefSchema]),
  headers: z
    .record(z.string().min(1).max(200), z.union([z.string().max(4000), connectionRefSchema]))
    .default({}),
});

const base = {
  name: z
    .string()
    .trim()
    .min(1, 'Give the job a name')
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
      'Letters, digits and . _ - (100 at most), starting with a letter or digit',
    ),
  description: z.string().trim().max(1000).default(''),
  concurrency: z.enum(['single', 'parallel']).default('single'),
  timeoutSeconds: z
    .number({ error: 'Give a whole number of seconds' })
    .int('Give a whole number of seconds')
    .min(1, 'At least 1 second')
    .max(7 * 86_400, 'At most 7 days (604800 seconds)')
    .default(3600),
  maxAttempts: z
    .number({ error: 'Give a whole number from 1 to 10' })
    .int('Give a whole number from 1 to 10')
    .min(1, 'At least 1')
    .max(10, 'At most 10')
    .default(1),
  /** A JSON Schema that a run's params must fit. */
  paramsSchema: z
    .record(z.string(), z.unknown(), { error: 'Give a JSON object (a JSON Schema), or leave it empty' })
    .nullable()
    .default(null),
  /** Left out: the job's schedules stay as they are; given: they are replaced (see server/schedules). */
  schedules: schedulesSchema.optional(),
  /** Mail the job's watchers when a run fails: its creator, and these members (left out: as they are). */
  notifyOnFailure: z.boolean().optional(),
  notifyEmails: z
    .array(z.string().trim().toLowerCase().email('Give a member’s email address'))
    .max(20, 'At most 20 addresses')
    .optional(),
};

export const jobDefinitionSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...base, type: z.literal('command'), config: commandConfigSchema }),
  z.strictObject({ ...base, type: z.literal('http'), config: httpConfigSchema }),
  // Pipelines (docs/pipelines.md): steps' jobs are resolved and checked by server/pipelines when saved.
  z.strictObject({ ...base, type: z.literal('pipeline'), config: pipelineConfigSchema }),
]);

/** A command job's config as saved (defaults filled in); the worker parses with the same schema. */
export type CommandConfig = z.output<typeof commandConfigSchema>;
export type HttpConfig = z.output<typeof httpConfigSchema>;
export type JobDefinitionInput = z.input<typeof jobDefinitionSchema>;
export type JobDefinition = z.output<typeof jobDefinitionSchema>;

export const MAX_PARAMS_TEXT = 64 * 1024;

/**
 * "Run now" in the console: the params as the JSON text the person typed, parsed into an object. The
 * job's own params schema is checked by the server when the run is started.
 */
export const runNowSchema = z.object({
  params: z
    .string()
    .max(MAX_PARAMS_TEXT, 'At most 64 KiB of JSON')
    .transform((text, ctx): Record<string, unknown> => {
      if (text.trim() === '') return {};
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `Not valid JSON: ${(error as Error).message}` });
        return z.NEVER;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        ctx.addIssue({ code: 'custom', message: 'Give a JSON object, like {"name": "Ada"}' });
        return z.NEVER;
      }
      return value as Record<string, unknown>;
    }),
});

export type RunNowInput = z.input<typeof runNowSchema>;
export type RunNowValues = z.output<typeof runNowSchema>;
