import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freezePostmaster, thawPostmaster } from '../../testkit/proc-fs';
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

/** Stops the postmaster and every backend; returns the pids to thaw. */
export function freezePostgres(): number[] {
  return freezePostmaster(postmasterPid());
}

export function thawPostgres(pids: number[]): void {
  thawPostmaster(pids);
}
