import { describe, expect, it } from 'vitest';
import { cronOf, cronProblem, decideTick, describeCron, isTimeZone, nextTimes, parseDuration } from './cron';

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

describe('cron expressions', () => {
  it('accepts five fields and the @ forms, refuses seconds and nonsense', () => {
    expect(cronProblem('* * * * *')).toBeNull();
    expect(cronProblem('30 2 * * 1-5')).toBeNull();
    expect(cronProblem('@daily')).toBeNull();
    expect(cronProblem('@hourly')).toBeNull();
    expect(cronProblem('* * * * * *')).toMatch(/five fields/);
    expect(cronProblem('61 * * * *')).not.toBeNull();
    expect(cronProblem('@sometimes')).toMatch(/@hourly/);
    expect(cronProblem('0 0 30 2 *')).not.toBeNull(); // 30 February never comes
  });

  it('reads as people say it, with the time zone', () => {
    expect(describeCron('30 2 * * *', 'Europe/Berlin')).toBe('At 02:30 AM, every day, Europe/Berlin');
    expect(describeCron('* * * * *', 'UTC')).toBe('Every minute, UTC');
  });

  it('knows time zones', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it('gives the next times in the schedule’s time zone', () => {
    const times = nextTimes('30 2 * * *', 'Europe/Berlin', 2, at('2026-12-03T12:00:00Z'));
    expect(times.map((t) => t.toISOString())).toEqual([
      '2026-12-04T01:30:00.000Z',
      '2026-12-05T01:30:00.000Z',
    ]);
  });

  it('behaves as cron across daylight saving: a skipped 02:30 runs after the gap, a repeated one once', () => {
    // Europe/Berlin: 2027-03-28 02:00 -> 03:00, 2027-10-31 03:00 -> 02:00.
    const spring = nextTimes('30 2 * * *', 'Europe/Berlin', 2, at('2027-03-27T12:00:00Z'));
    expect(spring.map((t) => t.toISOString())).toEqual([
      '2027-03-28T01:00:00.000Z',
      '2027-03-29T00:30:00.000Z',
    ]);
    const autumn = nextTimes('30 2 * * *', 'Europe/Berlin', 2, at('2027-10-30T12:00:00Z'));
    expect(autumn.map((t) => t.toISOString())).toEqual([
      '2027-10-31T00:30:00.000Z',
      '2027-11-01T01:30:00.000Z',
    ]);
  });
});

describe('which tick runs', () => {
  const minutely = cronOf('* * * * *', 'UTC');

  it('runs the tick that is due', () => {
    const d = decideTick(minutely, at('2026-12-03T10:00:00Z'), at('2026-12-03T10:00:03Z'), HOUR);
    expect(d).toEqual({ run: at('2026-12-03T10:00:00Z'), skipped: null, skipReason: null });
  });

  it('after a stop inside the window, runs the latest missed tick once and says the others were skipped', () => {
    const d = decideTick(minutely, at('2026-12-03T10:00:00Z'), at('2026-12-03T10:20:30Z'), HOUR);
    expect(d.run).toEqual(at('2026-12-03T10:20:00Z'));
    expect(d.skipped).toEqual(at('2026-12-03T10:19:00Z'));
  });

  it('after a stop longer than the window, runs nothing and records the skip', () => {
    const daily = cronOf('0 3 * * *', 'UTC');
    const d = decideTick(daily, at('2026-12-03T03:00:00Z'), at('2026-12-03T05:00:00Z'), HOUR);
    expect(d.run).toBeNull();
    expect(d.skipped).toEqual(at('2026-12-03T03:00:00Z'));
    expect(d.skipReason).toMatch(/catch-up window/);
  });
});

describe('SCHEDULE_CATCH_UP', () => {
  it('reads 1h, 30m, 90s and plain seconds', () => {
    expect(parseDuration(undefined, 5)).toBe(5);
    expect(parseDuration('1h', 0)).toBe(HOUR);
    expect(parseDuration('30m', 0)).toBe(30 * 60_000);
    expect(parseDuration('90', 0)).toBe(90_000);
    expect(() => parseDuration('soon', 0)).toThrow(/not a duration/);
  });
});
