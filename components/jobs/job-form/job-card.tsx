'use client';

import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { FieldError, FieldHint, Input, Label, Textarea } from '@/components/ui/input';
import type { JobFormKit } from './kit';

/** The job's name and description. */
export function JobCard({ kit, mode }: { kit: JobFormKit; mode: 'create' | 'edit' }) {
  const { register, errors, fid, err, described } = kit;
  return (
    <Card>
      <CardHeader
        title="Job"
        description="Its name is how the API and the CLI refer to it (besides its id): unique in this organisation."
      />
      <CardBody className="grid gap-5">
        <div>
          <Label htmlFor={fid('name')}>Name</Label>
          <Input
            id={fid('name')}
            autoFocus={mode === 'create'}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            placeholder="nightly-load"
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={described('name', true)}
            {...register('name')}
          />
          <FieldHint id={`${fid('name')}-hint`}>
            Letters, digits and . _ - (up to 100), starting with a letter or digit.
          </FieldHint>
          <FieldError id={`${fid('name')}-error`}>{err('name')}</FieldError>
        </div>
        <div>
          <Label htmlFor={fid('description')}>Description</Label>
          <Textarea
            id={fid('description')}
            rows={2}
            className="min-h-16"
            placeholder="Optional: what it does, who to ask"
            aria-invalid={errors.description ? true : undefined}
            aria-describedby={described('description')}
            {...register('description')}
          />
          <FieldError id={`${fid('description')}-error`}>{err('description')}</FieldError>
        </div>
      </CardBody>
    </Card>
  );
}
