// npm run db:migration -- <name>: writes prisma/migrations/<timestamp>_<name>/migration.sql by applying
// the existing migrations to a throwaway embedded database and diffing it against schema.prisma.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations, pendingSchemaSql } from '../server/db/migrate';
import { startEmbeddedPostgres } from '../server/runtime/embedded-postgres';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name>   (lower case letters, digits and _)');
  process.exit(2);
}
const scratch = mkdtempSync(path.join(os.tmpdir(), 'etl-migration-'));
const database = await startEmbeddedPostgres(scratch);
try {
  await applyMigrations(database.url);
  const sql = await pendingSchemaSql(database.url);
  if (!sql) {
    console.log('schema.prisma and the migrations agree: nothing to write');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join('prisma', 'migrations', `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'migration.sql'), sql);
    writeFileSync(path.join('prisma', 'migrations', 'migration_lock.toml'), 'provider = "postgresql"\n');
    console.log(`wrote ${dir}/migration.sql`);
  }
} finally {
  await database.stop();
  rmSync(scratch, { recursive: true, force: true });
}
