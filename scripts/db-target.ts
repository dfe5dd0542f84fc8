import { dataDir } from '../server/config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../server/runtime/embedded-postgres';

/**
 * The database a command-line tool works on: DATABASE_URL, or the embedded database of DATA_DIR
 * (reused when the app is running, started for the command's lifetime when it is not).
 */
export async function openDatabase(): Promise<EmbeddedDatabase> {
  if (process.env.DATABASE_URL)
    return { url: process.env.DATABASE_URL, stop: async () => {}, startedHere: false };
  const embedded = await startEmbeddedPostgres(dataDir());
  process.env.DATABASE_URL = embedded.url;
  return embedded;
}
