import { execFile, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataDir } from '../../server/config';
import { findProgram, type WorkerSettings } from '../settings';
import { bwrapArgs, prlimitArgs, SANDBOX_WORK_DIR, type Limits } from './args';

// How a command run is started: under bubblewrap, or (without it) as an unprivileged uid with limits.

const PROJECT_DIR = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const isRoot = () => process.getuid?.() === 0;

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
  options: SpawnOptions;
  workDir: string;
  /** Under bubblewrap: the child is bwrap, and the run's processes live in its pid namespace. */
  sandboxed: boolean;
  /** One line for the run's log: how it is contained. */
  summary: string;
}

/** Whether command runs use bubblewrap, or the reason none can start. */
export function sandboxMode(settings: WorkerSettings): 'bubblewrap' | 'none' | { refused: string } {
  if (settings.sandbox === 'none') return 'none';
  if (settings.bwrap) return 'bubblewrap';
  if (settings.sandbox === 'auto') return 'none';
  if (settings.bwrapError)
    return { refused: `COMMAND_SANDBOX=bubblewrap but bwrap does not work here: ${settings.bwrapError}` };
  return { refused: 'COMMAND_SANDBOX=bubblewrap but bwrap is not installed: apt-get install bubblewrap' };
}

/** The warning a worker logs once at start when command runs go without bubblewrap, else null. */
export function sandboxWarning(settings: WorkerSettings): string | null {
  if (sandboxMode(settings) !== 'none') return null;
  const why =
    settings.sandbox === 'none'
      ? 'COMMAND_SANDBOX=none'
      : settings.bwrapError
        ? `bwrap does not work here (${settings.bwrapError})`
        : 'bwrap is not installed (apt-get install bubblewrap)';
  const who = isRoot()
    ? `uid ${settings.uid}`
    : "the worker's own uid (which can read the worker's /proc and files)";
  return `warning: ${why}: command runs go without a sandbox. They run as ${who} with a cleared environment, resource limits and process-group kill, but see the whole file system and the network, share the worker's process namespace, and a child that leaves its process group (setsid) can outlive its run.`;
}

/**
 * Starts `true` the way a command run starts: null when that works, else what went wrong (a container
 * may forbid namespaces). A worker checks once at start, so `auto` can fall back instead of failing runs.
 */
export async function probeBubblewrap(settings: WorkerSettings): Promise<string | null> {
  if (!settings.bwrap || settings.sandbox === 'none') return null;
  const runId = `probe-${randomBytes(6).toString('hex')}`;
  const spec = {
    command: 'true',
    args: [],
    env: {},
    network: false,
    runId,
    jobId: 'probe',
    paramsJson: '{}',
    timeoutSeconds: 10,
  };
  const launch = await prepareLaunch(spec, settings);
  if ('error' in launch) return launch.error;
  try {
    return await new Promise((resolve) => {
      execFile(
        launch.file,
        launch.args,
        { env: launch.options.env, timeout: 10_000 },
        (error, _stdout, stderr) => {
          resolve(error ? stderr.trim().split('\n')[0] || error.message : null);
        },
      );
    });
  } finally {
    await removeWorkDir(launch.workDir);
  }
}

/** The folder of the runs' folders, made once per worker (and per DATA_DIR). */
const roots = new Map<string, Promise<string>>();
function runsRoot(mode: 'bubblewrap' | 'none', uid: number | null): Promise<string> {
  // Without bubblewrap the run's uid must reach its folder, and DATA_DIR may be closed to it: a fresh
  // folder (mkdtemp: no one can have put a symlink there) in the system's temporary folder instead.
  const key = mode === 'none' && uid !== null ? '' : path.join(dataDir(), 'runs');
  let root = roots.get(key);
  if (!root) {
    root = (async () => {
      const dir = key || (await mkdtemp(path.join(tmpdir(), 'etl-runs-')));
      await mkdir(dir, { recursive: true });
      await chmod(dir, 0o711); // others may pass through to their own folder, not list the rest
      return dir;
    })();
    root.catch(() => roots.delete(key)); // tried again by the next run
    roots.set(key, root);
  }
  return root;
}

