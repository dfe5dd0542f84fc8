// Integration: failed sign-ins are counted per account and per address in Postgres; successes are not.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { applyMigrations } from '../db/migrate';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../runtime/embedded-postgres';

let dir: string;
let database: EmbeddedDatabase;
let throttle: typeof import('./sign-in-throttle');
let pool: typeof import('../db')['pool'];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'throttle-test-'));
  database = await startEmbeddedPostgres(dir);
  await applyMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  throttle = await import('./sign-in-throttle');
  pool = (await import('../db')).pool;
});
afterAll(async () => {
  await pool?.end();
  await database?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('an account is blocked after 10 failures in a minute, whatever the address; other accounts are not', async () => {
  for (let i = 0; i < 9; i++) await throttle.noteFailedSignIn('Ada@Example.com', `10.0.0.${i}`);
  expect(await throttle.signInBlocked('ada@example.com', '10.0.0.99')).toBe(false);
  await throttle.noteFailedSignIn('ada@example.com', '10.0.0.9');
  expect(await throttle.signInBlocked('ada@example.com', '10.0.0.99')).toBe(true);
  expect(await throttle.signInBlocked('grace@example.com', '10.0.0.99')).toBe(false);
});

test('an address is blocked after 30 failures in a minute across accounts', async () => {
  for (let i = 0; i < 30; i++) await throttle.noteFailedSignIn(`user${i}@example.com`, '192.0.2.7');
  expect(await throttle.signInBlocked('someone-new@example.com', '192.0.2.7')).toBe(true);
  expect(await throttle.signInBlocked('someone-new@example.com', '192.0.2.8')).toBe(false);
});
