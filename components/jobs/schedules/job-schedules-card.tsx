'use client';

import { Controller, get, type Control, type FieldErrors } from 'react-hook-form';
import type { JobDefinitionInput } from '@/lib/validations/job';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { ScheduleEditor } from './schedule-editor';

/** The job form's "Schedules" card (kept out of job-form.tsx, which holds the definition's other fields). */
export function JobSchedulesCard({
  id,
  control,
  errors,
}: {
  id: string;
  control: Control<JobDefinitionInput, unknown, unknown>;
  errors: FieldErrors<JobDefinitionInput>;
}) {
  return (
    <Card>
      <CardHeader
        title="Schedules"
        description="Runs the job on its own at these times, with these params. Each run shows “Schedule” as its trigger."
      />
      <CardBody>
        <Controller
          control={control}
          name="schedules"
          defaultValue={[]}
          render={({ field }) => (
            <ScheduleEditor
              id={id}
              value={field.value ?? []}
              onChange={field.onChange}
              errors={get(errors, 'schedules')}
            />
          )}
        />
      </CardBody>
    </Card>
  );
}