/**
 * Makes the run's folder, writable by the run's uid only. Synchronous on purpose: two tiny calls on a
 * local disk cost less than two trips through libuv's thread pool on a busy machine.
 */
async function makeWorkDir(runId: string, mode: 'bubblewrap' | 'none', uid: number | null): Promise<string> {
  const dir = path.join(await runsRoot(mode, uid), runId);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    await rm(dir, { recursive: true, force: true }); // left over by a crashed earlier attempt
    mkdirSync(dir, { mode: 0o700 });
  }
  if (uid !== null) chownSync(dir, uid, uid);
  return dir;
}

export const removeWorkDir = (dir: string) => rm(dir, { recursive: true, force: true }).catch(() => {});

const hiddenDirs = () => [...new Set([dataDir(), PROJECT_DIR])];
const inside = (file: string, dir: string) => file === dir || file.startsWith(`${dir}/`);

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

/** prlimit and setpriv, looked up once (the run's own command is looked up each time: jobs differ). */
const tools = new Map<string, string | null>();
function toolPath(name: string): string | null {
  if (!tools.get(name)) tools.set(name, findProgram(name)); // not found: looked for again next time
  return tools.get(name)!;
}

/** Everything needed to spawn the run, or the reason it cannot start. */
export async function prepareLaunch(
  spec: CommandSpec,
  settings: WorkerSettings,
): Promise<Launch | { error: string }> {
  const mode = sandboxMode(settings);
  if (typeof mode === 'object') return { error: mode.refused };
  const command = findProgram(spec.command, spec.env.PATH ?? process.env.PATH);
  if (!command) return { error: `could not start ${spec.command}: ENOENT (no such executable file)` };
  if (mode === 'bubblewrap' && hiddenDirs().some((dir) => inside(command, dir))) {
    return {
      error: `could not start ${spec.command}: it is inside a folder the sandbox hides (DATA_DIR or the project folder)`,
    };
  }
  const prlimit = toolPath('prlimit');
  if (!prlimit) return { error: "prlimit (util-linux) is not installed: it applies the run's limits" };
  const uid = isRoot() ? settings.uid : null;
  const setpriv = uid === null || mode === 'none' ? '' : toolPath('setpriv');
  if (setpriv === null)
    return { error: 'setpriv (util-linux) is not installed: it drops the run to an unprivileged uid' };

  const network = settings.network && spec.network;
  const cpuSeconds = settings.cpuSeconds || spec.timeoutSeconds;
  const limits: Limits = {
    memoryBytes: settings.memoryMb * 1024 * 1024,
    processes: settings.maxProcesses,
    cpuSeconds,
  };
  const workDir = await makeWorkDir(spec.runId, mode, uid);
  const env = runEnvironment(spec, mode === 'bubblewrap' ? SANDBOX_WORK_DIR : workDir);
  const limitText = `memory ${settings.memoryMb} MiB, ${limits.processes} processes, CPU ${cpuSeconds ? `${cpuSeconds} s` : 'unlimited'}, output ${settings.maxOutputBytes} bytes`;
  const who = `uid ${uid ?? process.getuid?.()}`;
  if (mode === 'none') {
    return {
      file: prlimit,
      args: [...prlimitArgs(limits), '--', command, ...spec.args],
      options: { cwd: workDir, env, detached: true, ...(uid === null ? {} : { uid, gid: uid }) },
      workDir,
      sandboxed: false,
      summary: `no sandbox (${settings.sandbox === 'none' ? 'COMMAND_SANDBOX=none' : 'bwrap not installed'}): ${who}, ${limitText}`,
    };
  }
  const args = bwrapArgs({
    asRoot: uid !== null,
    uid: uid ?? 0,
    network,
    workDir,
    hidden: hiddenDirs(),
    tmpBytes: limits.memoryBytes,
    setpriv: setpriv || '',
    prlimit,
    limits,
    command,
    args: spec.args,
  });
  return {
    file: settings.bwrap!,
    args,
    options: { env, detached: true },
    workDir,
    sandboxed: true,
    summary: `sandbox: bubblewrap, ${who}, network ${network ? 'on' : 'off'}, ${limitText}`,
  };
}
