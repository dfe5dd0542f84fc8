import { namedSql } from '../db/named-sql';

/**
 * The queue entry of one tick. graphile-worker's job_key makes it one entry per schedule and tick however
 * many workers add it at once; 'unsafe_dedupe' leaves an existing entry as it is (no replacing, no delay).
 */
export const ENQUEUE_TICK = namedSql<{
  scheduleId: string;
  tick: string;
  skipped: string | null;
  skipReason: string | null;
  jobKey: string;
}>(`select id::text from graphile_worker.add_job('schedule-run',
  json_build_object('scheduleId', :scheduleId::text, 'tick', :tick::text, 'skipped', :skipped::text, 'skipReason', :skipReason::text),
  max_attempts => 5, job_key => :jobKey, job_key_mode => 'unsafe_dedupe')`);
