import type { RunSnapshot } from '@/lib/validations/run';
import { cn } from '@/components/ui/cn';
import { formatClock, formatTime } from '../format';
import { timelineSteps, type TimelineStep } from './run-facts';

function Step({ done, current, tone, title, time, note }: TimelineStep) {
  return (
    <li className="relative flex gap-3 pb-5 last:pb-0">
      <span
        aria-hidden="true"
        className={cn(
          'relative z-10 mt-1 size-3 shrink-0 rounded-full ring-4 ring-surface',
          done
            ? tone === 'danger'
              ? 'bg-red-600 dark:bg-red-400'
              : tone === 'neutral'
                ? 'bg-slate-500 dark:bg-slate-400'
                : tone === 'success'
                  ? 'bg-emerald-600 dark:bg-emerald-400'
                  : 'bg-accent'
            : current
              ? 'bg-blue-600 motion-safe:animate-pulse dark:bg-blue-400'
              : 'border-2 border-border-strong bg-surface',
        )}
      />
      <div className="min-w-0">
        <p className={cn('text-sm font-medium', done || current ? 'text-fg' : 'text-fg-muted')}>
          {title}
          <span className="sr-only">{done ? ' (done)' : current ? ' (in progress)' : ' (not yet)'}</span>
        </p>
        {time ? (
          <p className="text-xs text-fg-muted">
            <time dateTime={time} title={formatTime(time)}>
              {formatClock(time)} UTC
            </time>
            {note ? <span> · {note}</span> : null}
          </p>
        ) : note ? (
          <p className="text-xs text-fg-muted">{note}</p>
        ) : null}
      </div>
    </li>
  );
}

/** Queued, started, finished, with their times. */
export function Timeline({ run, now }: { run: RunSnapshot; now: number }) {
  return (
    <ol
      aria-label="Timeline"
      className="relative before:absolute before:top-2 before:bottom-2 before:left-[5px] before:w-0.5 before:bg-border"
    >
      {timelineSteps(run, now).map((step, index) => (
        <Step key={index} {...step} />
      ))}
    </ol>
  );
}
