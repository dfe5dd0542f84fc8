'use client';

import { Alert } from '@/components/ui/alert';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { FormField } from '@/components/ui/form-field';
import { FieldError, Input, Label, Select } from '@/components/ui/input';
import { JobScope } from './job-scope';
import type { KeyFormKit } from './kit';

/** When the key expires and which jobs it may start. */
export function AccessCard({
  kit,
  expires,
  jobScope,
  jobs,
  now,
}: {
  kit: KeyFormKit;
  expires: string | undefined;
  jobScope: string | undefined;
  jobs: { id: string; name: string }[];
  now: number;
}) {
  const { register, errors, fieldId, describedBy } = kit;
  return (
    <Card>
      <CardHeader title="Access" description="When the key stops working and which jobs it may start." />
      <CardBody className="grid gap-5 sm:grid-cols-2">
        <div>
          <Label htmlFor={fieldId('expires')}>Expires</Label>
          <Select id={fieldId('expires')} aria-describedby={describedBy('expires')} {...register('expires')}>
            <option value="never">Never</option>
            <option value="30d">In 30 days</option>
            <option value="90d">In 90 days</option>
            <option value="1y">In 1 year</option>
            <option value="date">On a date…</option>
          </Select>
          <FieldError id={`${fieldId('expires')}-error`}>{errors.expires?.message}</FieldError>
          {expires === 'never' ? (
            <Alert tone="warning" className="mt-2">
              A key that never expires keeps working until someone revokes it, also if it leaks. Prefer an
              expiry: you can roll the key before it ends.
            </Alert>
          ) : null}
        </div>
        {expires === 'date' ? (
          <FormField
            id={fieldId('expiresAt')}
            label="Expiry date"
            hint={<>At 00:00 UTC that day.</>}
            error={errors.expiresAt?.message}
          >
            {(control) => (
              <Input
                {...control}
                type="date"
                min={new Date(now + 86_400_000).toISOString().slice(0, 10)}
                {...register('expiresAt')}
              />
            )}
          </FormField>
        ) : (
          <div aria-hidden="true" />
        )}
        <FormField
          id={fieldId('rateLimit')}
          label="Rate limit (requests a minute)"
          hint="Empty: the service’s default. 0: no limit."
          error={errors.rateLimit?.message}
        >
          {(control) => (
            <Input
              {...control}
              type="number"
              inputMode="numeric"
              min={0}
              step={1}
              placeholder="Default"
              {...register('rateLimit', {
                setValueAs: (v: unknown) => (v === '' || v === null || v === undefined ? null : Number(v)),
              })}
            />
          )}
        </FormField>
        <div aria-hidden="true" className="hidden sm:block" />
        <JobScope kit={kit} chosen={jobScope === 'chosen'} jobs={jobs} />
      </CardBody>
    </Card>
  );
}
