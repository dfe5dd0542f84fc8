import { z } from 'zod';
import { cronProblem, isTimeZone } from '../schedules/cron';

/** One schedule of a job, as the job form and the CLI's definition file give it. */
export const scheduleSchema = z.strictObject({
  /** Present when editing a schedule that exists (it keeps its ticks); absent for a new one. */
  id: z.uuid().optional(),
  cron: z
    .string()
    .trim()
    .min(1, 'Give a cron expression, like 30 2 * * *')
    .max(200)
    .superRefine((value, ctx) => {
      const problem = cronProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  timezone: z
    .string()
    .trim()
    .default('UTC')
    .refine(isTimeZone, 'Give an IANA time zone, like Europe/Berlin or UTC'),
  params: z.record(z.string(), z.unknown(), { error: 'Give a JSON object' }).default({}),
  enabled: z.boolean().default(true),
});

export const schedulesSchema = z.array(scheduleSchema).max(20, 'At most 20 schedules a job');

export type ScheduleInput = z.input<typeof scheduleSchema>;
export type Schedule = z.output<typeof scheduleSchema>;
