'use client';

import { cn } from '@/components/ui/cn';
import type { JobFormKit } from './kit';

const TYPES = [
  [
    'command',
    'Command',
    'Runs an executable with arguments. Params arrive as JOB_PARAMS (environment and stdin); stdout and stderr become the log.',
  ],
  [
    'http',
    'HTTP request',
    'Sends {"runId","jobId","params"} as JSON. A 2xx answer is success; the response goes to the log.',
  ],
] as const;

/** Command or HTTP, as two radio cards. */
export function TypePicker({ kit, type }: { kit: JobFormKit; type: 'command' | 'http' }) {
  const { register } = kit;
  return (
    <fieldset>
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
