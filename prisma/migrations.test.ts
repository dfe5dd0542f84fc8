import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { applyMigrations, pendingSchemaSql } from '../server/db/migrate';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../server/runtime/embedded-postgres';

let dir: string;
let database: EmbeddedDatabase;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'migrations-test-'));
  database = await startEmbeddedPostgres(dir);
});
afterAll(async () => {
  await database?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('the migrations build exactly the database schema.prisma describes', async () => {
  const applied = await applyMigrations(database.url);
  expect(applied.length).toBeGreaterThan(0);
  // A change to schema.prisma without `npm run db:migration -- <name>` shows up here as SQL.
  expect(await pendingSchemaSql(database.url)).toBe('');
});

test('applying again applies nothing', async () => {
  expect(await applyMigrations(database.url)).toEqual([]);
});

test('the start function queues the task the worker runs', async () => {
  const { newClient } = await import('../server/db/pool');
  const { EXECUTE_RUN_TASK } = await import('../server/runs/queue');
  const client = newClient(database.url);
  await client.connect();
  try {
    const source = async (name: string) => {
      const { rows } = await client.query<{ prosrc: string }>(
        `select prosrc from pg_proc where proname = $1`,
        [name],
      );
      expect(rows).toHaveLength(1);
      return rows[0].prosrc;
    };
    // etl_start_runs queues through etl_enqueue_runs, which sets each entry's fair-share priority.
    expect(await source('etl_start_runs')).toContain('etl_enqueue_runs(');
    expect(await source('etl_enqueue_runs')).toContain(`'${EXECUTE_RUN_TASK}'`);
    // The positional etl_start_run it replaced is gone, so nothing can keep calling it.
    const old = await client.query(`select 1 from pg_proc where proname = 'etl_start_run'`);
    expect(old.rowCount).toBe(0);
  } finally {
    await client.end();
  }
});
