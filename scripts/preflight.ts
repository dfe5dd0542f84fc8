// What must hold before npm start does anything: each check ends a failed start with one sentence.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { StartupError } from '../server/runtime/startup-error';

/** DATA_DIR exists (or can be made) and takes a file. */
export function checkDataDir(dir: string): void {
  const probe = path.join(dir, `.write-test-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new StartupError(
      `DATA_DIR ${dir} is not writable (${code}): set DATA_DIR to a folder this user (uid ${process.getuid?.()}) can write, or fix its permissions.`,
    );
  }
}

export function portFree(port: number, host: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const probe = createServer().once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/** A second server on the same port would answer our health checks and hide the failure: refuse early. */
export async function checkPort(port: number, host: string): Promise<void> {
  if (!(await portFree(port, host))) {
    throw new StartupError(
      `port ${port} is in use: is another npm start running? Stop it, or choose another PORT.`,
    );
  }
}
