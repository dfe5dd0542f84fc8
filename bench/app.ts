// The app as the benches start it: the launcher (`npm start`) from a private copy of the build, worker off,
// in its own DATA_DIR, and the database URL and key secrets it leaves there.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isolatedEnv, startService, type Proc } from '../testkit/processes';

/** Starts the launcher from `appRoot` on `port` with its data in `dataDir`; resolves once it is ready. */
export function startBenchApp(
  appRoot: string,
  port: number,
  dataDir: string,
  extra: Record<string, string> = {},
): Promise<Proc> {
  return startService('app (npm start)', ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: appRoot,
    env: isolatedEnv({
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      START_WORKER: 'false',
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      ADMIN_EMAIL: 'bench@example.com',
      ADMIN_PASSWORD: randomBytes(12).toString('base64url'),
      ...extra,
    }),
    logFile: path.join(dataDir, 'app.log'),
    ready: /\[start\] ready in/,
    timeoutMs: 180_000,
  });
}

/** The embedded database's owner URL and the API key secrets, as the launcher left them in `dataDir`. */
export function databaseIn(dataDir: string): { databaseUrl: string; secrets: string } {
  const { password } = JSON.parse(readFileSync(path.join(dataDir, 'postgres.json'), 'utf8'));
  const pgPort = Number(
    readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3],
  );
  return {
    databaseUrl: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/etl`,
    secrets: readFileSync(path.join(dataDir, 'api-key-secrets'), 'utf8').trim(),
  };
}
