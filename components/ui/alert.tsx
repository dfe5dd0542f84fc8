import type { ComponentProps } from 'react';
import { cn } from './cn';

export type AlertTone = 'danger' | 'info' | 'success' | 'warning';

const tones: Record<AlertTone, string> = {
  danger: 'border-danger/40 bg-danger-soft text-fg',
  info: 'border-accent/30 bg-accent-soft text-fg',
  warning:
    'border-amber-600/40 bg-amber-50 text-amber-950 dark:border-amber-400/30 dark:bg-amber-400/10 dark:text-amber-100',
  success:
    'border-emerald-600/30 bg-emerald-50 text-emerald-950 dark:border-emerald-400/30 dark:bg-emerald-400/10 dark:text-emerald-100',
};

/** A message box. Danger alerts are announced (role="alert"); the others are polite status messages. */
export function Alert({ tone = 'info', className, ...props }: ComponentProps<'div'> & { tone?: AlertTone }) {
  return (
    <div
      role={tone === 'danger' ? 'alert' : 'status'}
      className={cn('rounded-md border px-3.5 py-2.5 text-sm', tones[tone], className)}
      {...props}
    />
  );
}
