import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from '../server/config';
import { ensureConnectionKeys } from '../server/connections/keys';
import { applyMigrations } from '../server/db/migrate';
import { checkDatabases } from '../server/db/preflight';
import { applyGrants } from '../server/db/roles';
import { ensureSecretsEnv } from '../server/keys/keyring';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../server/runtime/embedded-postgres';
import { databaseProblem, StartupError } from '../server/runtime/startup-error';

/** A secret kept in DATA_DIR (mode 0600), generated on first use, unless the environment gives it. */
function keptSecret(name: string, file: string): string {
  if (process.env[name]) return process.env[name]!;
  const full = path.join(dataDir(), file);
  if (!existsSync(full)) {
    mkdirSync(dataDir(), { recursive: true });
    writeFileSync(full, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return (process.env[name] = readFileSync(full, 'utf8').trim());
}

export interface Prepared {
  database: EmbeddedDatabase;
  /** What the web server and the worker connect as (the owner's URL when no role of their own is given). */
  webUrl: string;
  workerUrl: string;
}

/**
 * Everything the web server and workers need before they start: the database (embedded unless
 * DATABASE_URL is set), its migrations and the roles' grants (run as the owner), the signing secrets
 * and the session secret, set in process.env.
 */
export async function prepare(log: (line: string) => void): Promise<Prepared> {
  let database: EmbeddedDatabase;
  if (process.env.DATABASE_URL) {
    const { DATABASE_URL: url, DATABASE_URL_WEB: webUrl, DATABASE_URL_WORKER: workerUrl } = process.env;
    database = { url, webUrl, workerUrl, stop: async () => {}, startedHere: false };
    await checkDatabases({ owner: url, web: webUrl, worker: workerUrl });
  } else {
    database = await startEmbeddedPostgres(
      dataDir(),
      (line) => process.env.DEBUG_POSTGRES && log(`postgres: ${line}`),
    );
    process.env.DATABASE_URL = database.url;
    log(
      database.startedHere
        ? `embedded PostgreSQL started (data in ${database.dataFolder})`
        : 'reusing the embedded PostgreSQL that is already running',
    );
  }
  try {
    const applied = await applyMigrations(database.url);
    if (applied.length) log(`migrations applied: ${applied.join(', ')}`);
    await applyGrants(database.url, { web: database.webUrl, worker: database.workerUrl });
  } catch (error) {
    if (error instanceof StartupError) throw error;
    throw databaseProblem(error, database.url);
  }
  try {
    ensureSecretsEnv(dataDir());
  } catch (error) {
    throw new StartupError(
      `${(error as Error).message}: correct API_KEY_SECRETS or unset it to use the one kept in DATA_DIR.`,
    );
  }
  keptSecret('NEXTAUTH_SECRET', 'session-secret');
  ensureConnectionKeys(); // DATA_DIR/connections: the web reads public.pem, only workers worker/*.pem
  return { database, webUrl: database.webUrl ?? database.url, workerUrl: database.workerUrl ?? database.url };
}
