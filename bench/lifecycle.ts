// A temporary DATA_DIR, and everything the bench started stopped on the way out (also on Ctrl-C).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { stopLoad } from './lib/load';
import { args, log, sleep } from './config';
import { stopAllProcs } from '../testkit/processes';

export const dataDir = mkdtempSync(path.join(os.tmpdir(), 'etl-bench-'));

/** What the phases share: the harness's own database connection, and whether Ctrl-C was pressed. */
export const state: { db?: pg.Client; interrupted: boolean } = { interrupted: false };
let finishing: Promise<void> | undefined;

export function postmasterPid(): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

export function cleanup(): Promise<void> {
  finishing ??= (async () => {
    stopLoad();
    await state.db?.end().catch(() => {});
    state.db = undefined;
    await stopAllProcs();
    // The launcher stops its Postgres; if it could not (killed), stop it here (SIGINT: fast shutdown).
    const orphan = postmasterPid();
    if (orphan) {
      process.kill(orphan, 'SIGINT');
      for (let i = 0; i < 100 && postmasterPid(); i++) await sleep(100);
    }
    if (args.keep) log(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  })();
  return finishing;
}

export function onInterrupt(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (state.interrupted) return;
      state.interrupted = true;
      console.error(`\n[bench] ${signal}: stopping everything it started`);
      cleanup().finally(() => process.exit(130));
    });
  }
}

/** On failure the temporary folder is removed too; keep its *.log files beside it. */
export function keepLogs(): void {
  const logs = ['app.log', 'floor.log', 'floor-minimal.log', 'worker.log'].filter((name) =>
    existsSync(path.join(dataDir, name)),
  );
  if (logs.length === 0) return;
  const dest = mkdtempSync(path.join(os.tmpdir(), 'etl-bench-logs-'));
  for (const name of logs) writeFileSync(path.join(dest, name), readFileSync(path.join(dataDir, name)));
  console.error(`[bench] copied the logs of the processes it started to ${dest}`);
}

/** Runs a phase: on failure keeps the logs; always stops everything and exits with its status. */
export function runMain(main: () => Promise<void>): void {
  onInterrupt();
  main()
    .catch((error) => {
      if (!state.interrupted) {
        console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
        keepLogs();
      }
      process.exitCode = 1;
    })
    .finally(async () => {
      if (!state.interrupted) await cleanup();
      if (!state.interrupted) process.exit(process.exitCode ?? 0);
    });
}
