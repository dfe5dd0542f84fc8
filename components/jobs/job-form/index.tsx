'use client';

import Link from 'next/link';
import type { JobDefinitionInput } from '@/lib/validations/job';
import { Alert } from '@/components/ui/alert';
import { Button, buttonClasses } from '@/components/ui/button';
import { JobSchedulesCard } from '../schedules/job-schedules-card';
import { DefinitionCard } from './definition-card';
import { definitionText } from './form-paths';
import { HowCard } from './how-card';
import { JobCard } from './job-card';
import { NotifyCard } from './notify-card';
import { ParamsCard } from './params-card';
import { RunsCard } from './runs-card';
import type { StepJobChoice } from '@/components/pipelines/step-editor';
import { useJobForm, type JobFormFailure } from './use-job-form';

export type { JobFormFailure } from './use-job-form';

export const EMPTY_JOB: JobDefinitionInput = {
  name: '',
  description: '',
  type: 'command',
  config: { command: '', args: [], env: {}, network: false },
  concurrency: 'single',
  timeoutSeconds: 3600,
  maxAttempts: 1,
  paramsSchema: null,
  notifyOnFailure: false,
  notifyEmails: [],
};

const SUBMIT_LABELS = {
  create: { idle: 'Create job', busy: 'Creating…' },
  edit: { idle: 'Save changes', busy: 'Saving…' },
};

/** Create or edit a job: fields by type (command or HTTP), how it runs, and its params schema. */
export function JobForm({
  initial = EMPTY_JOB,
  action,
  mode,
  cancelHref,
  commandNote = null,
  stepJobs = [],
}: {
  initial?: JobDefinitionInput;
  action: (input: JobDefinitionInput) => Promise<JobFormFailure>;
  mode: 'create' | 'edit';
  cancelHref: string;
  /** Why this person may not save a command job here, if so. */ commandNote?: string | null;
  /** The jobs a pipeline's steps may run. */
  stepJobs?: StepJobChoice[];
}) {
  const { kit, values, type, formError, onSubmit, busy } = useJobForm(initial, action);
  return (
    <form
      method="post"
      noValidate
      onSubmit={onSubmit}
      className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_minmax(0,22rem)]"
    >
      <div className="flex min-w-0 flex-col gap-6">
        {formError ? <Alert tone="danger">{formError}</Alert> : null}
        {Object.keys(kit.errors).length > 0 && !formError ? (
          <Alert tone="danger">Check the highlighted fields.</Alert>
        ) : null}
        <JobCard kit={kit} mode={mode} />
        <RunsCard kit={kit} type={type} commandNote={commandNote} stepJobs={stepJobs} />
        <HowCard kit={kit} />
        <ParamsCard kit={kit} />
        <NotifyCard kit={kit} />
        <JobSchedulesCard id={kit.fid('schedules')} control={kit.control} errors={kit.errors} />
        <div className="flex items-center justify-end gap-3">
          <Link href={cancelHref} className={buttonClasses({ variant: 'ghost' })}>
            Cancel
          </Link>
          <Button type="submit" disabled={busy}>
            {SUBMIT_LABELS[mode][busy ? 'busy' : 'idle']}
          </Button>
        </div>
      </div>
      <DefinitionCard definition={definitionText(values)} />
    </form>
  );
}
