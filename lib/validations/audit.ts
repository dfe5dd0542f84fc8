import { z } from 'zod';

/** An audit event as the console shows it: the server's list returns it, the audit table takes it. */
export const auditItemSchema = z.object({
  id: z.string(),
  at: z.date(),
  action: z.string(),
  /** "user:<id>", "key:<id>" or "system". */
  actor: z.string(),
  actorName: z.string(),
  target: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditItem = z.infer<typeof auditItemSchema>;
