import type { Metadata } from 'next';
import Link from 'next/link';
import { currentTime } from '@/components/runs/format';
import { JobTable } from '@/components/jobs/job-table';
import { AutoRefresh } from '@/components/runs/auto-refresh';
import { Alert } from '@/components/ui/alert';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { canManageJobs } from '@/server/jobs/get-job';
import { listJobs } from '@/server/jobs/list-jobs';
import { sessionActor } from '@/server/members/session-actor';

export const metadata: Metadata = { title: 'Jobs' };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function JobsPage({ searchParams }: { searchParams: Search }) {
  const actor = await sessionActor();
  const params = await searchParams;
  const jobs = await listJobs(actor);
  const mayCreate = canManageJobs(actor);
  const createButton = mayCreate ? (
    <Link href="/jobs/new" className={buttonClasses()}>
      Create job
    </Link>
  ) : null;

  return (
    <>
      <PageHeader
        title="Jobs"
        description="The commands and HTTP calls this organisation can run, by hand with “Run now” or through the job API."
        actions={jobs.length > 0 ? createButton : null}
      />
      {params.deleted ? (
        <Alert tone="success" className="mb-4">
          The job was deleted.
        </Alert>
      ) : null}
      {!mayCreate ? (
        <p className="mb-4 text-sm text-fg-muted">
          You have the viewer role: you can follow jobs and runs, but not create, edit or run jobs. Ask an
          admin for the editor role.
        </p>
      ) : null}
      {jobs.length === 0 ? (
        <EmptyState
          title="No jobs yet"
          description={`A job is a command the workers run or an HTTP request they send, started from here or by programs with an API key.${mayCreate ? '' : ' Ask an editor or admin to create one.'}`}
          action={createButton}
        />
      ) : (
        <>
          <JobTable jobs={jobs} now={currentTime()} />
          <p className="mt-3 text-xs text-fg-muted">
            {jobs.length} {jobs.length === 1 ? 'job' : 'jobs'}. Open a job to run it, see its runs or edit it.
          </p>
        </>
      )}
      <AutoRefresh
        active={jobs.some((j) => j.lastRun?.status === 'queued' || j.lastRun?.status === 'running')}
      />
    </>
  );
}
