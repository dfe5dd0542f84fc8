import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaClient } from './generated/client';
import { newPool } from './pool';

export * from './generated/client';

// One pool per process, shared by Prisma and the few hot statements written in SQL. Kept on
// globalThis so Next's dev reloads do not open new pools.
const globalForDb = globalThis as unknown as { __pool?: pg.Pool; __prisma?: PrismaClient };

export const pool: pg.Pool = (globalForDb.__pool ??= newPool(process.env.DATABASE_URL, {
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  // Fail fast while the database is down or frozen instead of hanging: the API answers 503 within 10 s.
  queryTimeout: 8_000,
}));

export const db: PrismaClient = (globalForDb.__prisma ??= new PrismaClient({
  adapter: new PrismaPg(pool as never),
}));
