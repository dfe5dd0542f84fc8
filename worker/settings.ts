import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

// The worker's settings for command runs and fair share, parsed from the environment in one place.

const MIB = 1024 * 1024;
const count = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const onOff = z.enum(['on', 'off']);
/** `first-last`, inclusive, above the system's own uids. */
const uidRange = z
  .string()
  .regex(/^\d+-\d+$/, 'a range like 100000-165535')
  .transform((text) => text.split('-').map(Number) as [number, number])
  .refine(([first, last]) => first >= 1000 && last >= first && last < 2 ** 31, 'first >= 1000, last >= first')
  .default([100_000, 165_535]);

const schema = z.object({
  COMMAND_SANDBOX: z.enum(['auto', 'bubblewrap', 'none']).default('auto'),
  COMMAND_BWRAP_PATH: z.string().optional(),
  COMMAND_NETWORK: onOff.default('off'),
  COMMAND_MEMORY_MB: count(512).pipe(z.number().min(64)),
  COMMAND_MAX_PROCESSES: count(256).pipe(z.number().min(1)),
  COMMAND_CPU_SECONDS: count(0),
  COMMAND_MAX_OUTPUT_BYTES: count(10 * MIB).pipe(z.number().min(1)),
  COMMAND_MAX_TIMEOUT_SECONDS: count(86_400),
  COMMAND_UID_RANGE: uidRange,
  COMMAND_CPUS: z.coerce.number().min(0).default(1),
  COMMAND_CGROUP_ROOT: z
    .string()
    .regex(/^\/[\w./-]*$/, 'a path like /etl-runs')
    .optional(),
  ORG_MAX_CONCURRENT_RUNS: count(0),
});

export interface WorkerSettings {
  /** auto and bubblewrap: runs under bubblewrap, refused where it cannot isolate them; none: the operator's choice. */
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
  /** The uids (and gids) runs get, one each, when the worker runs as root. */
  uidRange: [number, number];
  /** CPUs' worth of time a run may use (cgroup CPU quota; 0: no quota). */
  cpus: number;
  /** The folder of the runs' cgroups inside each hierarchy (default: the worker's own + /etl-runs). */
  cgroupRoot?: string;
  /** Where cgroups are mounted (tests point it elsewhere). */
  cgroupFs: string;
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
    uidRange: s.COMMAND_UID_RANGE,
    cpus: s.COMMAND_CPUS,
    cgroupRoot: s.COMMAND_CGROUP_ROOT,
    cgroupFs: '/sys/fs/cgroup',
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
