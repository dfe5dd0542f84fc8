'use client';

import type { ReactNode } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import { FieldError } from './input';

/** Several of a list (events, jobs) as checkboxes in a fieldset, registered as one array field. */
export function CheckboxGroup({
  legend,
  options,
  field,
  error,
}: {
  legend: ReactNode;
  options: readonly { value: string; label: ReactNode }[];
  /** register(name) of the form. */
  field: UseFormRegisterReturn;
  /** The group's error line; left out, the group has none. */
  error?: ReactNode;
}) {
  return (
    <fieldset>
      <legend className="mb-1.5 text-sm font-medium text-fg">{legend}</legend>
      <div className="flex flex-wrap gap-x-5 gap-y-2 text-sm">
        {options.map((option) => (
          <label key={option.value} className="flex items-center gap-2 font-mono">
            <input type="checkbox" value={option.value} className="accent-[var(--app-accent)]" {...field} />
            {option.label}
          </label>
        ))}
      </div>
      {error !== undefined ? <FieldError>{error}</FieldError> : null}
    </fieldset>
  );
}
