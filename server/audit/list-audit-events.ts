import type { UserActor } from '../auth/actor';
import { db, type Prisma } from '../db';

export interface AuditItem {
  /** "event:<id>" or "run:<id>". */
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
  keys: ['key.created', 'key.revealed', 'key.rolled', 'key.revoked', 'key.updated', 'key.tested'],
  members: ['member.added', 'member.role_changed'],
  jobs: ['job.started', 'job.created'],
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
 * The organisation's audit log, newest first: the recorded events, plus the job runs started through the
 * API (as "job.started", the key as actor), which the job API does not write as events.
 */
export async function listAuditEvents(actor: UserActor, filter: AuditFilter = {}): Promise<{ items: AuditItem[]; nextBefore: Date | null }> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const actions = filter.action ? ((AUDIT_GROUPS as Record<string, readonly string[]>)[filter.action] ?? [filter.action]) : null;
  const name = filter.actor?.trim();

  const eventWhere: Prisma.AuditEventWhereInput = {
    orgId: actor.orgId,
    ...(actions ? { action: { in: [...actions] } } : {}),
    ...(name ? { actorName: { contains: name, mode: 'insensitive' } } : {}),
    ...(filter.target ? { OR: [{ target: filter.target }, { details: { path: ['rolledFrom'], equals: filter.target.replace(/^key:/, '') } }] } : {}),
    ...(filter.before ? { at: { lt: filter.before } } : {}),
  };
  const wantRuns = (!actions || actions.includes('job.started')) && (!filter.target || filter.target.startsWith('key:') || filter.target.startsWith('job:'));
  const runWhere: Prisma.JobRunWhereInput = {
    orgId: actor.orgId,
    trigger: 'api',
    ...(name ? { apiKey: { name: { contains: name, mode: 'insensitive' } } } : {}),
    ...(filter.target?.startsWith('key:') ? { apiKeyId: filter.target.slice(4) } : {}),
    ...(filter.target?.startsWith('job:') ? { jobId: filter.target.slice(4) } : {}),
    ...(filter.before ? { queuedAt: { lt: filter.before } } : {}),
  };

  const [events, runs] = await Promise.all([
    db.auditEvent.findMany({ where: eventWhere, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: limit + 1 }),
    wantRuns
      ? db.jobRun.findMany({
          where: runWhere,
          orderBy: { queuedAt: 'desc' },
          take: limit + 1,
          select: { id: true, queuedAt: true, apiKeyId: true, externalRef: true, job: { select: { id: true, name: true } }, apiKey: { select: { name: true, lastUsedIp: true } } },
        })
      : Promise.resolve([]),
  ]);

  const items: AuditItem[] = [
    ...events.map((e) => ({
      id: `event:${e.id}`,
      at: e.at,
      action: e.action,
      actor: e.actor,
      actorName: e.actorName,
      target: e.target,
      ip: e.ip,
      details: (e.details ?? {}) as Record<string, unknown>,
    })),
    ...runs.map((r) => ({
      id: `run:${r.id}`,
      at: r.queuedAt,
      action: 'job.started',
      actor: r.apiKeyId ? `key:${r.apiKeyId}` : 'system',
      actorName: r.apiKey?.name ?? 'a deleted key',
      target: `job:${r.job.id}`,
      ip: null,
      details: { name: r.job.name, runId: r.id, ...(r.externalRef ? { jobid: r.externalRef } : {}) },
    })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime());

  const page = items.slice(0, limit);
  const more = items.length > limit;
  return { items: page, nextBefore: more ? page[page.length - 1].at : null };
}
