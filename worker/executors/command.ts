import { constants } from 'node:os';
import { launch as startProcess, type LaunchRequest } from '../spawner';
import { LineSplitter } from '../line-splitter';
import { finishLaunch, prepareLaunch, type CommandSpec, type Launch } from '../sandbox';
import { startNetwork } from '../sandbox/network';
import { descendantsOf } from '../sandbox/processes';
import type { WorkerSettings } from '../settings';
import { mark } from '../trace';
import type { ExecuteContext, ExecuteResult, Executor } from './types';

/** How long a process group has between SIGTERM and SIGKILL when a run is cancelled or times out. */
const KILL_GRACE_MS = 5_000;
/** After the main process exits, how long its output may take to drain before the pipes are closed. */
const DRAIN_MS = 2_000;

type CommandConfig = Pick<CommandSpec, 'command' | 'args' | 'env' | 'network'>;

function parseConfig(config: unknown): CommandConfig | string {
  const c = (config ?? {}) as Record<string, unknown>;
  if (typeof c.command !== 'string' || !c.command)
    return 'invalid command job: config.command must be a non-empty string';
  const args = c.args ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string'))
    return 'invalid command job: config.args must be an array of strings';
  const env = c.env ?? {};
  if (typeof env !== 'object' || Array.isArray(env))
    return 'invalid command job: config.env must be an object';
  const envStrings = Object.fromEntries(Object.entries(env as object).map(([k, v]) => [k, String(v)]));
  return { command: c.command, args, env: envStrings, network: c.network === true };
}

/** Runs `config.command` with `config.args` (no shell) contained (see ../sandbox), in a folder of its own. */
export const commandExecutor: Executor = {
  async execute(ctx) {
    const config = parseConfig(ctx.job.config);
    if (typeof config === 'string') return { status: 'failed', error: config };
    const spec: CommandSpec = {
      ...config,
      runId: ctx.run.id,
      jobId: ctx.job.id,
      paramsJson: JSON.stringify(ctx.params ?? {}),
      timeoutSeconds: ctx.timeoutSeconds,
    };
    mark(ctx.run.id, 'prepare');
    const launch = await prepareLaunch(spec, ctx.settings);
    if ('error' in launch) return { status: 'failed', error: launch.error };
    ctx.log('system', launch.summary);
    let result: ExecuteResult;
    let oom = false;
    try {
      result = await runProcess(ctx, launch, spec);
    } finally {
      // The run's cgroup is killed and removed (whatever it left behind goes), then its uid is free again.
      ({ oom } = await finishLaunch(launch));
    }
    if (oom && result.status === 'failed')
      return { ...result, error: `memory limit of the run reached (${launch.memoryMb} MiB)` };
    return result;
  },
};

function killProcessGroup(pid: number | undefined, signal: NodeJS.Signals) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone
  }
}

const launchRequest = (launch: Launch, spec: CommandSpec): LaunchRequest => ({
  file: launch.file,
  args: launch.args,
  options: launch.options,
  stdin: spec.paramsJson,
  runId: spec.runId,
  sandbox: launch.sandbox,
});

