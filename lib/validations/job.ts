import { z } from 'zod';

// A job definition, as the admin CLI reads it from a file and the console edits it (DESIGN.md section 5).

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const commandConfigSchema = z.strictObject({
  command: z.string().trim().min(1, 'Give the executable to run').max(500),
  args: z.array(z.string().max(10_000)).max(100).default([]),
  env: z
    .record(z.string().regex(envName, 'Environment names are letters, digits and _'), z.string().max(10_000))
    .default({}),
});

export const httpConfigSchema = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
  url: z.url({ protocol: /^https?$/, error: 'Give an http(s) URL' }),
  headers: z.record(z.string().min(1).max(200), z.string().max(4000)).default({}),
});

const base = {
  name: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'Letters, digits and . _ - (100 at most), starting with a letter or digit'),
  description: z.string().trim().max(1000).default(''),
  concurrency: z.enum(['single', 'parallel']).default('single'),
  timeoutSeconds: z.number().int().min(1).max(7 * 86_400).default(3600),
  maxAttempts: z.number().int().min(1).max(10).default(1),
  /** A JSON Schema that a run's params must fit. */
  paramsSchema: z.record(z.string(), z.unknown()).nullable().default(null),
};

export const jobDefinitionSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...base, type: z.literal('command'), config: commandConfigSchema }),
  z.strictObject({ ...base, type: z.literal('http'), config: httpConfigSchema }),
]);

export type JobDefinitionInput = z.input<typeof jobDefinitionSchema>;
export type JobDefinition = z.output<typeof jobDefinitionSchema>;
