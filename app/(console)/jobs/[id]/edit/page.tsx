import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DeleteJobButton } from '@/components/jobs/delete-job-button';
import { JobForm } from '@/components/jobs/job-form';
import { buttonClasses } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import type { JobDefinitionInput } from '@/lib/validations/job';
import { AppError } from '@/server/errors';
import { canDeleteJobs, canManageJobs, getJob } from '@/server/jobs/get-job';
import { commandJobsRefusal } from '@/server/jobs/job-policy';
import { commandJobsGrant } from '@/server/members/command-grant';
import { sessionActor } from '@/server/members/session-actor';
import { stepJobChoices } from '@/server/pipelines/step-job-choices';
import { countRuns } from '@/server/runs/list-runs';
import { listJobSchedules } from '@/server/schedules/list-schedules';
import { deleteJobAction, updateJobAction } from '../../actions';
import { Breadcrumb } from '@/components/ui/breadcrumb';

type Params = Promise<{ id: string }>;

export const metadata: Metadata = { title: 'Edit job' };

/** The job as the form edits it, with its schedules. */
async function formValues(orgId: string, job: Awaited<ReturnType<typeof getJob>>) {
  return {
    name: job.name,
    description: job.description ?? '',
    type: job.type,
    config: job.config,
    concurrency: job.concurrency,
    timeoutSeconds: job.timeoutSeconds,
    maxAttempts: job.maxAttempts,
    paramsSchema: job.paramsSchema ?? null,
    notifyOnFailure: job.notifyOnFailure,
    notifyEmails: job.notifyEmails,
    schedules: (await listJobSchedules(orgId, job.id)).map((s) => ({
      id: s.id,
      cron: s.cron,
      timezone: s.timezone,
      params: s.params,
      enabled: s.enabled,
    })),
  } as JobDefinitionInput;
}

export default async function EditJobPage({ params }: { params: Params }) {
  const { id } = await params;
  const actor = await sessionActor();
  let job;
  try {
    job = await getJob(actor, id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'job_not_found') notFound();
    throw error;
  }
  const initial = await formValues(actor.orgId, job);
  const mayDelete = canDeleteJobs(actor);
  const { count: total } = mayDelete ? await countRuns(actor, { jobId: job.id }, null) : { count: 0 };

  return (
    <>
      <Breadcrumb
        trail={[
          { href: '/jobs', label: 'Jobs' },
          { href: `/jobs/${job.id}`, label: job.name, mono: true },
        ]}
      />
      <PageHeader
        title={`Edit ${job.name}`}
        description="Changes apply to runs started after you save; runs already queued or running are not affected."
      />
      {canManageJobs(actor) ? (
        <>
          <JobForm
            stepJobs={await stepJobChoices(actor)}
            commandNote={commandJobsRefusal(actor, await commandJobsGrant(actor.orgId))}
            mode="edit"
            initial={initial}
            action={updateJobAction.bind(null, job.id)}
            cancelHref={`/jobs/${job.id}`}
          />
          {mayDelete ? (
            <Card className="mt-10 border-danger/40">
              <CardHeader
                title="Delete this job"
                description="Deletes the job with all its runs and logs. Refused while a run is queued or running."
                actions={
                  <DeleteJobButton
                    jobName={job.name}
                    runCount={total}
                    action={deleteJobAction.bind(null, job.id)}
                  />
                }
              />
            </Card>
          ) : null}
        </>
      ) : (
        <EmptyState
          title="Editing jobs needs the editor role"
          description="You have the viewer role in this organisation."
          action={
            <Link href={`/jobs/${job.id}`} className={buttonClasses({ variant: 'secondary' })}>
              Back to the job
            </Link>
          }
        />
      )}
    </>
  );
}
