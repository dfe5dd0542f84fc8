// npm run db:migrate: applies prisma/migrations (and the queue's schema) to the database.
import { applyMigrations } from '../server/db/migrate';
import { openDatabase } from './db-target';

const database = await openDatabase();
try {
  const applied = await applyMigrations(database.url);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
} finally {
  await database.stop();
}
