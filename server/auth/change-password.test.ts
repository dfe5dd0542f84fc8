// Integration: changing the password checks the current one, and wrong guesses at it are throttled per
// account (a session left open cannot be used to find the password by trying).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { applyMigrations } from '../db/migrate';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../runtime/embedded-postgres';

let dir: string;
let database: EmbeddedDatabase;
let m: typeof import('../db');
let change: typeof import('./change-password');
let policy: (typeof import('./sign-in-throttle'))['SIGN_IN_POLICY'];
const PASSWORD = 'the-current-password';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'change-password-test-'));
  database = await startEmbeddedPostgres(dir);
  await applyMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  m = await import('../db');
  change = await import('./change-password');
  policy = (await import('./sign-in-throttle')).SIGN_IN_POLICY;
});
afterAll(async () => {
  await m?.db.$disconnect();
  await m?.pool.end();
  await database?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function account(email: string) {
  const { hashPassword } = await import('./password');
  const { startSession } = await import('./user-session');
  const user = await m.db.user.create({ data: { email, passwordHash: await hashPassword(PASSWORD) } });
  return { userId: user.id, sessionId: await startSession(user.id) };
}

const attempt = (who: { userId: string; sessionId: string }, currentPassword: string) =>
  change
    .changePassword(who.userId, who.sessionId, {
      currentPassword,
      newPassword: 'a-brand-new-password',
      confirmPassword: 'a-brand-new-password',
    })
    .then(
      () => 'changed',
      (error: { code?: string; headers?: Record<string, string> }) =>
        error.code === 'rate_limited'
          ? `wait ${error.headers?.['Retry-After']}`
          : (error.code ?? String(error)),
    );

test('wrong current passwords are throttled per account; the right one waits too, another account does not', async () => {
  const victim = await account('victim@demo.test');
  const other = await account('other@demo.test');
  const results: string[] = [];
  for (let i = 0; i < policy.password.free; i++) results.push(await attempt(victim, `guess-${i}`));
  expect(results.every((r) => r === 'validation_failed')).toBe(true);
  expect(await attempt(victim, 'one-more-guess')).toMatch(/^wait \d+$/);
  expect(await attempt(victim, PASSWORD)).toMatch(/^wait \d+$/);
  expect(await attempt(other, PASSWORD)).toBe('changed');
});

test('parallel guesses cannot slip past the counter', async () => {
  const victim = await account('parallel@demo.test');
  const results = await Promise.all(Array.from({ length: 15 }, (_, i) => attempt(victim, `guess-${i}`)));
  expect(results.filter((r) => r === 'validation_failed')).toHaveLength(policy.password.free);
});
