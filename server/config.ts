import path from 'node:path';
import { z } from 'zod';

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

const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * PUBLIC_URL, without a trailing slash: the address links are made of (invitations, the OpenAPI server,
 * snippets). Never the request's Host or X-Forwarded-Host, which a caller chooses. Required in
 * production (npm start sets it from its port when unset); elsewhere http://localhost:$PORT.
 */
export function publicUrl(): string {
  const raw = process.env.PUBLIC_URL?.trim();
  if (!raw) {
    if (process.env.NODE_ENV === 'production')
      throw new Error(
        'PUBLIC_URL is not set: set it to the address people and programs reach this server at (npm start sets it from its port), since links are never made from the Host header.',
      );
    return `http://localhost:${process.env.PORT ?? 3000}`;
  }
  if (!httpUrl.safeParse(raw).success)
    throw new Error(
      `PUBLIC_URL "${raw}" is not an http(s) URL: set it to an address such as https://etl.example.com.`,
    );
  return raw.replace(/\/+$/, '');
}