function runProcess(ctx: ExecuteContext, launch: Launch, spec: CommandSpec): Promise<ExecuteResult> {
  const { maxOutputBytes } = ctx.settings;
  return new Promise((resolve) => {
    let pid: number | undefined;
    let ranMs = 0;
    let aborted = false;
    const killGroup = (signal: NodeJS.Signals) => killProcessGroup(pid, signal);
    const timers: NodeJS.Timeout[] = [];
    const onAbort = () => {
      aborted = true;
      if (pid === undefined) return; // done once it has started
      timers.push(setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS));
      if (!launch.sandboxed) return killGroup('SIGTERM');
      // SIGTERM to bwrap would end the namespace at once: the program and its children get it instead.
      descendantsOf(pid).then(
        (pids) => pids.forEach((p) => signal(p, 'SIGTERM')),
        () => killGroup('SIGKILL'),
      );
    };
    let settled = false;
    /** Why the run failed whatever its exit: output over the limit, or its set-up. */
    let failure: string | null = null;
    const failSetup = (why: string) => {
      failure = why;
      ctx.log('system', why);
      killGroup('SIGKILL');
    };
    const setup = heldRun(launch, () => started.release(), failSetup);
    const settle = (result: ExecuteResult) => {
      if (settled) return;
      settled = true;
      setup.end();
      ctx.signal.removeEventListener('abort', onAbort);
      timers.forEach(clearTimeout);
      resolve(failure ? { ...result, status: 'failed', error: failure } : result);
    };

    let outputBytes = 0;
    const splitters = {
      stdout: new LineSplitter((line) => ctx.log('stdout', line)),
      stderr: new LineSplitter((line) => ctx.log('stderr', line)),
    };
    // Started by the worker's spawner (see ../spawner-process.mjs). detached: the child (bwrap, or the program)
    // leads its own process group, so kill(-pid) reaches it; under bwrap, the run's pid namespace dies with it.
    const started = startProcess(launchRequest(launch, spec), {
      spawned(childPid) {
        pid = childPid;
        if (aborted) onAbort();
      },
      held: setup.held,
      data(stream, chunk) {
        if (failure) return;
        outputBytes += chunk.length;
        if (outputBytes > maxOutputBytes) {
          failure = `output limit reached: more than ${maxOutputBytes} bytes (COMMAND_MAX_OUTPUT_BYTES); run stopped`;
          ctx.log('system', failure);
          killGroup('SIGKILL');
          return;
        }
        splitters[stream].push(chunk);
      },
      exit(ms) {
        ranMs = ms;
        // The run ends with its main process: what it left behind in its group goes too, and output
        // still held open by such leftovers is not waited for forever.
        killGroup('SIGKILL');
        timers.push(setTimeout(() => started.closePipes(), DRAIN_MS));
      },
      close(code, signal, error) {
        if (error) {
          killGroup('SIGKILL'); // started before its spawner died: not left running unsupervised
          return settle({
            status: 'failed',
            error: pid === undefined ? `could not start ${spec.command}: ${error}` : error,
          });
        }
        splitters.stdout.end();
        splitters.stderr.end();
        // The process's own time (spawn to exit, the sandbox's set-up included): the rest of a run is ours.
        const how = code === null ? `killed by ${signal}` : `exited with code ${code}`;
        ctx.log('system', `process ${how} after ${ranMs.toFixed(1)} ms`);
        settle(exitResult(code, signal, ctx.settings, spec.timeoutSeconds));
      },
    });

    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** bwrap's child waits, in the run's cgroup: a networked run gets its network first, then goes. */
function heldRun(launch: Launch, release: () => void, fail: (why: string) => void) {
  let stop: (() => void) | undefined;
  let ended = false;
  return {
    held(childPid: number, error?: string) {
      if (error) return fail(error);
      if (!launch.network) return;
      startNetwork(childPid).then(
        (stopNetwork) => {
          stop = stopNetwork;
          if (ended) stop();
          else release();
        },
        (e: Error) => fail(`the run's network could not be set up: ${e.message}`),
      );
    },
    end() {
      ended = true;
      stop?.();
    },
  };
}

function signal(pid: number, name: NodeJS.Signals) {
  try {
    process.kill(pid, name);
  } catch {
    // gone meanwhile
  }
}

/** The outcome of an exit; bwrap reports a program killed by signal N as exit code 128 + N. */
export function exitResult(
  code: number | null,
  signal: NodeJS.Signals | null,
  settings: WorkerSettings,
  timeoutSeconds: number,
): ExecuteResult {
  if (code === 0) return { status: 'succeeded', exitCode: 0 };
  const signalNumber = signal
    ? constants.signals[signal]
    : code !== null && code > 128 && code < 160
      ? code - 128
      : 0;
  const name = Object.entries(constants.signals).find(([, n]) => n === signalNumber)?.[0];
  const exitCode = code ?? undefined;
  if (name === 'SIGXCPU') {
    return {
      status: 'failed',
      exitCode,
      error: `CPU time limit reached (${settings.cpuSeconds || timeoutSeconds} s)`,
    };
  }
  if (code === null) return { status: 'failed', error: `killed by ${name ?? signal}` };
  return {
    status: 'failed',
    exitCode,
    error: `exited with code ${code}${name ? ` (killed by ${name})` : ''}`,
  };
}
