'use client';

import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import type { JobFormKit } from './kit';

/** "How it runs": concurrency, timeout and attempts. */
export function HowCard({ kit }: { kit: JobFormKit }) {
  const { register, fid, err } = kit;
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
        <FormField
          id={fid('timeoutSeconds')}
          label="Timeout (seconds)"
          hint={<>A run still going after this is stopped and marked failed.</>}
          error={err('timeoutSeconds')}
        >
          {(control) => (
            <Input
              {...control}
              type="number"
              inputMode="numeric"
              min={1}
              max={604800}
              {...register('timeoutSeconds', { valueAsNumber: true })}
            />
          )}
        </FormField>
        <FormField
          id={fid('maxAttempts')}
          label="Attempts"
          hint={<>How often a run is tried when its worker is lost (1 to 10).</>}
          error={err('maxAttempts')}
        >
          {(control) => (
            <Input
              {...control}
              type="number"
              inputMode="numeric"
              min={1}
              max={10}
              {...register('maxAttempts', { valueAsNumber: true })}
            />
          )}
        </FormField>
      </CardBody>
    </Card>
  );
}
