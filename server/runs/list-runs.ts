import type { UserActor } from '../auth/actor';
import { isUuid } from '../../lib/validations/ids';
import type { RunListItem, RunStarter, RunTrigger } from '../../lib/validations/run';
import { db, type JobRun, type Prisma, type RunStatus } from '../db';
import { getRun } from './get-run';

export interface ListRunsFilter {
  status?: RunStatus;
  jobId?: string;
  trigger?: RunTrigger;
  /** 1-based. */
  page?: number;
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

/** The organisation's runs across jobs, newest first, filtered and paged; `total` counts every match. */
export async function listRuns(
  actor: UserActor,
  filter: ListRunsFilter = {},
): Promise<{ runs: RunListItem[]; total: number; page: number; pageSize: number }> {
  const pageSize = Math.min(Math.max(filter.pageSize ?? RUNS_PAGE_SIZE, 1), 100);
  const where: Prisma.JobRunWhereInput = { orgId: actor.orgId };
  if (filter.status) where.status = filter.status;
  if (filter.trigger) where.trigger = filter.trigger;
  if (filter.jobId)
    where.jobId = isUuid(filter.jobId) ? filter.jobId.toLowerCase() : '00000000-0000-0000-0000-000000000000';
  const total = await db.jobRun.count({ where });
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(Math.trunc(filter.page ?? 1) || 1, 1), lastPage);
  const rows = await db.jobRun.findMany({
    where,
    orderBy: [{ queuedAt: 'desc' }, { id: 'desc' }],
    skip: (page - 1) * pageSize,
    take: pageSize,
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
  const users = await usersById(rows.map((r) => r.userId));
  return {
    runs: rows.map(({ userId, ...r }) => ({ ...r, user: userId ? (users.get(userId) ?? null) : null })),
    total,
    page,
    pageSize,
  };
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
