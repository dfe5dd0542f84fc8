import { Cron } from 'croner';
import cronstrue from 'cronstrue';

// Cron as the schedules use it, shared by the form (readings, next times) and the worker (ticks).
// Five fields or @hourly/@daily/@weekly/@monthly/@yearly; "no-wildcard" makes daylight-saving changes
// behave as Vixie cron: a fixed time in a skipped hour runs after the gap, in a repeated hour once.

export const CRON_ALIASES = ['@hourly', '@daily', '@weekly', '@monthly', '@yearly', '@annually'] as const;

export function cronOf(expression: string, timezone: string): Cron {
  if (!isTimeZone(timezone)) throw new Error(`unknown time zone "${timezone}"`);
  return new Cron(expression.trim(), {
    timezone,
    mode: '5-part',
    fixedTimeRule: 'no-wildcard',
    paused: true,
  });
}

export function isTimeZone(name: string): boolean {
  if (!name || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Why an expression is refused, or null when it is a valid five-field (or @alias) expression. */
export function cronProblem(expression: string): string | null {
  const text = expression.trim();
  if (text.startsWith('@'))
    return (CRON_ALIASES as readonly string[]).includes(text)
      ? null
      : `Use one of ${CRON_ALIASES.join(', ')}`;
  if (text.split(/\s+/).length !== 5) return 'Give five fields: minute hour day-of-month month day-of-week';
  try {
    const next = cronOf(text, 'UTC').nextRun();
    return next ? null : 'This expression never matches a time';
  } catch (error) {
    return (error as Error).message.replace(/^CronPattern: /, '');
  }
}

/** The first `count` ticks after `from`. */
export function nextTimes(expression: string, timezone: string, count = 5, from = new Date()): Date[] {
  return cronOf(expression, timezone).nextRuns(count, from);
}

/** "At 02:30 AM, every day, Europe/Berlin". */
export function describeCron(expression: string, timezone: string): string {
  const text = expression.trim();
  const reading = cronstrue.toString(text, { verbose: false });
  const fields = text.startsWith('@') ? null : text.split(/\s+/);
  const daily =
    text === '@daily' ||
    (fields !== null &&
      fields[2] === '*' &&
      fields[3] === '*' &&
      fields[4] === '*' &&
      !/[*/,-]/.test(fields[1]));
  return `${reading}${daily ? ', every day' : ''}, ${timezone}`;
}

export interface TickDecision {
  /** The tick to run now (the latest one due inside the catch-up window), or null. */
  run: Date | null;
  /** The latest tick skipped, when due ticks were left out (too old, or folded into the one that runs). */
  skipped: Date | null;
  skipReason: string | null;
}

/**
 * Which tick of a schedule due at `nextRunAt` runs at `now`: the latest due one, once, when it is younger
 * than `catchUpMs`; ticks missed before it (everything was down) are skipped and said so.
 */
export function decideTick(cron: Cron, nextRunAt: Date, now: Date, catchUpMs: number): TickDecision {
  const latest = cron.previousRuns(1, new Date(now.getTime() + 1))[0] ?? nextRunAt;
  const due = latest.getTime() < nextRunAt.getTime() ? nextRunAt : latest;
  if (now.getTime() - due.getTime() > catchUpMs) {
    return {
      run: null,
      skipped: due,
      skipReason: `missed while no worker was running; older than the catch-up window (${Math.round(catchUpMs / 1000)} s)`,
    };
  }
  if (due.getTime() > nextRunAt.getTime()) {
    const earlier = cron.previousRuns(1, due)[0] ?? nextRunAt;
    return {
      run: due,
      skipped: earlier,
      skipReason: 'missed while no worker was running; only the latest missed tick runs',
    };
  }
  return { run: due, skipped: null, skipReason: null };
}

/** SCHEDULE_CATCH_UP: `1h`, `30m`, `90s` or plain seconds; default one hour. */
export function parseDuration(raw: string | undefined, fallbackMs: number): number {
  if (raw === undefined || raw.trim() === '') return fallbackMs;
  const match = raw.trim().match(/^(\d+)\s*(s|m|h|d)?$/i);
  if (!match)
    throw new Error(`"${raw}" is not a duration: use seconds, or a number with s, m, h or d (1h, 30m)`);
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[(match[2] ?? 's').toLowerCase() as 's'];
  return Number(match[1]) * unit * 1000;
}
