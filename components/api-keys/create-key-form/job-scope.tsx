'use client';

import { Controller } from 'react-hook-form';
import { FieldError } from '@/components/ui/input';
import type { KeyFormKit } from './kit';

/** All jobs, or the ones ticked in a list. */
export function JobScope({
  kit,
  chosen,
  jobs,
}: {
  kit: KeyFormKit;
  chosen: boolean;
  jobs: { id: string; name: string }[];
}) {
  const { register, control, errors, fieldId } = kit;
  return (
    <fieldset className="sm:col-span-2" aria-describedby={`${fieldId('jobIds')}-error`}>
      <legend className="mb-1.5 text-sm font-medium text-fg">Jobs</legend>
      <div className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
        <label className="flex items-center gap-2">
          <input type="radio" value="all" className="accent-[var(--app-accent)]" {...register('jobScope')} />
          All jobs of the organisation
        </label>
        <label className="flex items-center gap-2">
          <input
            type="radio"
            value="chosen"
            className="accent-[var(--app-accent)]"
            {...register('jobScope')}
          />
          Only the jobs I choose
        </label>
      </div>
      {chosen ? (
        <Controller
          control={control}
          name="jobIds"
          render={({ field }) => (
            <ul className="mt-3 grid max-h-56 gap-1 overflow-y-auto rounded-md border border-border p-2 sm:grid-cols-2">
              {jobs.length === 0 ? (
                <li className="px-2 py-1 text-sm text-fg-muted">This organisation has no jobs yet.</li>
              ) : null}
              {jobs.map((job) => {
                const checked = (field.value ?? []).includes(job.id);
                return (
                  <li key={job.id}>
                    <label className="flex items-center gap-2 rounded px-2 py-1 text-sm hover:bg-surface-muted">
                      <input
                        type="checkbox"
                        className="accent-[var(--app-accent)]"
                        checked={checked}
                        onBlur={field.onBlur}
                        onChange={() =>
                          field.onChange(
                            checked
                              ? (field.value ?? []).filter((id) => id !== job.id)
                              : [...(field.value ?? []), job.id],
                          )
                        }
                      />
                      <span className="font-mono text-xs">{job.name}</span>
                    </label>
                  </li>
                );
              })}
            </ul>
          )}
        />
      ) : null}
      <FieldError id={`${fieldId('jobIds')}-error`}>
        {errors.jobIds?.message ?? errors.jobIds?.root?.message}
      </FieldError>
    </fieldset>
  );
}
