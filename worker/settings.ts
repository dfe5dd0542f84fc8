import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

// The worker's settings for command runs and fair share, parsed from the environment in one place.

const MIB = 1024 * 1024;
const count = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const onOff = z.enum(['on', 'off']).default('on');

const schema = z.object({
  COMMAND_SANDBOX: z.enum(['auto', 'bubblewrap', 'none']).default('auto'),
  COMMAND_BWRAP_PATH: z.string().optional(),
  COMMAND_NETWORK: onOff,
  COMMAND_MEMORY_MB: count(512).pipe(z.number().min(64)),
  COMMAND_MAX_PROCESSES: count(256).pipe(z.number().min(1)),
  COMMAND_CPU_SECONDS: count(0),
  COMMAND_MAX_OUTPUT_BYTES: count(10 * MIB).pipe(z.number().min(1)),
  COMMAND_MAX_TIMEOUT_SECONDS: count(86_400),
  COMMAND_UID: count(65_534),
  ORG_MAX_CONCURRENT_RUNS: count(0),
});

export interface WorkerSettings {
  /** auto: bubblewrap when installed, else the other protections; bubblewrap: refuse runs without it. */
  sandbox: 'auto' | 'bubblewrap' | 'none';
  /** The bwrap program, or null when it is not installed or does not work. */
  bwrap: string | null;
  /** Why the installed bwrap could not start a sandbox (set by the worker's check at start). */
  bwrapError?: string;
  /** false: no command run gets the network, whatever its job says. */
  network: boolean;
  memoryMb: number;
  maxProcesses: number;
  /** 0: the run's timeout. */
  cpuSeconds: number;
  maxOutputBytes: number;
  /** A command job's timeout is capped at this (0: no cap). */
  maxTimeoutSeconds: number;
  /** The uid (and gid) command runs get when the worker runs as root. */
  uid: number;
  /** The operator's quota of running runs per organisation across all workers (0, the default: none). */
  orgMaxConcurrentRuns: number;
}

/** Reads the settings; throws one error naming every variable that is wrong. */
export function loadWorkerSettings(env: Record<string, string | undefined> = process.env): WorkerSettings {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(set);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid worker settings: ${problems}`);
  }
  const s = parsed.data;
  return {
    sandbox: s.COMMAND_SANDBOX,
    bwrap: findProgram(s.COMMAND_BWRAP_PATH ?? 'bwrap', env.PATH),
    network: s.COMMAND_NETWORK === 'on',
    memoryMb: s.COMMAND_MEMORY_MB,
    maxProcesses: s.COMMAND_MAX_PROCESSES,
    cpuSeconds: s.COMMAND_CPU_SECONDS,
    maxOutputBytes: s.COMMAND_MAX_OUTPUT_BYTES,
    maxTimeoutSeconds: s.COMMAND_MAX_TIMEOUT_SECONDS,
    uid: s.COMMAND_UID,
    orgMaxConcurrentRuns: s.ORG_MAX_CONCURRENT_RUNS,
  };
}

/** A command job's timeout once the operator's cap applies (0: none). */
export function commandTimeoutSeconds(
  jobTimeout: number,
  settings: Pick<WorkerSettings, 'maxTimeoutSeconds'>,
): number {
  const cap = settings.maxTimeoutSeconds;
  if (jobTimeout > 0 && cap > 0) return Math.min(jobTimeout, cap);
  return jobTimeout > 0 ? jobTimeout : cap;
}

/** The absolute path of an executable: `name` itself when it has a slash, else looked up on `PATH`. */
export function findProgram(name: string, searchPath = process.env.PATH ?? ''): string | null {
  const candidates = name.includes('/')
    ? [name]
    : searchPath
        .split(':')
        .filter(Boolean)
        .map((dir) => path.join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return path.resolve(candidate);
    } catch {
      // not here
    }
  }
  return null;
}
