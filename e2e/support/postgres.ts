import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { E2E_DATA_DIR, ROOT } from './env';

// Freezing the e2e app's embedded Postgres (SIGSTOP) and thawing it (SIGCONT): the database becomes
// unreachable without anything being lost, and comes back as it was. Only the postmaster named by
// .data-e2e/postgres/postmaster.pid and its own children are touched.

function postmasterPid(): number {
  const file = path.join(ROOT, E2E_DATA_DIR, 'postgres', 'postmaster.pid');
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 1) throw new Error(`no postmaster pid in ${file}`);
  return pid;
}

function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return children;
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Stops the postmaster and every backend; returns the pids to thaw. */
export function freezePostgres(): number[] {
  const postmaster = postmasterPid();
  signalAll([postmaster], 'SIGSTOP');
  const pids = [postmaster, ...childrenOf(postmaster)];
  signalAll(pids, 'SIGSTOP');
  return pids;
}

export function thawPostgres(pids: number[]): void {
  signalAll([...pids].reverse(), 'SIGCONT');
}
