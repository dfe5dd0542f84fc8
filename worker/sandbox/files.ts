import { chownSync, lstatSync, mkdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataDir } from '../../server/config';
import { SLIRP_DNS } from './network';
import { seccompArch, seccompFilter } from './seccomp';

// The files a run needs from the worker: the seccomp filter and resolv.conf bwrap is given, and without
// a sandbox, the run's folder on disk.

const PROJECT_DIR = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

/** Per worker: the folder of the runs' files (filter, resolv.conf; run folders without a sandbox). */
const roots = new Map<string, Promise<string>>();
export function runsRoot(mode: 'bubblewrap' | 'none', uid: number | null): Promise<string> {
  // Without bubblewrap the run's uid must reach its folder, and DATA_DIR may be closed to it: a fresh
  // folder (mkdtemp: no one can have put a symlink there) in the system's temporary folder instead.
  const key = mode === 'none' && uid !== null ? '' : path.join(dataDir(), 'runs');
  let root = roots.get(key);
  if (!root) {
    root = (async () => {
      const dir = key || (await mkdtemp(path.join(tmpdir(), 'etl-runs-')));
      await mkdir(dir, { recursive: true });
      await chmod(dir, 0o711); // others may pass through to their own folder, not list the rest
      if (key) {
        const arch = seccompArch();
        if (arch) writeFileSync(path.join(dir, 'seccomp.bpf'), seccompFilter(arch), { mode: 0o644 });
        writeFileSync(path.join(dir, 'resolv.conf'), `nameserver ${SLIRP_DNS}\n`, { mode: 0o644 });
      }
      return dir;
    })();
    root.catch(() => roots.delete(key)); // tried again by the next run
    roots.set(key, root);
  }
  return root;
}

/** Without a sandbox: the run's folder on disk, writable by the run's uid only. */
export async function makeWorkDir(runId: string, uid: number | null): Promise<string> {
  const dir = path.join(await runsRoot('none', uid), runId);
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

export const hiddenDirs = () => [...new Set([dataDir(), PROJECT_DIR])];
export const inside = (file: string, dir: string) => file === dir || file.startsWith(`${dir}/`);
export const VISIBLE = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/** System folders that are symlinks on this host (merged /usr), so the sandbox has the same links. */
let systemLinks: Record<string, string> | undefined;
export function symlinks(): Record<string, string> {
  systemLinks ??= Object.fromEntries(
    VISIBLE.flatMap((dir) => {
      try {
        return lstatSync(dir).isSymbolicLink() ? [[dir, readlinkSync(dir)]] : [];
      } catch {
        return [];
      }
    }),
  );
  return systemLinks;
}
