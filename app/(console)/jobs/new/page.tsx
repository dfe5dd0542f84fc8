import type { Metadata } from 'next';
import Link from 'next/link';
import { JobForm } from '@/components/jobs/job-form';
import { EmptyState } from '@/components/ui/empty-state';
import { buttonClasses } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { canManageJobs } from '@/server/jobs/get-job';
import { commandJobsRefusal } from '@/server/jobs/job-policy';
import { commandJobsGrant } from '@/server/members/command-grant';
import { sessionActor } from '@/server/members/session-actor';
import { stepJobChoices } from '@/server/pipelines/step-job-choices';
import { createJobAction } from '../actions';
import { Breadcrumb } from '@/components/ui/breadcrumb';

export const metadata: Metadata = { title: 'Create job' };

export default async function NewJobPage() {
  const actor = await sessionActor();
  return (
    <>
      <Breadcrumb trail={[{ href: '/jobs', label: 'Jobs' }]} />
      <PageHeader
        title="Create job"
        description="Define what the workers run and how. You can change everything later."
      />
      {canManageJobs(actor) ? (
        <JobForm
          stepJobs={await stepJobChoices(actor)}
          commandNote={commandJobsRefusal(actor, await commandJobsGrant(actor.orgId))}
          mode="create"
          action={createJobAction}
          cancelHref="/jobs"
        />
      ) : (
        <EmptyState
          title="Creating jobs needs the editor role"
          description="You have the viewer role in this organisation. Ask an admin to make you an editor."
          action={
            <Link href="/jobs" className={buttonClasses({ variant: 'secondary' })}>
              Back to jobs
            </Link>
          }
        />
      )}
    </>
  );
}
