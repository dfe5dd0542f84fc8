import Link from 'next/link';
import type { ReactNode } from 'react';
import { buttonClasses } from './button';
import { Label, Select } from './input';

/** A list's filters as a plain GET form (it works before scripts load), with Apply and, once filtered, Clear. */
export function FilterForm({
  label,
  clearHref,
  filtered,
  children,
}: {
  label: string;
  clearHref: string;
  filtered: boolean;
  children: ReactNode;
}) {
  return (
    <form method="get" role="search" aria-label={label} className="mb-4 flex flex-wrap items-end gap-3">
      {children}
      <button type="submit" className={buttonClasses({ variant: 'secondary' })}>
        Apply
      </button>
      {filtered ? (
        <Link href={clearHref} className={buttonClasses({ variant: 'ghost' })}>
          Clear
        </Link>
      ) : null}
    </form>
  );
}

/** One filter: a labelled select whose first choice is "any". */
export function FilterSelect({
  id,
  name,
  label,
  value,
  anyLabel,
  options,
  className = 'w-44',
}: {
  id: string;
  name: string;
  label: string;
  value: string;
  anyLabel: string;
  options: readonly (readonly [string, string])[];
  className?: string;
}) {
  return (
    <div className={className}>
      <Label htmlFor={id}>{label}</Label>
      <Select id={id} name={name} defaultValue={value}>
        <option value="">{anyLabel}</option>
        {options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </Select>
    </div>
  );
}
