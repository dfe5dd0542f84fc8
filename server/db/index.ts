import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client';

export * from './generated/client';

// One pool per process, shared by Prisma and the few hot statements written in SQL. Kept on
// globalThis so Next's dev reloads do not open new pools.
const globalForDb = globalThis as unknown as { __pool?: pg.Pool; __prisma?: PrismaClient };

export const pool: pg.Pool = (globalForDb.__pool ??= new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  // Prisma's DateTime columns hold UTC without a zone; column defaults (now()) must agree.
  options: '-c TimeZone=UTC',
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  connectionTimeoutMillis: 5_000,
  // Fail fast while the database is down or frozen instead of hanging: the API answers 503 within 10 s.
  query_timeout: 8_000,
}));
// An idle client losing its connection (database restart) must not crash the process.
if (pool.listenerCount('error') === 0) pool.on('error', () => {});

export const db: PrismaClient = (globalForDb.__prisma ??= new PrismaClient({ adapter: new PrismaPg(pool as never) }));
