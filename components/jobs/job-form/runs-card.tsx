'use client';

import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { CommandFields } from './command-fields';
import { HttpFields } from './http-fields';
import type { JobFormKit } from './kit';
import { TypePicker } from './type-picker';
import { StepEditor, type StepJobChoice } from '@/components/pipelines/step-editor';

/** "What it runs": the type, then its fields. */
export function RunsCard({
  kit,
  type,
  commandNote,
  stepJobs,
}: {
  kit: JobFormKit;
  type: 'command' | 'http' | 'pipeline';
  commandNote: string | null;
  stepJobs: StepJobChoice[];
}) {
  return (
    <Card>
      <CardHeader
        title="What it runs"
        description="A command on the worker (no shell), an HTTP request to another service, or a pipeline of jobs."
      />
      <CardBody className="grid gap-5">
        <TypePicker kit={kit} type={type} />
        {type === 'command' ? (
          <CommandFields kit={kit} commandNote={commandNote} />
        ) : type === 'pipeline' ? (
          <StepEditor kit={kit} jobs={stepJobs} />
        ) : (
          <HttpFields kit={kit} />
        )}
      </CardBody>
    </Card>
  );
}
