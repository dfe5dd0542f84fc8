import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

// A cgroup of its own per run: memory (its tmpfs included), processes and CPU for the run as a whole,
// and a way to kill everything it started. cgroup v1 (one hierarchy per controller, as on these
// machines) or v2 (one hierarchy). The run's cgroups live under `<the worker's own cgroup>/etl-runs`
// (or COMMAND_CGROUP_ROOT), so they count against whatever limits the worker itself runs under.

const CONTROLLERS = ['memory', 'pids', 'cpu'] as const;
const CPU_PERIOD_US = 100_000;

export interface CgroupLimits {
  memoryBytes: number;
  processes: number;
  /** CPUs' worth of time per period (0: no quota). */
  cpus: number;
}

export interface CgroupBase {
  version: 1 | 2;
  /** The folders that hold the runs' cgroups: one per controller (v1), or one (v2). */
  dirs: string[];
}

export interface RunCgroup {
  version: 1 | 2;
  dirs: string[];
  /** The cgroup.procs files a process is written to, to put it in the run's cgroups. */
  procs: string[];
}

/** The worker's own cgroup path in each hierarchy, from /proc/self/cgroup (`id:controllers:/path`). */
function ownCgroups(): Map<string, string> {
  const own = new Map<string, string>();
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n')) {
    const [, controllers, where] = line.split(/:(.*?):/);
    if (controllers === undefined) continue;
    for (const name of controllers ? controllers.split(',') : ['']) own.set(name, where);
  }
  return own;
}

const write = (file: string, value: string) => writeFileSync(file, value);

/**
 * Finds (and makes) the folder of the runs' cgroups; throws one sentence saying what is missing.
 * `fs` is where cgroups are mounted; `root` the runs' folder inside each hierarchy (default: the
 * worker's own cgroup + /etl-runs).
 */
export function cgroupBase(fs: string, root?: string): CgroupBase {
  const own = ownCgroups();
  const unified = existsSync(path.join(fs, 'cgroup.controllers'));
  if (unified) {
    const base = path.join(fs, root ?? path.join(own.get('') ?? '/', 'etl-runs'));
    const parent = path.dirname(base);
    const available = readFileSync(path.join(parent, 'cgroup.controllers'), 'utf8').split(/\s+/);
    const missing = CONTROLLERS.filter((c) => !available.includes(c));
    if (missing.length) throw new Error(`the cgroup ${parent} lacks the ${missing.join(', ')} controller`);
    enableControllers(parent);
    mkdirSync(base, { recursive: true });
    enableControllers(base);
    return { version: 2, dirs: [base] };
  }
  const dirs = CONTROLLERS.map((controller) => {
    const mount = path.join(fs, controller);
    if (!existsSync(path.join(mount, 'cgroup.procs')))
      throw new Error(`no ${controller} cgroup controller is mounted at ${mount}`);
    const base = path.join(mount, root ?? path.join(own.get(controller) ?? '/', 'etl-runs'));
    mkdirSync(base, { recursive: true });
    return base;
  });
  return { version: 1, dirs };
}

/**
 * v2: a cgroup with processes in it cannot hand controllers to its children, so the worker's own
 * processes move to a leaf (`worker`) first; with systemd's Delegate=yes that is what is expected.
 */
function enableControllers(dir: string) {
  const enabled = readFileSync(path.join(dir, 'cgroup.subtree_control'), 'utf8').split(/\s+/);
  const wanted = CONTROLLERS.filter((c) => !enabled.includes(c));
  if (!wanted.length) return;
  const procs = readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').trim();
  if (procs && dir !== path.dirname(dir)) {
    const leaf = path.join(dir, 'worker');
    mkdirSync(leaf, { recursive: true });
    for (const pid of procs.split('\n')) {
      try {
        write(path.join(leaf, 'cgroup.procs'), pid);
      } catch {
        // gone meanwhile
      }
    }
  }
  write(path.join(dir, 'cgroup.subtree_control'), wanted.map((c) => `+${c}`).join(' '));
}

