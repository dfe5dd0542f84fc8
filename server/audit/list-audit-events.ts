import type { UserActor } from '../auth/actor';
import { db, type Prisma } from '../db';

export interface AuditItem {
  id: string;
  at: Date;
  action: string;
  /** "user:<id>", "key:<id>" or "system". */
  actor: string;
  actorName: string;
  target: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

/** Action groups the audit page filters by; a single action works too. */
export const AUDIT_GROUPS = {
  keys: [
    'key.created',
    'key.revealed',
    'key.copied',
    'key.rolled',
    'key.revoked',
    'key.updated',
    'key.tested',
  ],
  members: [
    'member.added',
    'member.role_changed',
    'member.invited',
    'member.invitation_revoked',
    'member.joined',
    'member.removed',
    'member.left',
    'org.created',
  ],
  jobs: ['job.started', 'job.created', 'job.updated', 'job.deleted'],
} as const;

export interface AuditFilter {
  /** A group of AUDIT_GROUPS or one action. */
  action?: string;
  /** Part of the actor's name (email or key name). */
  actor?: string;
  /** "key:<id>", "job:<id>" ...: only events about it. */
  target?: string;
  /** Only events strictly before this time (the next page). */
  before?: Date;
  limit?: number;
}

/**
 * The organisation's audit log, newest first. Job starts are recorded by etl_start_runs as "job.started"
 * (the key or user as actor, target "run:<id>").
 */
export async function listAuditEvents(
  actor: UserActor,
  filter: AuditFilter = {},
): Promise<{ items: AuditItem[]; nextBefore: Date | null }> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const actions = filter.action
    ? ((AUDIT_GROUPS as Record<string, readonly string[]>)[filter.action] ?? [filter.action])
    : null;
  const name = filter.actor?.trim();
  const about: Prisma.AuditEventWhereInput[] = [];
  if (filter.target) {
    about.push({ target: filter.target });
    if (filter.target.startsWith('key:')) {
      // The key's own events, the roll that replaced it, and the jobs it started.
      about.push(
        { actor: filter.target },
        { details: { path: ['rolledFrom'], equals: filter.target.slice(4) } },
      );
    }
    if (filter.target.startsWith('job:'))
      about.push({ details: { path: ['jobId'], equals: filter.target.slice(4) } });
  }

  const events = await db.auditEvent.findMany({
    where: {
      orgId: actor.orgId,
      ...(actions ? { action: { in: [...actions] } } : {}),
      ...(name ? { actorName: { contains: name, mode: 'insensitive' } } : {}),
      ...(about.length ? { OR: about } : {}),
      ...(filter.before ? { at: { lt: filter.before } } : {}),
    },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  });
  const items: AuditItem[] = events.map((e) => ({
    id: String(e.id),
    at: e.at,
    action: e.action,
    actor: e.actor,
    actorName: e.actorName,
    target: e.target,
    ip: e.ip,
    details: (e.details ?? {}) as Record<string, unknown>,
  }));
  const page = items.slice(0, limit);
  return { items: page, nextBefore: items.length > limit ? page[page.length - 1].at : null };
}
