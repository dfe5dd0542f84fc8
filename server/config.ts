import path from 'node:path';

/** Where the embedded database, the generated signing secret and run folders live. */
export function dataDir(): string {
  return path.resolve(process.env.DATA_DIR ?? '.data');
}

export function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/** SCHEDULE_MIN_INTERVAL_SECONDS: the shortest time between two ticks of one schedule (default 5 minutes). */
export function scheduleMinIntervalSeconds(): number {
  return intFromEnv('SCHEDULE_MIN_INTERVAL_SECONDS', 300);
}

/** SCHEDULE_MAX_QUEUED_RUNS: a job with this many queued runs skips its scheduled starts (0 = no cap). */
export function scheduleMaxQueuedRuns(): number {
  return intFromEnv('SCHEDULE_MAX_QUEUED_RUNS', 10);
}
