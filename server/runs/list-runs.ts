import type { UserActor } from '../auth/actor';
import { db, type JobRun, type Prisma, type RunStatus } from '../db';
import { decodeCursor, pageOf } from '../../lib/cursor';
import { getRun } from './get-run';

export const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
] as const satisfies readonly RunStatus[];
export const RUN_TRIGGERS = ['api', 'console', 'cli', 'schedule'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export interface ListRunsFilter {
  status?: RunStatus;
  jobId?: string;
  trigger?: RunTrigger;
  /** A cursor from a page's `older` or `newer` (lib/cursor.ts); none is the newest page. */
  cursor?: string | null;
  pageSize?: number;
}

/** Who or what started a run, as people read it. */
export interface RunStarter {
  trigger: string;
  /** The API key (name, and id while it exists), for trigger "api". */
  apiKey: { id: string; name: string } | null;
  /** The person, for trigger "console" (and "cli" when it was someone). */
  user: { id: string; email: string; name: string | null } | null;
  /** The schedule, for trigger "schedule" (run pages only). */
  schedule?: { cron: string; timezone: string } | null;
}

export interface RunListItem extends RunStarter {
  id: string;
  job: { id: string; name: string };
  status: RunStatus;
  attempt: number;
  externalRef: string | null;
  exitCode: number | null;
  error: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export const RUNS_PAGE_SIZE = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function usersById(ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return new Map<string, { id: string; email: string; name: string | null }>();
  const users = await db.user.findMany({
    where: { id: { in: wanted } },
    select: { id: true, email: true, name: true },
  });
  return new Map(users.map((u) => [u.id, u]));
}

function runsWhere(actor: UserActor, filter: ListRunsFilter): Prisma.JobRunWhereInput {
  const where: Prisma.JobRunWhereInput = { orgId: actor.orgId };
  if (filter.status) where.status = filter.status;
  if (filter.trigger) where.trigger = filter.trigger;
  if (filter.jobId)
    where.jobId = UUID.test(filter.jobId)
      ? filter.jobId.toLowerCase()
      : '00000000-0000-0000-0000-000000000000';
  return where;
}

/**
 * The organisation's runs across jobs, newest first, filtered, a page at a time through keyset cursors
 * (queuedAt, id): every page costs the same however deep, through the indexes of migration
 * 20261203121151_list_indexes. `older`/`newer` are the cursors of the pages beside it.
 */
export async function listRuns(
  actor: UserActor,
  filter: ListRunsFilter = {},
): Promise<{ runs: RunListItem[]; older: string | null; newer: string | null; pageSize: number }> {
  const pageSize = Math.min(Math.max(filter.pageSize ?? RUNS_PAGE_SIZE, 1), 100);
  const where = runsWhere(actor, filter);
  const cursor = decodeCursor(filter.cursor);
  if (cursor) {
    const at = new Date(cursor.at);
    // The bound on queuedAt alone is what the index range uses; the tie on the same ms is settled by id.
    where.AND =
      cursor.dir === 'older'
        ? [{ queuedAt: { lte: at } }, { OR: [{ queuedAt: { lt: at } }, { id: { lt: cursor.id } }] }]
        : [{ queuedAt: { gte: at } }, { OR: [{ queuedAt: { gt: at } }, { id: { gt: cursor.id } }] }];
  }
  const order = cursor?.dir === 'newer' ? 'asc' : 'desc';
  const rows = await db.jobRun.findMany({
    where,
    orderBy: [{ queuedAt: order }, { id: order }],
    take: pageSize + 1,
    select: {
      id: true,
      status: true,
      trigger: true,
      attempt: true,
      externalRef: true,
      exitCode: true,
      error: true,
      queuedAt: true,
      startedAt: true,
      finishedAt: true,
      userId: true,
      job: { select: { id: true, name: true } },
      apiKey: { select: { id: true, name: true } },
    },
  });
  const page = pageOf(rows, pageSize, cursor, (r) => ({ at: r.queuedAt, id: r.id }));
  const users = await usersById(page.items.map((r) => r.userId));
  return {
    runs: page.items.map(({ userId, ...r }) => ({
      ...r,
      user: userId ? (users.get(userId) ?? null) : null,
    })),
    older: page.older,
    newer: page.newer,
    pageSize,
  };
}

/**
 * How many runs match, counted up to `cap` (an exact count of a million rows costs a good part of a
 * second; a page that only says "1,000+" need not pay it). `cap` null counts them all.
 */
export async function countRuns(
  actor: UserActor,
  filter: Omit<ListRunsFilter, 'cursor' | 'pageSize'> = {},
  cap: number | null = 1_000,
): Promise<{ count: number; capped: boolean }> {
  const n = await db.jobRun.count({ where: runsWhere(actor, filter), ...(cap ? { take: cap + 1 } : {}) });
  return cap && n > cap ? { count: cap, capped: true } : { count: n, capped: false };
}

export interface RunDetail extends RunStarter {
  run: JobRun;
  job: { id: string; name: string; type: string; maxAttempts: number | null };
}

/** One run of the organisation with its job and who started it; another organisation's run is not found. */
export async function getRunDetail(actor: UserActor, runId: string): Promise<RunDetail> {
  const run = await getRun(actor, runId);
  const [job, apiKey, users, schedule] = await Promise.all([
    db.job.findFirst({
      where: { id: run.jobId, orgId: actor.orgId },
      select: { id: true, name: true, type: true, maxAttempts: true },
    }),
    run.apiKeyId
      ? db.apiKey.findFirst({
          where: { id: run.apiKeyId, orgId: actor.orgId },
          select: { id: true, name: true },
        })
      : null,
    usersById([run.userId]),
    run.scheduleId
      ? db.jobSchedule.findFirst({
          where: { id: run.scheduleId, orgId: actor.orgId },
          select: { cron: true, timezone: true },
        })
      : null,
  ]);
  return {
    run,
    job: job ?? { id: run.jobId, name: '(deleted job)', type: 'command', maxAttempts: null },
    trigger: run.trigger,
    apiKey,
    user: run.userId ? (users.get(run.userId) ?? null) : null,
    schedule,
  };
}
