import type { Metadata } from 'next';
import Link from 'next/link';
import { currentTime } from '@/components/runs/format';
import { AutoRefresh } from '@/components/runs/auto-refresh';
import { Pagination } from '@/components/runs/pagination';
import { RunFilters } from '@/components/runs/run-filters';
import { RunTable } from '@/components/runs/run-table';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { listJobNames } from '@/server/jobs/list-jobs';
import { sessionActor } from '@/server/members/session-actor';
import { RUN_STATUSES, RUN_TRIGGERS, type RunTrigger } from '@/lib/validations/run';
import { listRuns } from '@/server/runs/list-runs';

export const metadata: Metadata = { title: 'Runs' };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export default async function RunsPage({ searchParams }: { searchParams: Search }) {
  const actor = await sessionActor();
  const params = await searchParams;
  const status = (RUN_STATUSES as readonly string[]).includes(one(params.status))
    ? (one(params.status) as (typeof RUN_STATUSES)[number])
    : undefined;
  const trigger = (RUN_TRIGGERS as readonly string[]).includes(one(params.trigger))
    ? (one(params.trigger) as RunTrigger)
    : undefined;
  const jobs = await listJobNames(actor);
  const jobId = jobs.some((j) => j.id === one(params.job)) ? one(params.job) : undefined;
  const cursor = one(params.cursor).slice(0, 200) || null;
  const { runs, older, newer } = await listRuns(actor, { status, trigger, jobId, cursor });
  const filtered = Boolean(status || trigger || jobId);
  const now = currentTime();

  const href = (target: string | null) => {
    const q = new URLSearchParams();
    if (status) q.set('status', status);
    if (jobId) q.set('job', jobId);
    if (trigger) q.set('trigger', trigger);
    if (target) q.set('cursor', target);
    const s = q.toString();
    return s ? `/runs?${s}` : '/runs';
  };

  return (
    <>
      <PageHeader
        title="Runs"
        description="Every start of every job, from the console, the API or the CLI: its status, who started it and its log."
      />
      {runs.length === 0 && !filtered && !cursor ? (
        <EmptyState
          title="No runs yet"
          description="Runs appear here as soon as a job is started, with “Run now” on a job's page or through the job API."
          action={
            <Link href="/jobs" className={buttonClasses()}>
              Go to jobs
            </Link>
          }
        />
      ) : (
        <>
          <RunFilters status={status ?? ''} job={jobId ?? ''} trigger={trigger ?? ''} jobs={jobs} />
          {runs.length === 0 ? (
            <EmptyState
              title="No runs match"
              description="Try another status, job or trigger."
              action={
                <Link href="/runs" className={buttonClasses({ variant: 'secondary' })}>
                  Clear filters
                </Link>
              }
            />
          ) : (
            <>
              <RunTable
                runs={runs}
                now={now}
                caption={
                  filtered
                    ? 'Runs matching the filters, newest first'
                    : 'Runs of this organisation, newest first'
                }
              />
              <Pagination count={runs.length} older={older} newer={newer} href={href} />
            </>
          )}
        </>
      )}
      <AutoRefresh
        active={
          !newer &&
          (runs.some((r) => r.status === 'queued' || r.status === 'running') ||
            status === 'queued' ||
            status === 'running')
        }
      />
    </>
  );
}
