// The command lines that start a command run contained: pure functions, so each flag is unit-tested.

/** Where the run's work folder appears inside the sandbox (its cwd and HOME): a sized tmpfs. */
export const SANDBOX_WORK_DIR = '/run/job';

/** The descriptors bwrap reads (set by the spawner): the seccomp filter, its info, its go-ahead. */
export const SECCOMP_FD = 3;
export const INFO_FD = 4;
export const BLOCK_FD = 5;
export const RESOLV_CONF_FD = 6;

/** What programs need of the host, read-only: the system, and the parts of /etc they read. */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
const ETC_FILES = [
  'alternatives',
  'ca-certificates',
  'ca-certificates.conf',
  'debian_version',
  'gai.conf',
  'group',
  'host.conf',
  'hosts',
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'localtime',
  'mime.types',
  'nsswitch.conf',
  'os-release',
  'passwd',
  'protocols',
  'services',
  'ssl',
  'timezone',
].map((name) => `/etc/${name}`);

/** Without a sandbox, rlimits are all there is; under bubblewrap the cgroup and tmpfs sizes cap the run. */
export interface Limits {
  /** RLIMIT_DATA: per process (0: not set). */
  memoryBytes: number;
  /** RLIMIT_NPROC: processes and threads of the run's uid (0: not set). */
  processes: number;
  /** RLIMIT_CPU in seconds (0: none); SIGXCPU at the limit, SIGKILL 5 s later. */
  cpuSeconds: number;
}

/** `prlimit` arguments that apply the limits to the program that follows them. */
export function prlimitArgs(limits: Limits): string[] {
  const args: string[] = [];
  if (limits.memoryBytes > 0) args.push(`--data=${limits.memoryBytes}`);
  if (limits.processes > 0) args.push(`--nproc=${limits.processes}`);
  args.push('--core=0');
  if (limits.cpuSeconds > 0) args.push(`--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 5}`);
  return args;
}

export interface BwrapPlan {
  /** Networked: bwrap waits (--block-fd) until the run's namespace has its rules and slirp4netns. */
  network: boolean;
  /** System folders that are symlinks here (merged /usr): folder -> link target. */
  symlinks: Record<string, string>;
  /** Host folders under the mounted system that the run must not see (DATA_DIR, the project): emptied. */
  hidden: string[];
  /** Size of each tmpfs (/tmp, /dev/shm, the work folder): all charged to the run's memory cgroup. */
  tmpBytes: number;
  /** prlimit and its arguments, when a limit needs it (COMMAND_CPU_SECONDS): one more exec. */
  prlimit: string[];
  /** Absolute path of the program, and its arguments. */
  command: string;
  args: string[];
}

const under = (dir: string, parent: string) => dir === parent || dir.startsWith(`${parent}/`);

/**
 * bwrap's arguments. bwrap runs as the run's own uid (a root worker's spawner starts it so) and makes
 * a user namespace that maps that uid to itself and may not nest, with its own network, pid, ipc, uts
 * and cgroup namespaces; only the system folders and /etc's essentials, read-only; fresh /dev and
 * /proc; sized tmpfs for /tmp, /dev/shm, /run and the work folder; a seccomp filter. bwrap tells its
 * child's pid and waits for a go-ahead, so the spawner puts it in the run's cgroup (and the worker sets
 * up its network) before anything runs. No setuid helper: root never enters the sandbox.
 */
export function bwrapArgs(plan: BwrapPlan): string[] {
  const args = ['--die-with-parent', '--new-session', '--unshare-all', '--unshare-user', '--disable-userns'];
  args.push('--seccomp', String(SECCOMP_FD), '--info-fd', String(INFO_FD), '--block-fd', String(BLOCK_FD));
  for (const dir of SYSTEM_DIRS) {
    const target = plan.symlinks[dir];
    if (target) args.push('--symlink', target, dir);
    else args.push('--ro-bind-try', dir, dir);
  }
  args.push('--perms', '0755', '--dir', '/etc'); // bwrap would make it 0700: closed to the run's uid
  for (const file of ETC_FILES) args.push('--ro-bind-try', file, file);
  // slirp4netns' DNS, from a file the spawner opens (the run's uid may not reach DATA_DIR)
  if (plan.network) args.push('--ro-bind-data', String(RESOLV_CONF_FD), '/etc/resolv.conf');
  for (const dir of plan.hidden) {
    if (!SYSTEM_DIRS.some((system) => under(dir, system))) continue; // not mounted at all
    if (plan.hidden.some((other) => other !== dir && under(dir, other))) continue;
    args.push('--size', '4096', '--tmpfs', dir);
  }
  args.push('--dev', '/dev', '--proc', '/proc');
  // Sticky and world-writable as usual; sized, since tmpfs is memory (charged to the run's cgroup).
  const size = String(plan.tmpBytes);
  for (const dir of ['/tmp', '/dev/shm']) args.push('--perms', '1777', '--size', size, '--tmpfs', dir);
  args.push('--size', String(1024 * 1024), '--tmpfs', '/run');
  args.push('--perms', '1777', '--size', size, '--tmpfs', SANDBOX_WORK_DIR);
  args.push('--chdir', SANDBOX_WORK_DIR, '--', ...plan.prlimit, plan.command, ...plan.args);
  return args;
}
