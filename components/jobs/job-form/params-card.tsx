'use client';

import { Controller } from 'react-hook-form';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import type { JobFormKit } from './kit';
import { ParamsSchemaEditor } from './params-schema-editor';

/** "Params": the JSON Schema a start's params must fit. */
export function ParamsCard({ kit }: { kit: JobFormKit }) {
  const { control, fid, err } = kit;
  return (
    <Card>
      <CardHeader title="Params" description="What callers may pass in params when they start the job." />
      <CardBody>
        <Controller
          control={control}
          name="paramsSchema"
          render={({ field }) => (
            <ParamsSchemaEditor
              id={fid('paramsSchema')}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              error={err('paramsSchema')}
            />
          )}
        />
      </CardBody>
    </Card>
  );
}
