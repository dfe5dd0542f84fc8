'use client';

import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { FieldError, FieldHint, Input, Label } from '@/components/ui/input';
import type { JobFormKit } from './kit';

/** "How it runs": concurrency, timeout and attempts. */
export function HowCard({ kit }: { kit: JobFormKit }) {
  const { register, errors, fid, err, described } = kit;
  return (
    <Card>
      <CardHeader title="How it runs" />
      <CardBody className="grid gap-5 sm:grid-cols-2">
        <fieldset className="sm:col-span-2">
          <legend className="mb-1.5 text-sm font-medium text-fg">Concurrency</legend>
          <div className="flex flex-col gap-2 text-sm sm:flex-row sm:gap-6">
            <label className="flex items-start gap-2">
              <input
                type="radio"
                value="single"
                className="mt-1 accent-[var(--app-accent)]"
                {...register('concurrency')}
              />
              <span>
                <span className="font-medium">One at a time</span>
                <span className="block text-xs text-fg-muted">
                  A start while a run is queued or running is refused (409).
                </span>
              </span>
            </label>
            <label className="flex items-start gap-2">
              <input
                type="radio"
                value="parallel"
                className="mt-1 accent-[var(--app-accent)]"
                {...register('concurrency')}
              />
              <span>
                <span className="font-medium">In parallel</span>
                <span className="block text-xs text-fg-muted">Every start gets its own run.</span>
              </span>
            </label>
          </div>
        </fieldset>
        <div>
          <Label htmlFor={fid('timeoutSeconds')}>Timeout (seconds)</Label>
          <Input
            id={fid('timeoutSeconds')}
            type="number"
            inputMode="numeric"
            min={1}
            max={604800}
            aria-invalid={errors.timeoutSeconds ? true : undefined}
            aria-describedby={described('timeoutSeconds', true)}
            {...register('timeoutSeconds', { valueAsNumber: true })}
          />
          <FieldHint id={`${fid('timeoutSeconds')}-hint`}>
            A run still going after this is stopped and marked failed.
          </FieldHint>
          <FieldError id={`${fid('timeoutSeconds')}-error`}>{err('timeoutSeconds')}</FieldError>
        </div>
        <div>
          <Label htmlFor={fid('maxAttempts')}>Attempts</Label>
          <Input
            id={fid('maxAttempts')}
            type="number"
            inputMode="numeric"
            min={1}
            max={10}
            aria-invalid={errors.maxAttempts ? true : undefined}
            aria-describedby={described('maxAttempts', true)}
            {...register('maxAttempts', { valueAsNumber: true })}
          />
          <FieldHint id={`${fid('maxAttempts')}-hint`}>
            How often a run is tried when its worker is lost (1 to 10).
          </FieldHint>
          <FieldError id={`${fid('maxAttempts')}-error`}>{err('maxAttempts')}</FieldError>
        </div>
      </CardBody>
    </Card>
  );
}