/** Makes the run's cgroup(s) with its limits; one left by a crashed earlier attempt is emptied first. */
export function createRunCgroup(base: CgroupBase, runId: string, limits: CgroupLimits): RunCgroup {
  const dirs = base.dirs.map((dir) => path.join(dir, runId));
  const cgroup: RunCgroup = {
    version: base.version,
    dirs,
    procs: dirs.map((d) => path.join(d, 'cgroup.procs')),
  };
  for (const dir of dirs) {
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      killAll(cgroup);
    }
  }
  const memory = String(limits.memoryBytes);
  if (base.version === 2) {
    const [dir] = dirs;
    write(path.join(dir, 'memory.max'), memory);
    tryWrite(path.join(dir, 'memory.swap.max'), '0');
    write(path.join(dir, 'pids.max'), String(limits.processes));
    if (limits.cpus > 0)
      write(path.join(dir, 'cpu.max'), `${Math.round(limits.cpus * CPU_PERIOD_US)} ${CPU_PERIOD_US}`);
  } else {
    const [memoryDir, pidsDir, cpuDir] = dirs;
    write(path.join(memoryDir, 'memory.limit_in_bytes'), memory);
    tryWrite(path.join(memoryDir, 'memory.memsw.limit_in_bytes'), memory); // no escape into swap
    write(path.join(pidsDir, 'pids.max'), String(limits.processes));
    if (limits.cpus > 0) {
      write(path.join(cpuDir, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
      write(path.join(cpuDir, 'cpu.cfs_quota_us'), String(Math.round(limits.cpus * CPU_PERIOD_US)));
    }
  }
  return cgroup;
}

function tryWrite(file: string, value: string) {
  try {
    write(file, value);
  } catch {
    // not on this kernel (no swap accounting)
  }
}

const pidsIn = (cgroup: RunCgroup) => [
  ...new Set(
    cgroup.procs.flatMap((file) => {
      try {
        return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
      } catch {
        return [];
      }
    }),
  ),
];

/** SIGKILLs every process of the run; true when none is left. */
function killAll(cgroup: RunCgroup): boolean {
  if (cgroup.version === 2 && existsSync(path.join(cgroup.dirs[0], 'cgroup.kill'))) {
    tryWrite(path.join(cgroup.dirs[0], 'cgroup.kill'), '1');
  }
  const pids = pidsIn(cgroup);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  return pids.length === 0;
}

/** Whether the kernel's OOM killer ended a process of the run (memory.oom_control / memory.events). */
export function oomKilled(cgroup: RunCgroup): boolean {
  const file =
    cgroup.version === 2
      ? path.join(cgroup.dirs[0], 'memory.events')
      : path.join(cgroup.dirs[0], 'memory.oom_control');
  try {
    return Number(/^oom_kill (\d+)/m.exec(readFileSync(file, 'utf8'))?.[1] ?? 0) > 0;
  } catch {
    return false;
  }
}

/** Kills whatever is left of the run, then removes its cgroups (waits for the kernel to reap them). */
export async function removeRunCgroup(cgroup: RunCgroup): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (killAll(cgroup)) {
      const left = cgroup.dirs.filter((dir) => {
        try {
          rmdirSync(dir);
          return false;
        } catch (error) {
          return (error as NodeJS.ErrnoException).code !== 'ENOENT';
        }
      });
      if (!left.length) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Removes the empty cgroups a killed worker left behind (its runs' processes died with their pid
 * namespaces). Only those older than a minute: another worker's run may have just made its own.
 */
export function sweepRunCgroups(base: CgroupBase, olderThanMs = 60_000): void {
  for (const dir of base.dirs) {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [e.name] : []));
    } catch {
      continue;
    }
    for (const name of entries) {
      try {
        if (Date.now() - statSync(path.join(dir, name)).mtimeMs > olderThanMs)
          rmdirSync(path.join(dir, name));
      } catch {
        // still in use (EBUSY), or gone
      }
    }
  }
}
