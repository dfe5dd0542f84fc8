// The processes that the bench, the chaos suite and the tests start, each in its own process group, and
// stopping every one of them again: on the normal path, and synchronously on exit (a failed or
// interrupted run leaves nothing behind).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { childrenOf, commandLine } from './proc-fs';

export interface Proc {
  name: string;
  child: ChildProcess;
  pid: number;
  exited: Promise<void>;
  alive(): boolean;
  /** The last lines it wrote (stdout and stderr). */
  tail(lines?: number): string;
  /** Resolves when a line matching `re` is written after this call (or was already seen, if `seen`). */
  waitForLine(re: RegExp, timeoutMs: number, seen?: boolean): Promise<string>;
}

const procs = new Set<Proc>();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SpawnOptions {
  /** Working directory (default: this process's). */
  cwd?: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Sees every line it writes. */
  onLine?: (line: string) => void;
}

export function spawnNode(name: string, args: string[], opts: SpawnOptions): Proc {
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  // detached: a process group of its own, so the whole tree (launcher, web, worker, job commands) can be
  // signalled at once, and a Ctrl-C meant for the test runner does not reach it first.
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  const waiters = new Set<{ re: RegExp; resolve: (line: string) => void }>();
  let exitedFlag = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => ((exitedFlag = true), resolve())));
  let buffered = '';
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    buffered += chunk.toString('utf8');
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      lines.push(line);
      if (lines.length > 400) lines.shift();
      opts.onLine?.(line);
      for (const w of [...waiters]) {
        if (!w.re.test(line)) continue;
        waiters.delete(w);
        w.resolve(line);
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  void exited.then(() => log.end());
  const proc: Proc = {
    name,
    child,
    pid: child.pid!,
    exited,
    alive: () => !exitedFlag,
    tail: (n = 40) => lines.slice(-n).join('\n'),
    waitForLine(re, timeoutMs, seen = false) {
      if (seen) {
        const found = lines.find((l) => re.test(l));
        if (found) return Promise.resolve(found);
      }
      return new Promise((resolve, reject) => {
        const waiter = { re, resolve: (line: string) => (clearTimeout(timer), resolve(line)) };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `${name}: no line matching ${re} within ${timeoutMs / 1000}s\n--- last output ---\n${proc.tail()}`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
        void exited.then(() => {
          if (!waiters.has(waiter)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(
            new Error(
              `${name} exited (${child.signalCode ?? child.exitCode}) before ${re}\n--- last output ---\n${proc.tail()}`,
            ),
          );
        });
      });
    },
  };
  procs.add(proc);
  return proc;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}

/** Starts `node <args>` and waits for a line matching `ready` (rejects on exit or after `timeoutMs`). */
export async function startService(
  name: string,
  args: string[],
  opts: SpawnOptions & { ready: RegExp; timeoutMs: number },
): Promise<Proc> {
  const proc = spawnNode(name, args, opts);
  await proc.waitForLine(opts.ready, opts.timeoutMs, true);
  return proc;
}

/** SIGTERM to the group, SIGKILL to the group after `graceMs`; resolves once the leader has exited. */
export async function stopProc(proc: Proc, graceMs = 20_000): Promise<void> {
  if (proc.alive()) {
    signalGroup(proc.pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (proc.alive() && Date.now() < deadline) await sleep(100);
  }
  // Whatever is left of the group (an orphaned child of a killed launcher), and the leader if it hangs.
  signalGroup(proc.pid, 'SIGKILL');
  await Promise.race([proc.exited, sleep(5_000)]);
  procs.delete(proc);
}

export async function stopAllProcs(graceMs = 20_000): Promise<void> {
  await Promise.all([...procs].map((p) => stopProc(p, graceMs)));
}

/** Last resort on exit: SIGKILL every group still there. */
export function killAllProcsSync(): void {
  for (const p of procs) signalGroup(p.pid, 'SIGKILL');
  procs.clear();
}

/** Runs `node <args>` to the end; stdout, or an error with its output. */
export function runNode(
  args: string[],
  opts: { cwd?: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`node ${args.join(' ')} failed (${signal ?? code}):\n${err}${out}`));
    });
  });
}

/** The child of a launcher (scripts/start.ts) whose command line matches `script`. */
export function childRunning(launcherPid: number, script: RegExp): number | null {
  return childrenOf(launcherPid).find((pid) => script.test(commandLine(pid))) ?? null;
}

/** The web server (scripts/web.ts, or its build .next/web-server.mjs) and the worker of a launcher. */
export const WEB_SERVER = /scripts\/web\.ts|web-server\.mjs/;
export const WORKER = /worker\/main\.ts/;

/** What an app started by a test or the bench must not inherit: the outer database, secrets and ports. */
const APP_SETTINGS = [
  'DATABASE_URL',
  'API_KEY_SECRETS',
  'NEXTAUTH_SECRET',
  'NEXTAUTH_URL',
  'PORT',
  'HOST',
  'START_WORKER',
  'DATABASE_POOL_SIZE',
  'RATE_LIMIT_PER_MINUTE',
];

/** This process's environment without the app's settings (and `drop`), with `extra` on top. */
export function isolatedEnv(extra: Record<string, string>, drop: string[] = []): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of [...APP_SETTINGS, ...drop]) delete env[name];
  return { ...env, ...extra } as NodeJS.ProcessEnv;
}
