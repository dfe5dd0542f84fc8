import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';
import { processWide } from '../runtime/process-wide';
import { pool } from './app-pool';

export * from './generated/client';
export { pool };

// One Prisma client per process on the one pool (process-wide.ts).
export const db: PrismaClient = processWide(
  'prisma',
  () => new PrismaClient({ adapter: new PrismaPg(pool as never) }),
);
