import type { Prisma } from '../db';
import { db } from '../db';

export interface AuditEntry {
  orgId: string;
  /** "user:<id>", "key:<id>" or "system". */
  actor: string;
  actorName: string;
  action: string;
  target?: string;
  ip?: string | null;
  details?: Prisma.InputJsonValue;
}

type Writer = Pick<typeof db, 'auditEvent'>;

/** Writes one audit event; pass the transaction client to make it part of the change it records. */
export async function recordAudit(entry: AuditEntry, client: Writer = db): Promise<void> {
  await client.auditEvent.create({
    data: {
      orgId: entry.orgId,
      actor: entry.actor,
      actorName: entry.actorName,
      action: entry.action,
      target: entry.target,
      ip: entry.ip ?? null,
      details: entry.details ?? {},
    },
  });
}
