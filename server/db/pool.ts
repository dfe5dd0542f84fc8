import pg from 'pg';

// Every database connection of the app is made here (and by Prisma, on a pool made here).

export interface PoolOptions {
  max?: number;
  /** Per-statement limit in ms; unset: none. */
  queryTimeout?: number;
}

/**
 * A pool whose idle connections may be lost (a database restart) without crashing the process:
 * pg drops such a connection and the next query opens a new one.
 */
export function newPool(connectionString: string | undefined, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    // Prisma's DateTime columns hold UTC without a zone; column defaults (now()) must agree.
    options: '-c TimeZone=UTC',
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    query_timeout: options.queryTimeout,
  });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** One connection, for setup work (roles, grants, checks); the caller ends it. */
export function newClient(connectionString: string): pg.Client {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  return client;
}
