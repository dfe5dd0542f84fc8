import type { UserActor } from '../auth/actor';
import { db, Prisma, type JobRun, type RunStatus } from '../db';
import { decodeCursor, pageOf } from '../../lib/cursor';
import { isUuid } from '../../lib/validations/ids';
import type { RunListItem, RunStarter, RunTrigger } from '../../lib/validations/run';
import { getRun } from './get-run';

export interface ListRunsFilter {
  status?: RunStatus;
  jobId?: string;
  trigger?: RunTrigger;
  /** A cursor from a page's `older` or `newer` (lib/cursor.ts); none is the newest page. */
  cursor?: string | null;
  pageSize?: number;
}

export const RUNS_PAGE_SIZE = 25;

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
    where.jobId = isUuid(filter.jobId) ? filter.jobId.toLowerCase() : '00000000-0000-0000-0000-000000000000';
  return where;
}

interface RunRow {
  id: string;
  status: RunStatus;
  trigger: string;
  attempt: number;
  externalRef: string | null;
  exitCode: number | null;
  error: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  jobId: string;
  jobName: string;
  keyId: string | null;
  keyName: string | null;
  userId: string | null;
  userEmail: string | null;
  userName: string | null;
}

/** "queuedAt" is a timestamp(3) in UTC without zone: compared with the same type, whatever the session's. */
const utc = (ms: number) => Prisma.sql`${new Date(ms).toISOString().slice(0, -1)}::timestamp(3)`;

function runsSql(actor: UserActor, filter: ListRunsFilter): Prisma.Sql[] {
  const where = [Prisma.sql`r."orgId" = ${actor.orgId}::uuid`];
  if (filter.status) where.push(Prisma.sql`r.status = ${filter.status}::"RunStatus"`);
  if (filter.trigger) where.push(Prisma.sql`r.trigger = ${filter.trigger}`);
  if (filter.jobId) {
    const jobId = isUuid(filter.jobId) ? filter.jobId.toLowerCase() : '00000000-0000-0000-0000-000000000000';
    where.push(Prisma.sql`r."jobId" = ${jobId}::uuid`);
  }
  return where;
}

/**
 * The organisation's runs across jobs, newest first, filtered, a page at a time through keyset cursors
 * (queuedAt, id): every page costs the same however deep, through the indexes of migration
 * 20261203121151_list_indexes. One statement (the job, key and person joined by primary key), not four
 * round trips. `older`/`newer` are the cursors of the pages beside it.
 */
export async function listRuns(
  actor: UserActor,
  filter: ListRunsFilter = {},
): Promise<{ runs: RunListItem[]; older: string | null; newer: string | null; pageSize: number }> {
  const pageSize = Math.min(Math.max(filter.pageSize ?? RUNS_PAGE_SIZE, 1), 100);
  const where = runsSql(actor, filter);
  const cursor = decodeCursor(filter.cursor);
  if (cursor && isUuid(cursor.id)) {
    // The bound on queuedAt alone is what the index range uses; the tie on the same ms is settled by id.
    const at = utc(cursor.at);
    where.push(
      cursor.dir === 'older'
        ? Prisma.sql`r."queuedAt" <= ${at} and (r."queuedAt" < ${at} or r.id < ${cursor.id}::uuid)`
        : Prisma.sql`r."queuedAt" >= ${at} and (r."queuedAt" > ${at} or r.id > ${cursor.id}::uuid)`,
    );
  }
  const order =
    cursor?.dir === 'newer'
      ? Prisma.sql`r."queuedAt" asc, r.id asc`
      : Prisma.sql`r."queuedAt" desc, r.id desc`;
  const rows = await db.$queryRaw<RunRow[]>`
    select r.id, r.status::text as status, r.trigger, r.attempt, r."externalRef", r."exitCode", r.error,
      r."queuedAt", r."startedAt", r."finishedAt", j.id as "jobId", j.name as "jobName",
      k.id as "keyId", k.name as "keyName", u.id as "userId", u.email as "userEmail", u.name as "userName"
    from "JobRun" r join "Job" j on j.id = r."jobId"
      left join "ApiKey" k on k.id = r."apiKeyId" left join "User" u on u.id = r."userId"
    where ${Prisma.join(where, ' and ')} order by ${order} limit ${pageSize + 1}`;
  const page = pageOf(rows, pageSize, cursor, (r) => ({ at: r.queuedAt, id: r.id }));
  return {
    runs: page.items.map((r) => ({
      id: r.id,
      job: { id: r.jobId, name: r.jobName },
      status: r.status,
      trigger: r.trigger,
      attempt: r.attempt,
      externalRef: r.externalRef,
      exitCode: r.exitCode,
      error: r.error,
      queuedAt: r.queuedAt,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      apiKey: r.keyId ? { id: r.keyId, name: r.keyName ?? '' } : null,
      user: r.userId ? { id: r.userId, email: r.userEmail ?? '', name: r.userName } : null,
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
