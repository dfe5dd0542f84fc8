import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { dataDir } from '../../server/config';
import { LineSplitter } from '../line-splitter';
import type { ExecuteContext, ExecuteResult, Executor } from './types';

/** How long a process group has between SIGTERM and SIGKILL when a run is cancelled or times out. */
const KILL_GRACE_MS = 5_000;
/** After the main process exits, how long its output may take to drain before the pipes are closed. */
const DRAIN_MS = 2_000;
/** The only variables passed on from the worker's environment: the worker's secrets stay with it. */
const INHERITED_ENV = ['PATH', 'HOME', 'LANG'];

interface CommandConfig {
  command: string;
  args: string[];
  env: Record<string, string>;
}

function parseConfig(config: unknown): CommandConfig | string {
  const c = (config ?? {}) as Record<string, unknown>;
  if (typeof c.command !== 'string' || !c.command) return 'invalid command job: config.command must be a non-empty string';
  const args = c.args ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) return 'invalid command job: config.args must be an array of strings';
  const env = c.env ?? {};
  if (typeof env !== 'object' || Array.isArray(env)) return 'invalid command job: config.env must be an object';
  const envStrings = Object.fromEntries(Object.entries(env as object).map(([k, v]) => [k, String(v)]));
  return { command: c.command, args, env: envStrings };
}

/** Runs `config.command` with `config.args` (no shell) in a folder of its own, as the leader of a new process group. */
export const commandExecutor: Executor = {
  async execute(ctx) {
    const config = parseConfig(ctx.job.config);
    if (typeof config === 'string') return { status: 'failed', error: config };
    const cwd = path.join(dataDir(), 'runs', ctx.run.id);
    await rm(cwd, { recursive: true, force: true }); // left over by a crashed earlier attempt
    await mkdir(cwd, { recursive: true });
    try {
      return await runProcess(ctx, config, cwd);
    } finally {
      await rm(cwd, { recursive: true, force: true }).catch(() => {});
    }
  },
};

function runProcess(ctx: ExecuteContext, config: CommandConfig, cwd: string): Promise<ExecuteResult> {
  const paramsJson = JSON.stringify(ctx.params ?? {});
  const env: Record<string, string> = {};
  for (const name of INHERITED_ENV) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, config.env, { JOB_PARAMS: paramsJson, RUN_ID: ctx.run.id, JOB_ID: ctx.job.id });

  return new Promise((resolve) => {
    // detached: the child leads its own process group, so one kill(-pid) reaches its whole tree.
    const child = spawn(config.command, config.args, { cwd, env: env as NodeJS.ProcessEnv, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // ESRCH: the group is already gone
      }
    };
    const timers: NodeJS.Timeout[] = [];
    const onAbort = () => {
      killGroup('SIGTERM');
      timers.push(setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS));
    };

    let settled = false;
    const settle = (result: ExecuteResult) => {
      if (settled) return;
      settled = true;
      ctx.signal.removeEventListener('abort', onAbort);
      timers.forEach(clearTimeout);
      resolve(result);
    };

    const out = new LineSplitter((line) => ctx.log('stdout', line));
    const err = new LineSplitter((line) => ctx.log('stderr', line));
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => {}); // EPIPE when the program does not read its stdin
    child.stdin.end(paramsJson);

    child.on('error', (error) => settle({ status: 'failed', error: `could not start ${config.command}: ${error.message}` }));
    child.on('exit', () => {
      // The run ends with its main process: what it left behind in its group goes too, and output
      // still held open by such leftovers is not waited for forever.
      killGroup('SIGKILL');
      timers.push(setTimeout(() => (child.stdout.destroy(), child.stderr.destroy()), DRAIN_MS));
    });
    child.on('close', (code, signal) => {
      out.end();
      err.end();
      if (code === 0) settle({ status: 'succeeded', exitCode: 0 });
      else if (code !== null) settle({ status: 'failed', exitCode: code, error: `exited with code ${code}` });
      else settle({ status: 'failed', error: `killed by ${signal}` });
    });

    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
}
