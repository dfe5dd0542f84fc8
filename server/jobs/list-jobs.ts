import type { UserActor } from '../auth/actor';
import { db, type RunStatus } from '../db';
import { pipelineSummary } from '../pipelines/summary';

export interface JobListItem {
  id: string;
  name: string;
  description: string | null;
  type: 'command' | 'http' | 'pipeline';
  concurrency: 'single' | 'parallel';
  /** What it runs, in one line: the command, or METHOD URL. */
  summary: string;
  updatedAt: Date;
  lastRun: {
    id: string;
    status: RunStatus;
    queuedAt: Date;
    startedAt: Date | null;
    finishedAt: Date | null;
  } | null;
}

export const JOB_LIST_LIMIT = 500;

function summary(type: string, config: unknown): string {
  const c = (config ?? {}) as { command?: string; args?: string[]; method?: string; url?: string };
  if (type === 'http') return `${c.method ?? 'POST'} ${c.url ?? ''}`.trim();
  if (type === 'pipeline') return pipelineSummary(config);
  const args = (c.args ?? []).map((a) => (/[\s"'\\$`]/.test(a) || a === '' ? JSON.stringify(a) : a));
  return [c.command ?? '', ...args].join(' ').slice(0, 300);
}

/** The organisation's jobs by name, each with its latest run. */
export async function listJobs(actor: UserActor): Promise<JobListItem[]> {
  const jobs = await db.job.findMany({
    where: { orgId: actor.orgId },
    orderBy: { name: 'asc' },
    take: JOB_LIST_LIMIT,
    select: {
      id: true,
      name: true,
      description: true,
      type: true,
      concurrency: true,
      config: true,
      updatedAt: true,
      runs: {
        orderBy: { queuedAt: 'desc' },
        take: 1,
        select: { id: true, status: true, queuedAt: true, startedAt: true, finishedAt: true },
      },
    },
  });
  return jobs.map(({ runs, config, ...job }) => ({
    ...job,
    summary: summary(job.type, config),
    lastRun: runs[0] ?? null,
  }));
}

/** Names and ids of the organisation's jobs, for filters. */
export async function listJobNames(actor: UserActor): Promise<{ id: string; name: string }[]> {
  return db.job.findMany({
    where: { orgId: actor.orgId },
    orderBy: { name: 'asc' },
    take: JOB_LIST_LIMIT,
    select: { id: true, name: true },
  });
}
