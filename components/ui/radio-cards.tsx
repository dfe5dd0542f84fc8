'use client';

import type { UseFormRegisterReturn } from 'react-hook-form';
import { cn } from './cn';

/** A choice between a few kinds (a job's type, a key's type): radio buttons as cards with a line each. */
export function RadioCards({
  legend,
  options,
  selected,
  field,
  className,
}: {
  legend: string;
  /** [value, label, hint] of each card. */
  options: readonly (readonly [string, string, string])[];
  selected: string | undefined;
  /** register(name) of the form. */
  field: UseFormRegisterReturn;
  className?: string;
}) {
  return (
    <fieldset className={className}>
      <legend className="mb-1.5 text-sm font-medium text-fg">{legend}</legend>
      <div className="grid gap-3 sm:grid-cols-2">
        {options.map(([value, label, hint]) => (
          <label
            key={value}
            className={cn(
              'flex cursor-pointer gap-3 rounded-md border px-3 py-2.5 text-sm',
              selected === value
                ? 'border-accent bg-accent-soft'
                : 'border-border-strong hover:bg-surface-muted',
            )}
          >
            <input type="radio" value={value} className="mt-0.5 accent-[var(--app-accent)]" {...field} />
            <span>
              <span className="block font-medium text-fg">{label}</span>
              <span className="block text-xs text-fg-muted">{hint}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
