import type pg from 'pg';
import { processWide } from '../runtime/process-wide';
import { newPool } from './pool';

// One pool per process (process-wide.ts), shared by Prisma and the few hot statements written in SQL,
// however many copies of this module the process evaluates (Next's registries, dev reloads). Apart from
// index.ts so that code needing only SQL (scripts/web.ts's queue gauges) does not load the Prisma client.
export const pool: pg.Pool = processWide('db-pool', () =>
  newPool(process.env.DATABASE_URL, {
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    // Fail fast while the database is down or frozen instead of hanging: the API answers 503 within 10 s.
    queryTimeout: 8_000,
  }),
);
