import type { RunListItem } from '@/lib/validations/run';
import type { Metadata } from 'next';
import Link from 'next/link';
import { currentTime } from '@/components/runs/format';
import { notFound } from 'next/navigation';
import { SwitchedNotice } from '@/components/shell/switched-notice';
import { followLinkToOwnOrg } from '@/server/members/follow-link';
import { JobDefinitionList, type JobDefinitionView } from '@/components/jobs/job-definition';
import { TYPE_LABELS } from '@/components/jobs/job-table';
import { RunNowForm } from '@/components/jobs/run-now-form';
import { ScheduleList } from '@/components/jobs/schedules/schedule-list';
import { AutoRefresh } from '@/components/runs/auto-refresh';
import { RunTable } from '@/components/runs/run-table';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { buttonClasses } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { MAX_PARAMS_TEXT } from '@/lib/validations/job';
import { AppError } from '@/server/errors';
import { canManageJobs, getJob } from '@/server/jobs/get-job';
import { sessionActor } from '@/server/members/session-actor';
import { countRuns, listRuns } from '@/server/runs/list-runs';
import { listJobSchedules } from '@/server/schedules/list-schedules';
import { runJobAction } from '../actions';
import { Breadcrumb } from '@/components/ui/breadcrumb';

type Params = Promise<{ id: string }>;
type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export const metadata: Metadata = { title: 'Job' };

async function load(id: string) {
  const actor = await sessionActor();
  try {
    return { actor, job: await getJob(actor, id) };
  } catch (error) {
    if (error instanceof AppError && error.code === 'job_not_found') {
      await followLinkToOwnOrg(actor, 'job', id, `/jobs/${id}`);
      notFound();
    }
    throw error;
  }
}

type PageJob = Awaited<ReturnType<typeof load>>['job'];

/** "Run now" with the params (those of "Run again", when it came from a run), or why not. */
function RunNowCard({
  job,
  mayManage,
  initialParams,
}: {
  job: PageJob;
  mayManage: boolean;
  initialParams: string;
}) {
  return (
    <Card id="run-now" className="scroll-mt-20">
      <CardHeader
        title="Run now"
        description={
          job.concurrency === 'single'
            ? 'Queues a run for the next free worker and opens it. This job runs one at a time.'
            : 'Queues a run for the next free worker and opens it.'
        }
      />
      <CardBody>
        {mayManage ? (
          <RunNowForm
            jobName={job.name}
            paramsSchema={job.paramsSchema}
            initialParams={initialParams}
            action={runJobAction.bind(null, job.id)}
          />
        ) : (
          <p className="text-sm text-fg-muted">
            Running jobs needs the editor role; you have the viewer role. Ask an admin if you need to run
            jobs.
          </p>
        )}
      </CardBody>
    </Card>
  );
}

/** The job's latest runs and a link to all of them. */
function RecentRuns({
  job,
  runs,
  total,
  capped,
}: {
  job: PageJob;
  runs: RunListItem[];
  total: number;
  capped: boolean;
}) {
  return (
    <section aria-labelledby="recent-runs">
      <div className="mb-3 flex flex-wrap items-end justify-between gap-2">
        <h2 id="recent-runs" className="text-base font-semibold text-fg">
          Recent runs
        </h2>
        {total > 0 ? (
          <Link href={`/runs?job=${job.id}`} className="text-sm font-medium text-accent hover:underline">
            All {total.toLocaleString('en')}
            {capped ? '+' : ''} {total === 1 ? 'run' : 'runs'} of this job →
          </Link>
        ) : null}
      </div>
      {runs.length === 0 ? (
        <p className="rounded-lg border border-dashed border-border-strong bg-surface px-4 py-6 text-center text-sm text-fg-muted">
          Not run yet. Its runs appear here, started from the console, the API or the CLI.
        </p>
      ) : (
        <RunTable runs={runs} showJob={false} now={currentTime()} caption={`Latest runs of ${job.name}`} />
      )}
    </section>
  );
}

export default async function JobPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const { id } = await params;
  const query = await searchParams;
  const { actor, job } = await load(id);
  const [{ runs }, { count: total, capped }] = await Promise.all([
    listRuns(actor, { jobId: job.id, pageSize: 10 }),
    countRuns(actor, { jobId: job.id }),
  ]);
  const schedules = await listJobSchedules(actor.orgId, job.id);
  const mayManage = canManageJobs(actor);
  // "Run again" from a run page brings that run's params along.
  const again = one(query.params);
  const initialParams = again && again.length <= MAX_PARAMS_TEXT ? again : '{}';
  const active = runs.some((r) => r.status === 'queued' || r.status === 'running');

  return (
    <>
      <SwitchedNotice switched={query.switched} orgSlug={actor.orgSlug} />
      <Breadcrumb trail={[{ href: '/jobs', label: 'Jobs' }]} />
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            <span>{job.name}</span>
            <Badge tone={job.type === 'http' ? 'info' : 'neutral'}>{TYPE_LABELS[job.type]}</Badge>
          </span>
        }
        description={job.description ?? undefined}
        actions={
          mayManage ? (
            <Link href={`/jobs/${job.id}/edit`} className={buttonClasses({ variant: 'secondary' })}>
              Edit job
            </Link>
          ) : null
        }
      />
      {query.created ? (
        <Alert tone="success" className="mb-5">
          Job created. Start it with “Run now” below, or from a program with an API key.
        </Alert>
      ) : query.saved ? (
        <Alert tone="success" className="mb-5">
          Changes saved. Runs started from now on use them.
        </Alert>
      ) : null}

      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_minmax(0,24rem)]">
        <div className="flex min-w-0 flex-col gap-6">
          <RunNowCard job={job} mayManage={mayManage} initialParams={initialParams} />

          <RecentRuns job={job} runs={runs} total={total} capped={capped} />
        </div>

        <aside className="min-w-0">
          <Card>
            <CardHeader title="Definition" />
            <CardBody>
              <JobDefinitionList job={job as JobDefinitionView} />
            </CardBody>
          </Card>
          <div className="mt-6">
            <ScheduleList schedules={schedules} />
          </div>
        </aside>
      </div>
      <AutoRefresh active={active} />
    </>
  );
}
