// The processes a benchmark run starts, and stopping every one of them again.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

export interface Service {
  name: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** The lines it wrote so far (stdout and stderr), for error reports. */
  tail(): string;
}

const services: Service[] = [];

/**
 * Starts `node <args>` in the repository, output to `logFile`, and waits for a line matching `ready`
 * (rejects on exit or after `timeoutMs`).
 */
export async function startService(opts: {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Working directory (default: this process's). */
  cwd?: string;
  logFile: string;
  ready: RegExp;
  timeoutMs: number;
  onLine?: (line: string) => void;
}): Promise<Service> {
  const log: WriteStream = createWriteStream(opts.logFile, { flags: 'a' });
  const child = spawn(process.execPath, opts.args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const service: Service = { name: opts.name, child, exited, tail: () => lines.slice(-40).join('\n') };
  services.push(service);
  exited.then(() => log.end());

  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`${opts.name} was not ready within ${opts.timeoutMs / 1000}s`)), opts.timeoutMs);
    function finish(error?: Error) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) reject(new Error(`${error.message}\n--- last output of ${opts.name} ---\n${service.tail()}`));
      else resolve();
    }
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        lines.push(line);
        if (lines.length > 200) lines.shift();
        opts.onLine?.(line);
        if (opts.ready.test(line)) finish();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => finish(new Error(`${opts.name} exited (${signal ?? code}) before it was ready`)));
  });
  return service;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
export async function stopService(service: Service, graceMs = 30_000): Promise<void> {
  const { child } = service;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await service.exited;
    clearTimeout(timer);
  }
  const index = services.indexOf(service);
  if (index >= 0) services.splice(index, 1);
}

/** Stops everything still running, the most recently started first. */
export async function stopAllServices(): Promise<void> {
  for (const child of oneShots) child.kill('SIGTERM');
  for (const service of [...services].reverse()) await stopService(service);
}

/** Runs `node <args>` to the end; resolves with stdout, rejects with stderr on a non-zero exit. */
const oneShots = new Set<ChildProcess>();

export function runNode(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    oneShots.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      oneShots.delete(child);
      if (code === 0) resolve(out);
      else reject(new Error(`node ${args.join(' ')} failed (${signal ?? code}):\n${err || out}`));
    });
  });
}
