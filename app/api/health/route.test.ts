// The launcher's readiness probe (GET /api/health) answers from the pool without making a Prisma client:
// a web process that serves only the job API never loads Prisma's query compiler (~40-70 MiB of RSS).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { processWideNames } from '@/server/runtime/process-wide';
import { startEmbeddedPostgres } from '@/server/runtime/embedded-postgres';

let dir: string;
let stop: () => Promise<void>;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'health-test-'));
  const pg = await startEmbeddedPostgres(dir);
  stop = pg.stop;
  process.env.DATABASE_URL = pg.url;
});
afterAll(async () => {
  await stop?.();
  await rm(dir, { recursive: true, force: true });
});

it('answers 200 from the database, and no Prisma client was made', async () => {
  const { GET } = await import('./route');
  const res = await GET();
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });
  expect(processWideNames()).toContain('db-pool');
  expect(processWideNames()).not.toContain('prisma');
});
