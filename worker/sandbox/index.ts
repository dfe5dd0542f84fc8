import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { launch as startProcess, type LaunchRequest } from '../spawner';
import { findProgram, type WorkerSettings } from '../settings';
import { bwrapArgs, prlimitArgs, SANDBOX_WORK_DIR, type Limits } from './args';
import {
  cgroupBase,
  createRunCgroup,
  oomKilled,
  removeRunCgroup,
  sweepRunCgroups,
  type CgroupBase,
  type RunCgroup,
} from './cgroup';
import { hiddenDirs, inside, makeWorkDir, runsRoot, symlinks, VISIBLE } from './files';
import { seccompArch } from './seccomp';
import { toolPath } from './tools';
import { allocateUid, releaseUid } from './uids';

// How a command run is started: under bubblewrap with a network namespace, uid, cgroup, seccomp filter
// and file system of its own, or, only when the operator says COMMAND_SANDBOX=none, without isolation.

const isRoot = () => process.getuid?.() === 0;
const REFUSED = 'command runs are refused:';
const OR_NONE = 'or set COMMAND_SANDBOX=none to run them without isolation';

export interface CommandSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  network: boolean;
  runId: string;
  jobId: string;
  paramsJson: string;
  /** The run's timeout (0: none): the CPU limit when COMMAND_CPU_SECONDS is not set. */
  timeoutSeconds: number;
}

export interface Launch {
  file: string;
  args: string[];
  options: LaunchRequest['options'];
  /** bwrap: what the spawner gives it (seccomp filter, cgroup, hold until the network is up). */
  sandbox?: NonNullable<LaunchRequest['sandbox']>;
  /** Under bubblewrap: the child is bwrap, and the run's processes live in its pid namespace. */
  sandboxed: boolean;
  /** A networked run: its namespace gets rules and slirp4netns before it is released. */
  network: boolean;
  asRoot: boolean;
  /** One line for the run's log: how it is contained. */
  summary: string;
  memoryMb: number;
  /** Undone by finishLaunch once the run has ended. */
  cgroup?: RunCgroup;
  uid?: number;
  workDir?: string;
}

/** Whether command runs use bubblewrap, or the one sentence that refuses them. */
export function sandboxMode(settings: WorkerSettings): 'bubblewrap' | 'none' | { refused: string } {
  if (settings.sandbox === 'none') return 'none';
  if (settings.bwrapError) return { refused: `${REFUSED} ${settings.bwrapError}; ${OR_NONE}.` };
  if (!settings.bwrap)
    return {
      refused: `${REFUSED} bubblewrap is not installed (apt-get install bubblewrap, or COMMAND_BWRAP_PATH), ${OR_NONE}.`,
    };
  if (!seccompArch())
    return { refused: `${REFUSED} no seccomp filter for this CPU (${process.arch}); ${OR_NONE}.` };
  return 'bubblewrap';
}

const GIVES_UP =
  'no sandbox (COMMAND_SANDBOX=none): the run shares the host network, file system and processes, has no cgroup (memory, processes and CPU per process only), no seccomp filter, and a child that leaves its process group can outlive it';

/** The line a worker logs once at start when command runs are refused or go without isolation. */
export function sandboxWarning(settings: WorkerSettings): string | null {
  const mode = sandboxMode(settings);
  if (typeof mode === 'object') return `warning: ${mode.refused}`;
  return mode === 'none' ? `warning: ${GIVES_UP}.` : null;
}

/**
 * Starts `true` the way a command run starts: null when that works, else why not (a container may
 * forbid namespaces, cgroups may not be writable). A worker checks once at start, so runs are refused
 * with that reason rather than each failing its own way.
 */
export async function probeBubblewrap(settings: WorkerSettings): Promise<string | null> {
  if (settings.sandbox === 'none' || typeof sandboxMode(settings) === 'object') return null;
  const spec = {
    command: 'true',
    args: [],
    env: {},
    network: false,
    runId: `probe-${randomBytes(6).toString('hex')}`,
    jobId: 'probe',
    paramsJson: '{}',
    timeoutSeconds: 10,
  };
  const launch = await prepareLaunch(spec, settings);
  if ('error' in launch)
    return launch.error.replace(`${REFUSED} `, '').replace(/; or set COMMAND_SANDBOX.*$/, '');
  try {
    return await new Promise((resolve) => {
      let stderr = '';
      startProcess(
        { file: launch.file, args: launch.args, options: launch.options, stdin: '', sandbox: launch.sandbox },
        {
          spawned() {},
          data(stream, chunk) {
            if (stream === 'stderr') stderr += String(chunk);
          },
          exit() {},
          held(_pid, error) {
            if (error) resolve(error);
          },
          close(code, signal, error) {
            resolve(
              code === 0
                ? null
                : stderr.trim().split('\n')[0] || error || `bwrap ended with ${code ?? signal}`,
            );
          },
        },
      );
    });
  } finally {
    await finishLaunch(launch);
  }
}

