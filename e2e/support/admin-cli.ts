import { execFile } from 'node:child_process';
import { E2E_DATA_DIR, ROOT } from './env';

export interface CliResult {
  stdout: string;
  stderr: string;
  /** The last non-empty line of stdout (the token of `key create`). */
  lastLine: string;
}

/**
 * `npm run -s admin -- <args>` against the e2e app's embedded database (DATA_DIR=.data-e2e).
 * Rejects with the CLI's output when it exits non-zero. About 3 s a call (tsx startup): call it from
 * the global setup, not per test.
 */
export function adminCli(args: string[]): Promise<CliResult> {
  // The CLI takes passwords from stdin only: `--password <p>` here is sent that way (--password-stdin).
  const at = args.indexOf('--password');
  const password = at >= 0 ? args[at + 1] : undefined;
  const argv = at >= 0 ? [...args.slice(0, at), '--password-stdin', ...args.slice(at + 2)] : args;
  return new Promise((resolve, reject) => {
    const child = execFile(
      'npm',
      ['run', '-s', 'admin', '--', ...argv],
      {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: E2E_DATA_DIR },
        timeout: 120_000,
        maxBuffer: 10 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `admin ${args.join(' ')} failed: ${error.message}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
            ),
          );
          return;
        }
        const lines = stdout
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
        resolve({ stdout, stderr, lastLine: lines.at(-1) ?? '' });
      },
    );
    child.stdin?.end(password === undefined ? '' : `${password}\n`);
  });
}

/** `key create` for the demo organisation's owner (or another org/owner); returns the token. */
export async function createKey(options: {
  name: string;
  org?: string;
  owner?: string;
  selector?: string;
  type?: 'personal' | 'functional';
  expires?: string;
  jobs?: string[];
  fields?: Record<string, string>;
  rateLimit?: number;
}): Promise<string> {
  const args = [
    'key',
    'create',
    '--org',
    options.org ?? 'demo',
    '--owner',
    options.owner ?? 'admin@example.com',
    '--name',
    options.name,
    '--selector',
    options.selector ?? options.name,
  ];
  if (options.type) args.push('--type', options.type);
  if (options.expires) args.push('--expires', options.expires);
  if (options.jobs?.length) args.push('--jobs', options.jobs.join(','));
  for (const [name, value] of Object.entries(options.fields ?? {})) args.push('--field', `${name}=${value}`);
  if (options.rateLimit !== undefined) args.push('--rate-limit', String(options.rateLimit));
  const { lastLine } = await adminCli(args);
  if (lastLine.split('.').length !== 3)
    throw new Error(`key create did not print a token on its last line: ${lastLine}`);
  return lastLine;
}
