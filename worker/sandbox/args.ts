// The command lines that start a command run contained: pure functions, so each flag is unit-tested.

/** Where the run's work folder appears inside the sandbox (its cwd and HOME). */
export const SANDBOX_WORK_DIR = '/run/job';

export interface Limits {
  /** RLIMIT_DATA: heap and private writable memory per process (RLIMIT_AS would stop V8 from starting). */
  memoryBytes: number;
  /** RLIMIT_NPROC: processes and threads of the run's uid. */
  processes: number;
  /** RLIMIT_CPU in seconds (0: none); SIGXCPU at the limit, SIGKILL 5 s later. */
  cpuSeconds: number;
}

/** `prlimit` arguments that apply the limits to the program that follows them. */
export function prlimitArgs(limits: Limits): string[] {
  const args = [`--data=${limits.memoryBytes}`, `--nproc=${limits.processes}`, '--core=0'];
  if (limits.cpuSeconds > 0) args.push(`--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 5}`);
  return args;
}

export interface BwrapPlan {
  /** true when the worker is root: no user namespace, and setpriv drops to `uid` inside. */
  asRoot: boolean;
  uid: number;
  network: boolean;
  /** The run's folder on the host: the only writable place that outlives the run's processes. */
  workDir: string;
  /** Host folders the run must not see (DATA_DIR, the project folder): covered by empty tmpfs. */
  hidden: string[];
  tmpBytes: number;
  setpriv: string;
  prlimit: string;
  limits: Limits;
  /** Absolute path of the program, and its arguments. */
  command: string;
  args: string[];
}

const under = (dir: string, parent: string) => dir === parent || dir.startsWith(`${parent}/`);

/**
 * bwrap's arguments. As root, bwrap makes no user namespace (one would map the run's uid to root outside,
 * so root-only files stayed readable) and setpriv drops to `uid` with no capabilities; otherwise the user
 * namespace keeps the worker's own uid. Either way: own pid/ipc/uts/cgroup namespaces (no network unless
 * asked), a read-only system, fresh /dev, /proc, /tmp and /run, and the run's folder at /run/job.
 */
export function bwrapArgs(plan: BwrapPlan): string[] {
  const args = ['--die-with-parent', '--new-session'];
  if (plan.asRoot) {
    args.push('--unshare-ipc', '--unshare-pid', '--unshare-uts', '--unshare-cgroup-try');
    if (!plan.network) args.push('--unshare-net');
  } else {
    args.push('--unshare-all', '--unshare-user', '--disable-userns');
    if (plan.network) args.push('--share-net');
  }
  args.push('--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc');
  // Sticky and world-writable as usual; sized, since tmpfs is memory.
  const size = String(plan.tmpBytes);
  args.push(
    '--perms',
    '1777',
    '--size',
    size,
    '--tmpfs',
    '/tmp',
    '--perms',
    '1777',
    '--size',
    size,
    '--tmpfs',
    '/dev/shm',
  );
  args.push('--tmpfs', '/run');
  // /etc/resolv.conf may point into /run (systemd-resolved)
  if (plan.network) args.push('--ro-bind-try', '/run/systemd/resolve', '/run/systemd/resolve');
  for (const dir of plan.hidden) {
    if (['/tmp', '/run', '/proc', '/dev'].some((fresh) => under(dir, fresh))) continue; // fresh already
    if (dir === '/' || plan.hidden.some((other) => other !== dir && under(dir, other))) continue;
    args.push('--tmpfs', dir);
  }
  args.push('--bind', plan.workDir, SANDBOX_WORK_DIR, '--chdir', SANDBOX_WORK_DIR, '--');
  if (plan.asRoot) {
    const id = String(plan.uid);
    args.push(
      plan.setpriv,
      '--reuid',
      id,
      '--regid',
      id,
      '--clear-groups',
      '--inh-caps=-all',
      '--bounding-set=-all',
      '--no-new-privs',
      '--',
    );
  }
  args.push(plan.prlimit, ...prlimitArgs(plan.limits), '--', plan.command, ...plan.args);
  return args;
}