/**
 * The run's whole environment. It goes to bwrap as its own environment, which bwrap hands on: as
 * --setenv arguments `ps` would show the job's env to anyone on the machine.
 */
function runEnvironment(spec: CommandSpec, home: string): NodeJS.ProcessEnv {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
  };
  if (process.env.LANG) env.LANG = process.env.LANG;
  Object.assign(env, spec.env, { JOB_PARAMS: spec.paramsJson, RUN_ID: spec.runId, JOB_ID: spec.jobId });
  return env as NodeJS.ProcessEnv;
}

const cgroupRefusal = (error: unknown) =>
  `${REFUSED} the run's cgroup cannot be made (${(error as Error).message}); run the worker as root or give it a delegated cgroup (COMMAND_CGROUP_ROOT), ${OR_NONE}.`;

/** The runs' cgroup folder, found once per worker (and per setting). */
const cgroupBases = new Map<string, CgroupBase | { error: string }>();
function runCgroupBase(settings: WorkerSettings): CgroupBase | { error: string } {
  const key = `${settings.cgroupFs}\0${settings.cgroupRoot ?? ''}`;
  let base = cgroupBases.get(key);
  if (!base) {
    try {
      base = cgroupBase(settings.cgroupFs, settings.cgroupRoot);
      sweepRunCgroups(base);
    } catch (error) {
      base = { error: cgroupRefusal(error) };
    }
    cgroupBases.set(key, base);
  }
  return base;
}

interface Preflight {
  mode: 'bubblewrap' | 'none';
  command: string;
  prlimit: string;
  network: boolean;
  cgroup: CgroupBase | null;
}

/** The checks before anything is made for the run: its program, the tools, the cgroup folder. */
function preflight(spec: CommandSpec, settings: WorkerSettings): Preflight | { error: string } {
  const mode = sandboxMode(settings);
  if (typeof mode === 'object') return { error: mode.refused };
  const command = findProgram(spec.command, spec.env.PATH ?? process.env.PATH);
  if (!command) return { error: `could not start ${spec.command}: ENOENT (no such executable file)` };
  if (mode === 'bubblewrap') {
    if (hiddenDirs().some((dir) => inside(command, dir)) || !VISIBLE.some((dir) => inside(command, dir)))
      return {
        error: `could not start ${spec.command}: the sandbox shows only ${VISIBLE.join(', ')} (not DATA_DIR or the project folder)`,
      };
  }
  const prlimit = toolPath('prlimit');
  if (!prlimit) return { error: "prlimit (util-linux) is not installed: it applies the run's limits" };
  const network = settings.network && spec.network && mode === 'bubblewrap';
  // bwrap nests the run's user namespace (for /proc and --disable-userns), so only root can reach the
  // network namespace's owner to give it rules and slirp4netns
  if (network && !isRoot())
    return {
      error:
        'networked command runs are refused: they need a worker running as root here (a worker that is not root cannot set up their network namespace)',
    };
  if (network) {
    const missing = ['slirp4netns', 'nsenter', 'nft'].filter((tool) => !toolPath(tool));
    if (missing.length)
      return {
        error: `networked command runs are refused: ${missing.join(', ')} not installed (apt-get install slirp4netns nftables util-linux)`,
      };
  }
  const cgroup = mode === 'bubblewrap' ? runCgroupBase(settings) : null;
  if (cgroup && 'error' in cgroup) return { error: cgroup.error };
  return { mode, command, prlimit, network, cgroup };
}

