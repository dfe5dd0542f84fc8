'use client';

import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { FormField } from '@/components/ui/form-field';
import { Input, Textarea } from '@/components/ui/input';
import type { JobFormKit } from './kit';

/** The job's name and description. */
export function JobCard({ kit, mode }: { kit: JobFormKit; mode: 'create' | 'edit' }) {
  const { register, fid, err } = kit;
  return (
    <Card>
      <CardHeader
        title="Job"
        description="Its name is how the API and the CLI refer to it (besides its id): unique in this organisation."
      />
      <CardBody className="grid gap-5">
        <FormField
          id={fid('name')}
          label="Name"
          hint={<>Letters, digits and . _ - (up to 100), starting with a letter or digit.</>}
          error={err('name')}
        >
          {(control) => (
            <Input
              {...control}
              autoFocus={mode === 'create'}
              autoComplete="off"
              spellCheck={false}
              className="font-mono"
              placeholder="nightly-load"
              {...register('name')}
            />
          )}
        </FormField>
        <FormField id={fid('description')} label="Description" error={err('description')}>
          {(control) => (
            <Textarea
              {...control}
              rows={2}
              className="min-h-16"
              placeholder="Optional: what it does, who to ask"
              {...register('description')}
            />
          )}
        </FormField>
      </CardBody>
    </Card>
  );
}
