'use client';

import { cn } from '@/components/ui/cn';
import type { KeyFormKit } from './kit';

const TYPES = [
  ['functional', 'Functional', 'For a program or pipeline. The owner and admins can see the token.'],
  ['personal', 'Personal', 'For you alone. Only you can ever see the token.'],
] as const;

/** Functional or personal, as two radio cards. */
export function KeyTypePicker({ kit, type }: { kit: KeyFormKit; type: string | undefined }) {
  const { register } = kit;
  return (
    <fieldset className="sm:col-span-2">
      <legend className="mb-1.5 text-sm font-medium text-fg">Type</legend>
      <div className="grid gap-3 sm:grid-cols-2">
        {TYPES.map(([value, label, hint]) => (
          <label
            key={value}
            className={cn(
              'flex cursor-pointer gap-3 rounded-md border px-3 py-2.5 text-sm',
              type === value ? 'border-accent bg-accent-soft' : 'border-border-strong hover:bg-surface-muted',
            )}
          >
            <input
              type="radio"
              value={value}
              className="mt-0.5 accent-[var(--app-accent)]"
              {...register('type')}
            />
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
