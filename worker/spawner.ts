import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mark, tracing } from './trace';

// The worker's side of worker/spawner-process.mjs (why it exists: see there). SPAWNERS spawners per worker
// process, each started at its first run and again if it dies.

const SCRIPT = fileURLToPath(new URL('./spawner-process.mjs', import.meta.url));

export interface LaunchRequest {
  file: string;
  args: string[];
  options: Pick<SpawnOptions, 'cwd' | 'env' | 'uid' | 'gid' | 'detached'>;
  /** Written to the process's stdin, which is then closed. */
  stdin: string;
  /** The run it is for: names the bench's marks of its hand-overs (see ./trace.ts). */
  runId?: string;
  /** bwrap: its seccomp filter (fd 3) and resolv.conf (fd 6) files, the run's cgroup.procs files, and whether to wait for release(). */
  sandbox?: { seccomp: string; resolvConf?: string; cgroupProcs: string[]; hold: boolean };
}

export interface LaunchEvents {
  spawned(pid: number): void;
  /** bwrap's child is in the run's cgroups (or could not be put there: `error`), waiting for release(). */
  held?(childPid: number, error?: string): void;
  data(stream: 'stdout' | 'stderr', chunk: Buffer): void;
  /** The main process exited after `ms` (from the spawn); its output may still be draining. */
  exit(ms: number): void;
  /** The process exited and its output is closed (or it could not start: `error`). */
  close(code: number | null, signal: NodeJS.Signals | null, error?: string): void;
}

type Message = (
  | { type: 'spawned'; id: number; pid: number }
  | { type: 'error'; id: number; message: string }
  | { type: 'held'; id: number; childPid: number; error?: string }
  | { type: 'data'; id: number; stream: 'stdout' | 'stderr'; chunk: Uint8Array }
  | { type: 'exit'; id: number; ms: number }
  | { type: 'close'; id: number; code: number | null; signal: NodeJS.Signals | null }
) & { marks?: Record<string, number> };

/** Spawners per worker: a spawn blocks its spawner until the program has exec'd, so two overlap. */
const SPAWNERS = 2;
const runIds = new Map<number, string>();
let nextId = 1;

function fail(handlers: Iterable<LaunchEvents>, why: string) {
  for (const events of handlers) events.close(null, null, why);
}

function traced(message: Message) {
  const runId = runIds.get(message.id);
  if (!runId) return;
  if (message.type === 'exit' || message.type === 'close') mark(runId, `${message.type}Seen`);
  for (const [name, at] of Object.entries(message.marks ?? {})) mark(runId, name, at);
  if (message.type === 'close' || message.type === 'error') runIds.delete(message.id);
}

/** One spawner process and the launches in flight on it; started when needed, again if it dies. */
class Spawner {
  readonly pending = new Map<number, LaunchEvents>();
  private child: ChildProcess | undefined;

  process(): ChildProcess {
    if (this.child?.connected) return this.child;
    const child: ChildProcess = spawn(process.execPath, [SCRIPT], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
      env: { NODE_ENV: 'production', PATH: process.env.PATH ?? '' }, // not the worker's secrets
    });
    child.on('message', (message: Message) => this.receive(message));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const lost = [...this.pending.values()];
      this.pending.clear();
      fail(lost, `the worker's spawner process ended (${signal ?? code})`);
    });
    child.on('error', () => {}); // 'exit' follows, or the next launch starts another
    this.child = child;
    return child;
  }

  private receive(message: Message) {
    const events = this.pending.get(message.id);
    if (!events) return;
    traced(message);
    if (message.type === 'spawned') events.spawned(message.pid);
    else if (message.type === 'held') events.held?.(message.childPid, message.error);
    else if (message.type === 'data')
      events.data(
        message.stream,
        Buffer.from(message.chunk.buffer, message.chunk.byteOffset, message.chunk.byteLength),
      );
    else if (message.type === 'exit') events.exit(message.ms);
    else {
      this.pending.delete(message.id);
      this.refIfBusy();
      if (message.type === 'error') events.close(null, null, message.message);
      else events.close(message.code, message.signal);
    }
  }

  /** A spawner keeps the worker alive only while runs are in flight on it. */
  refIfBusy() {
    const channel = this.child?.channel as { ref(): void; unref(): void } | undefined;
    if (this.pending.size > 0) {
      this.child?.ref();
      channel?.ref();
    } else {
      this.child?.unref();
      channel?.unref();
    }
  }
}

const spawners = Array.from({ length: SPAWNERS }, () => new Spawner());

/** Starts the spawner ahead of the first run (a node process takes a moment to start). */
export function warmUpSpawner(): void {
  for (const spawner of spawners) {
    spawner.process();
    spawner.refIfBusy();
  }
}

/** Starts a process through the spawner; returns functions that close its output pipes and release it. */
export function launch(
  request: LaunchRequest,
  events: LaunchEvents,
): { closePipes(): void; release(): void } {
  const id = nextId++;
  // The spawner with the fewest runs in flight (the first on a tie: an idle worker uses one).
  const spawner = spawners.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  const child = spawner.process();
  spawner.pending.set(id, events);
  spawner.refIfBusy();
  const { runId, ...rest } = request;
  if (tracing && runId) {
    runIds.set(id, runId);
    mark(runId, 'request');
  }
  child.send({ type: 'spawn', id, ...rest, trace: tracing });
  return {
    closePipes: () => child.connected && child.send({ type: 'close-pipes', id }),
    release: () => child.connected && child.send({ type: 'release', id }),
  };
}
