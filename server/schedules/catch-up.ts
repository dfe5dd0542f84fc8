import { parseDuration } from '../../lib/schedules/cron';

/** SCHEDULE_CATCH_UP (`1h`, `30m`, `90s`, or seconds): how old a missed tick may be and still run. */
export function catchUpMs(): number {
  return parseDuration(process.env.SCHEDULE_CATCH_UP, 3_600_000);
}
