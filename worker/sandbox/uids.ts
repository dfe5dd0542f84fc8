import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

// A uid of its own for each running run (root worker), so per-uid limits (RLIMIT_NPROC) and signals
// never cross runs. Unique across every worker on the host: a run holds a lock file named by its uid,
// holding the worker's pid; a lock whose worker is gone is taken over.

/** Host-wide: every worker on the machine shares it (tmpfs: cleared at boot). */
export const UID_LOCK_DIR = '/run/etl-run-uids';

const held = new Set<number>();

function ownerAlive(file: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(file, 'utf8'));
  } catch {
    return true; // being written, or just released: not ours to take
  }
  if (!pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryLock(dir: string, uid: number): boolean {
  const file = path.join(dir, String(uid));
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (ownerAlive(file)) return false;
    // Left by a worker that died: moved aside first, so two workers never both take it over.
    const aside = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, aside);
      if (ownerAlive(aside)) {
        renameSync(aside, file); // another worker took it over meanwhile: its lock goes back
        return false;
      }
      unlinkSync(aside);
    } catch {
      return false;
    }
  }
  return false;
}

/** Takes a free uid of [first, last]; null when every one is in use. */
export function allocateUid(range: [number, number], dir = UID_LOCK_DIR): number | null {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const [first, last] = range;
  const size = last - first + 1;
  const start = Math.floor(Math.random() * size); // workers rarely meet on the same uids
  for (let i = 0; i < size; i++) {
    const uid = first + ((start + i) % size);
    if (held.has(uid)) continue;
    if (tryLock(dir, uid)) {
      held.add(uid);
      return uid;
    }
  }
  return null;
}

/** Gives the uid back once none of the run's processes is left. */
export function releaseUid(uid: number, dir = UID_LOCK_DIR): void {
  held.delete(uid);
  try {
    unlinkSync(path.join(dir, String(uid)));
  } catch {
    // already gone
  }
}
