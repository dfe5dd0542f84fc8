import { cronProblem, describeCron, isTimeZone, nextTimes } from '@/lib/schedules/cron';

/** A time in the schedule's own zone, with UTC beside it: `Fri 4 Dec, 02:30 (01:30 UTC)`. */
function formatIn(date: Date, timezone: string): string {
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  return timezone === 'UTC' ? `${local} UTC` : `${local} (${date.toISOString().slice(11, 16)} UTC)`;
}

/** The reading of a cron expression and its next five times, or nothing while it is not valid. */
export function SchedulePreview({ cron, timezone, id }: { cron: string; timezone: string; id?: string }) {
  if (!cron.trim() || cronProblem(cron) || !isTimeZone(timezone)) return null;
  const times = nextTimes(cron, timezone, 5);
  return (
    <div id={id} className="rounded-md bg-surface-muted px-3 py-2 text-sm">
      <p className="font-medium text-fg" data-testid="schedule-reading">
        {describeCron(cron, timezone)}
      </p>
      <p className="mt-1 text-xs text-fg-muted">Next times:</p>
      <ol aria-label="Next times" className="mt-0.5 list-inside list-decimal font-mono text-xs text-fg-muted">
        {times.map((t) => (
          <li key={t.toISOString()}>
            <time dateTime={t.toISOString()}>{formatIn(t, timezone)}</time>
          </li>
        ))}
      </ol>
    </div>
  );
}
