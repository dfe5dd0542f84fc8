import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from '../server/config';
import { applyMigrations } from '../server/db/migrate';
import { ensureSecretsEnv } from '../server/keys/keyring';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../server/runtime/embedded-postgres';

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

/**
 * Everything the web server and workers need before they start: the database (embedded unless
 * DATABASE_URL is set), its migrations, the signing secrets and the session secret. Sets them in
 * process.env so the processes started next inherit them.
 */
export async function prepare(log: (line: string) => void): Promise<EmbeddedDatabase> {
  let database: EmbeddedDatabase;
  if (process.env.DATABASE_URL) {
    database = { url: process.env.DATABASE_URL, stop: async () => {}, startedHere: false };
  } else {
    database = await startEmbeddedPostgres(dataDir(), (line) => process.env.DEBUG_POSTGRES && log(`postgres: ${line}`));
    process.env.DATABASE_URL = database.url;
    log(database.startedHere ? `embedded PostgreSQL started (data in ${path.join(dataDir(), 'postgres')})` : 'reusing the embedded PostgreSQL that is already running');
  }
  const applied = await applyMigrations(database.url);
  if (applied.length) log(`migrations applied: ${applied.join(', ')}`);
  ensureSecretsEnv(dataDir());
  keptSecret('NEXTAUTH_SECRET', 'session-secret');
  return database;
}
