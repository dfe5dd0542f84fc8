import type { UserActor } from '../auth/actor';
import { decodeCursor, pageOf } from '../../lib/cursor';
import { db, Prisma } from '../db';
import type { AuditItem } from '../../lib/validations/audit';

export type { AuditItem };

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
  /** A cursor from a page's `older` or `newer` (lib/cursor.ts); none is the newest page. */
  cursor?: string | null;
  limit?: number;
}

/** A row as Postgres returns it: the id is a bigint, details any JSON. */
type AuditRow = Omit<AuditItem, 'id' | 'details'> & { id: bigint; details: unknown };

/** "%text%" for ILIKE with the text's own % _ \\ taken literally. */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function aboutTarget(target: string): Prisma.Sql {
  const about = [Prisma.sql`target = ${target}`];
  const id = target.slice(target.indexOf(':') + 1);
  // The key's own events, the roll that replaced it, and the jobs it started; a job's starts. The
  // containment tests use the GIN index on details.
  if (target.startsWith('key:'))
    about.push(
      Prisma.sql`actor = ${target}`,
      Prisma.sql`details @> ${JSON.stringify({ rolledFrom: id })}::jsonb`,
    );
  if (target.startsWith('job:')) about.push(Prisma.sql`details @> ${JSON.stringify({ jobId: id })}::jsonb`);
  return Prisma.sql`(${Prisma.join(about, ' or ')})`;
}

/**
 * The organisation's audit log, newest first, a page at a time through keyset cursors (at, id). Job
 * starts are recorded by etl_start_runs as "job.started" (the key or user as actor, target "run:<id>").
 */
export async function listAuditEvents(
  actor: UserActor,
  filter: AuditFilter = {},
): Promise<{ items: AuditItem[]; older: string | null; newer: string | null }> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const actions = filter.action
    ? ((AUDIT_GROUPS as Record<string, readonly string[]>)[filter.action] ?? [filter.action])
    : null;
  const name = filter.actor?.trim();
  const cursor = decodeCursor(filter.cursor);
  const where = [Prisma.sql`"orgId" = ${actor.orgId}::uuid`];
  if (actions) where.push(Prisma.sql`action = any(${[...actions]}::text[])`);
  if (name) where.push(Prisma.sql`"actorName" ilike ${contains(name)}`);
  if (filter.target) where.push(aboutTarget(filter.target));
  if (cursor && /^[0-9]+$/.test(cursor.id)) {
    // "at" is a timestamp(3) in UTC without zone: compare with the same type, whatever the session's zone.
    const at = Prisma.sql`${new Date(cursor.at).toISOString().slice(0, -1)}::timestamp(3)`;
    const id = BigInt(cursor.id);
    // The bound on "at" alone is the index range; the tie within one ms is settled by id.
    where.push(
      cursor.dir === 'older'
        ? Prisma.sql`at <= ${at} and (at < ${at} or id < ${id})`
        : Prisma.sql`at >= ${at} and (at > ${at} or id > ${id})`,
    );
  }
  const order = cursor?.dir === 'newer' ? Prisma.sql`at asc, id asc` : Prisma.sql`at desc, id desc`;
  const rows = await db.$queryRaw<AuditRow[]>`
    select id, at, action, actor, "actorName", target, ip, details from "AuditEvent"
    where ${Prisma.join(where, ' and ')} order by ${order} limit ${limit + 1}`;
  const page = pageOf(rows, limit, cursor, (e) => ({ at: e.at, id: String(e.id) }));
  const items: AuditItem[] = page.items.map((e) => ({
    id: String(e.id),
    at: e.at,
    action: e.action,
    actor: e.actor,
    actorName: e.actorName,
    target: e.target,
    ip: e.ip,
    details: (e.details ?? {}) as Record<string, unknown>,
  }));
  return { items, older: page.older, newer: page.newer };
}
