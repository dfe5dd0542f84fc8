/** A time as people read it in a console shared across time zones: `2026-11-30 14:02 UTC`. */
export function formatTime(value: Date | string | null | undefined): string {
  if (!value) return '—';
  const d = typeof value === 'string' ? new Date(value) : value;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "3 minutes ago", "in 12 days": for last used and expiry. */
export function relativeTime(value: Date | null | undefined, now = Date.now()): string {
  if (!value) return '';
  const diff = value.getTime() - now;
  const abs = Math.abs(diff);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 365 * 86_400_000],
    ['month', 30 * 86_400_000],
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
  ];
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, ms] of units) if (abs >= ms) return rtf.format(Math.round(diff / ms), unit);
  return diff < 0 ? 'just now' : 'in a moment';
}

/**
 * What tells one key from another without its secret: the key's short id and the token's last four
 * characters (every token starts alike, `eyJhbGci…`, so a prefix says nothing).
 */
export function keyHint(id: string, masked: string): string {
  return `${id.slice(0, 8)}…${masked.slice(-4)}`;
}
