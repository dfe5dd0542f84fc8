// Checks a database before the start relies on it, so a wrong DATABASE_URL ends in one clear sentence.
import { newClient } from './pool';
import { roleOf } from './roles';
import { databaseProblem, StartupError } from '../runtime/startup-error';

export interface DatabaseFacts {
  user: string;
  superuser: boolean;
  /** May create tables in public and (when the queue's schema is missing) schemas: what migrations need. */
  canMigrate: boolean;
}

/** Connects as `url` and reads who that is; any failure becomes a StartupError naming `name`. */
export async function inspectDatabase(url: string, name = 'DATABASE_URL'): Promise<DatabaseFacts> {
  const client = newClient(url);
  try {
    await client.connect();
    const { rows } = await client.query(
      `select current_user as "user", r.rolsuper as superuser,
              has_schema_privilege('public', 'CREATE')
              and (to_regnamespace('graphile_worker') is not null or has_database_privilege(current_database(), 'CREATE')) as "canMigrate"
       from pg_roles r where r.rolname = current_user`,
    );
    return rows[0] as DatabaseFacts;
  } catch (error) {
    throw databaseProblem(error, url, name);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The owner's URL must be able to run migrations; the web's and worker's must at least connect. */
export async function checkDatabases(urls: { owner: string; web?: string; worker?: string }): Promise<void> {
  const owner = await inspectDatabase(urls.owner);
  if (!owner.canMigrate) {
    const database = new URL(urls.owner).pathname.slice(1);
    throw new StartupError(
      `the user "${owner.user}" may not create tables in database "${database}": DATABASE_URL must name the database's owner (or a role with CREATE on it and on its schema public), see "External PostgreSQL" in the README.`,
    );
  }
  if (urls.web && roleOf(urls.web) !== owner.user) await inspectDatabase(urls.web, 'DATABASE_URL_WEB');
  if (urls.worker && roleOf(urls.worker) !== owner.user)
    await inspectDatabase(urls.worker, 'DATABASE_URL_WORKER');
}
