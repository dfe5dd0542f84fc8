import type { ComponentProps } from 'react';
import type { RunStatusName } from '@/lib/validations/run';
import { cn } from './cn';

export type BadgeTone = 'neutral' | 'info' | 'progress' | 'success' | 'warning' | 'danger';

const tones: Record<BadgeTone, { badge: string; dot: string }> = {
  neutral: {
    badge:
      'bg-slate-100 text-slate-700 ring-slate-500/25 dark:bg-slate-400/10 dark:text-slate-300 dark:ring-slate-400/25',
    dot: 'bg-slate-500 dark:bg-slate-400',
  },
  info: {
    badge: 'bg-sky-50 text-sky-800 ring-sky-600/25 dark:bg-sky-400/10 dark:text-sky-300 dark:ring-sky-400/30',
    dot: 'bg-sky-500 dark:bg-sky-400',
  },
  progress: {
    badge:
      'bg-blue-50 text-blue-800 ring-blue-600/25 dark:bg-blue-400/10 dark:text-blue-300 dark:ring-blue-400/30',
    dot: 'bg-blue-600 motion-safe:animate-pulse dark:bg-blue-400',
  },
  success: {
    badge:
      'bg-emerald-50 text-emerald-800 ring-emerald-600/25 dark:bg-emerald-400/10 dark:text-emerald-300 dark:ring-emerald-400/30',
    dot: 'bg-emerald-600 dark:bg-emerald-400',
  },
  warning: {
    badge:
      'bg-amber-50 text-amber-900 ring-amber-600/30 dark:bg-amber-400/10 dark:text-amber-300 dark:ring-amber-400/30',
    dot: 'bg-amber-500 dark:bg-amber-400',
  },
  danger: {
    badge: 'bg-red-50 text-red-800 ring-red-600/25 dark:bg-red-400/10 dark:text-red-300 dark:ring-red-400/30',
    dot: 'bg-red-600 dark:bg-red-400',
  },
};

export interface BadgeProps extends ComponentProps<'span'> {
  tone?: BadgeTone;
  /** A coloured dot before the text (status badges have one). */
  dot?: boolean;
}

export function Badge({ tone = 'neutral', dot = false, className, children, ...props }: BadgeProps) {
  return (
    <span
      className={cn(
        'inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset',
        tones[tone].badge,
        className,
      )}
      {...props}
    >
      {dot ? <span aria-hidden="true" className={cn('size-1.5 rounded-full', tones[tone].dot)} /> : null}
      {children}
    </span>
  );
}

/** Run statuses and how they read at a glance. */

const runTones: Record<RunStatusName, BadgeTone> = {
  queued: 'warning',
  running: 'progress',
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'neutral',
};

export const RUN_STATUS_LABELS: Record<RunStatusName, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function RunStatusBadge({ status, className }: { status: RunStatusName; className?: string }) {
  return (
    <Badge tone={runTones[status]} dot className={className} data-status={status}>
      {RUN_STATUS_LABELS[status]}
    </Badge>
  );
}
