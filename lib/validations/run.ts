import { z } from 'zod';

// The shapes of a run, one each: the API's run resource (and the console's live snapshot of it), a row of
// the runs list, who started a run, and a log line. Server code returns them, components take them as
// props, and the OpenAPI document is checked against them (server/http/openapi.test.ts).

/** Run statuses, as Prisma's RunStatus enum spells them (server/runs/run-statuses.test.ts holds them equal). */
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const runStatusSchema = z.enum(RUN_STATUSES);
export type RunStatusName = z.infer<typeof runStatusSchema>;

/** A run in one of these states will not change again. */
export const isFinished = (status: RunStatusName) =>
  status === 'succeeded' || status === 'failed' || status === 'cancelled';

export const RUN_TRIGGERS = ['api', 'console', 'cli', 'schedule', 'pipeline'] as const;
export const runTriggerSchema = z.enum(RUN_TRIGGERS);
export type RunTrigger = z.infer<typeof runTriggerSchema>;

const ref = z.object({ id: z.string(), name: z.string() });

/** Who or what started a run, as people read it. */
export const runStarterSchema = z.object({
  trigger: z.string(),
  /** The API key (name, and id while it exists), for trigger "api". */
  apiKey: ref.nullable(),
  /** The person, for trigger "console" (and "cli" when it was someone). */
  user: z.object({ id: z.string(), email: z.string(), name: z.string().nullable() }).nullable(),
  /** The schedule, for trigger "schedule" (run pages only). */
  schedule: z.object({ cron: z.string(), timezone: z.string() }).nullable().optional(),
});
export type RunStarter = z.infer<typeof runStarterSchema>;

/** A row of the runs list (times as Dates: server components render it). */
export const runListItemSchema = runStarterSchema.extend({
  id: z.string(),
  job: ref,
  status: runStatusSchema,
  attempt: z.number().int(),
  externalRef: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  error: z.string().nullable(),
  queuedAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
});
export type RunListItem = z.infer<typeof runListItemSchema>;

const isoTime = z.string();

/** A run as the API shows it (GET /etl-mgr/api/runs/{runId}, a status's lastRun, webhook payloads). */
export const publicRunSchema = z.object({
  id: z.string(),
  jobId: z.string(),
  status: runStatusSchema,
  params: z.unknown(),
  trigger: z.string(),
  /** Which key (trigger "api") or schedule (trigger "schedule") started it. */
  apiKeyId: z.string().nullable(),
  scheduleId: z.string().nullable(),
  jobid: z.string().nullable(),
  queuedAt: isoTime,
  startedAt: isoTime.nullable(),
  finishedAt: isoTime.nullable(),
  exitCode: z.number().int().nullable(),
  error: z.string().nullable(),
  attempt: z.number().int(),
});
export type PublicRun = z.infer<typeof publicRunSchema>;

/** The console's live view of a run: the API's run and whether someone asked it to stop. */
export const runSnapshotSchema = publicRunSchema.extend({ cancelRequestedAt: isoTime.nullable() });
export type RunSnapshot = z.infer<typeof runSnapshotSchema>;

export const LOG_STREAMS = ['stdout', 'stderr', 'system'] as const;

export const logLineSchema = z.object({
  seq: z.number().int(),
  stream: z.enum(LOG_STREAMS),
  text: z.string(),
  at: isoTime,
});
export type LogLine = z.infer<typeof logLineSchema>;