/** Everything needed to spawn the run, or the reason it cannot start. */
export async function prepareLaunch(
  spec: CommandSpec,
  settings: WorkerSettings,
): Promise<Launch | { error: string }> {
  const checked = preflight(spec, settings);
  if ('error' in checked) return checked;
  const { mode, command, prlimit, network, cgroup } = checked;
  const uid = isRoot() ? allocateUid(settings.uidRange) : null;
  if (isRoot() && uid === null)
    return { error: `every uid of COMMAND_UID_RANGE (${settings.uidRange.join('-')}) is in use` };
  const memoryBytes = settings.memoryMb * 1024 * 1024;
  if (mode === 'none') {
    const cpuSeconds = settings.cpuSeconds || spec.timeoutSeconds;
    const limits = { memoryBytes, processes: settings.maxProcesses, cpuSeconds };
    return prepareUnsandboxed(spec, settings, { command, prlimit, uid, limits });
  }
  let runCgroup: RunCgroup;
  let root: string;
  try {
    root = await runsRoot('bubblewrap', uid);
    runCgroup = createRunCgroup(cgroup!, spec.runId, {
      memoryBytes,
      processes: settings.maxProcesses,
      cpus: settings.cpus,
    });
  } catch (error) {
    if (uid !== null) releaseUid(uid);
    return { error: cgroupRefusal(error) };
  }
  // Only COMMAND_CPU_SECONDS costs an exec (prlimit): the cgroup and the tmpfs sizes cap the rest.
  const cpu = settings.cpuSeconds;
  const limits = { memoryBytes: 0, processes: 0, cpuSeconds: cpu };
  const args = bwrapArgs({
    network,
    symlinks: symlinks(),
    hidden: hiddenDirs(),
    tmpBytes: memoryBytes,
    prlimit: cpu > 0 ? [prlimit, ...prlimitArgs(limits), '--'] : [],
    command,
    args: spec.args,
  });
  const resolvConf = network ? path.join(root, 'resolv.conf') : undefined;
  return {
    file: settings.bwrap!,
    args,
    // the spawner starts bwrap as the run's uid: root never enters the sandbox
    options: {
      env: runEnvironment(spec, SANDBOX_WORK_DIR),
      detached: true,
      ...(uid === null ? {} : { uid, gid: uid }),
    },
    sandbox: {
      seccomp: path.join(root, 'seccomp.bpf'),
      resolvConf,
      cgroupProcs: runCgroup.procs,
      hold: network,
    },
    sandboxed: true,
    network,
    asRoot: uid !== null,
    summary: `sandbox: bubblewrap, uid ${uid ?? process.getuid?.()}, network ${network ? 'on (slirp4netns, public addresses only)' : 'off'}, memory ${settings.memoryMb} MiB for the whole run (its files included), ${settings.maxProcesses} processes${settings.cpus ? `, at most ${settings.cpus} CPU` : ''}${cpu ? `, CPU time ${cpu} s per process` : ''}, output ${settings.maxOutputBytes} bytes`,
    memoryMb: settings.memoryMb,
    cgroup: runCgroup,
    uid: uid ?? undefined,
  };
}

/** COMMAND_SANDBOX=none: prlimit, the run's uid and a folder on disk, and nothing else. */
async function prepareUnsandboxed(
  spec: CommandSpec,
  settings: WorkerSettings,
  p: { command: string; prlimit: string; uid: number | null; limits: Limits },
): Promise<Launch> {
  const { command, prlimit, uid, limits } = p;
  const asRoot = uid !== null;
  const cpu = limits.cpuSeconds;
  const limitText = `memory ${settings.memoryMb} MiB per process, ${limits.processes} processes, CPU ${cpu ? `${cpu} s` : 'unlimited'}, output ${settings.maxOutputBytes} bytes`;
  const workDir = await makeWorkDir(spec.runId, uid);
  return {
    file: prlimit,
    args: [...prlimitArgs(limits), '--', command, ...spec.args],
    options: {
      cwd: workDir,
      env: runEnvironment(spec, workDir),
      detached: true,
      ...(uid === null ? {} : { uid, gid: uid }),
    },
    sandboxed: false,
    network: false,
    asRoot,
    summary: `${GIVES_UP}; uid ${uid ?? process.getuid?.()}, ${limitText}`,
    memoryMb: settings.memoryMb,
    uid: uid ?? undefined,
    workDir,
  };
}

/** Ends what is left of a run (its cgroup), frees its uid and folder; says whether memory ran out. */
export async function finishLaunch(launch: Launch): Promise<{ oom: boolean }> {
  let oom = false;
  if (launch.cgroup) {
    oom = oomKilled(launch.cgroup);
    await removeRunCgroup(launch.cgroup);
  }
  if (launch.uid !== undefined) releaseUid(launch.uid);
  if (launch.workDir) await rm(launch.workDir, { recursive: true, force: true }).catch(() => {});
  return { oom };
}
