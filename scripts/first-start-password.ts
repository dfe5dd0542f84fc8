// The owner's password generated on the first start is a secret: it never goes into a log line (logs
// are collected, shipped and kept). At a terminal it is written to the terminal itself; otherwise into
// a file only this user can read, in DATA_DIR, and the log names the file.
import { writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';

export const PASSWORD_FILE = 'first-start-password';

interface Terminal {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Tells the operator how to sign in the first time; the password reaches the terminal or a 0600 file only. */
export function announceFirstStart(
  seed: { email: string; generatedPassword?: string },
  where: { publicUrl: string; dataDir: string; log: (line: string) => void; terminal?: Terminal },
): void {
  const { publicUrl, dataDir, log, terminal = process.stdout } = where;
  log(`first start: sign in at ${publicUrl}/login as ${seed.email}`);
  if (!seed.generatedPassword) return;
  if (terminal.isTTY) {
    terminal.write(
      `[start] with the password ${seed.generatedPassword}  (shown once, not logged; set ADMIN_PASSWORD to choose it)\n`,
    );
    return;
  }
  const file = path.join(dataDir, PASSWORD_FILE);
  rmSync(file, { force: true }); // a new file, so its mode is ours whatever an old one had
  writeFileSync(file, `${seed.generatedPassword}\n`, { mode: 0o600, flag: 'wx' });
  log(`with the password in ${file} (readable by this user only; delete it once you have signed in)`);
}
