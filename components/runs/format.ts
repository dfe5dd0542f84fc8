/** Run times as people read them in a console shared across time zones: `2026-11-30 14:02:05 UTC`. */
export function formatTime(value: Date | string | null | undefined): string {
  if (!value) return '—';
  const d = typeof value === 'string' ? new Date(value) : value;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Only the clock part, for a timeline within one day: `14:02:05`. */
export function formatClock(value: Date | string | null | undefined): string {
  if (!value) return '—';
  const d = typeof value === 'string' ? new Date(value) : value;
  return d.toISOString().slice(11, 19);
}

/** A duration: `420 ms`, `4.2 s`, `42 s`, `3 min 05 s`, `2 h 04 min`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const value = Math.max(0, ms);
  if (value < 1000) return `${Math.round(value)} ms`;
  if (value < 10_000) return `${(Math.floor(value / 100) / 10).toFixed(1)} s`;
  const s = Math.floor(value / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

const ms = (value: Date | string | null | undefined) =>
  value ? (typeof value === 'string' ? Date.parse(value) : value.getTime()) : null;

/** How long a run ran (started → finished, or → now while it runs); null when it never started. */
export function runDuration(
  run: { startedAt: Date | string | null; finishedAt: Date | string | null },
  now: number,
): number | null {
  const started = ms(run.startedAt);
  if (started === null) return null;
  return (ms(run.finishedAt) ?? now) - started;
}

/** "3 minutes ago", "just now". */
export function relativeTime(value: Date | string | null | undefined, now = Date.now()): string {
  const t = ms(value);
  if (t === null) return '';
  const diff = t - now;
  const abs = Math.abs(diff);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 365 * 86_400_000],
    ['month', 30 * 86_400_000],
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 10_000],
  ];
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (abs >= size)
      return unit === 'second'
        ? rtf.format(Math.round(diff / 1000), 'second')
        : rtf.format(Math.round(diff / size), unit);
  }
  return diff <= 0 ? 'just now' : 'in a moment';
}

export const shortId = (id: string) => id.slice(0, 8);

export const TRIGGER_LABELS: Record<string, string> = {
  api: 'API',
  console: 'Console',
  cli: 'CLI',
  schedule: 'Schedule',
  pipeline: 'Pipeline',
};

/** The current time in ms, for server components that show relative times. */
export function currentTime(): number {
  return Date.now();
}
