// Integration: next-auth's own session endpoint (/api/auth/session), as the browser's client asks it,
// answers a cookie whose server-side session has ended (sign-out, "sign out everywhere", a password
// change) with no session, as the console's pages do.
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { applyMigrations } from '../db/migrate';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../runtime/embedded-postgres';

let dir: string;
let database: EmbeddedDatabase;
let m: typeof import('../db');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'session-endpoint-test-'));
  database = await startEmbeddedPostgres(dir);
  await applyMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  process.env.NEXTAUTH_URL = 'http://localhost:3000';
  m = await import('../db');
});
afterAll(async () => {
  await m?.db.$disconnect();
  await m?.pool.end();
  await database?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** GET /api/auth/session with this session cookie, through next-auth's handler and the app's options. */
async function sessionEndpoint(cookie: string) {
  // next-auth's core handler, which its route handler and getServerSession both call (not in its exports map).
  const { AuthHandler } = createRequire(import.meta.url)(
    path.resolve('node_modules/next-auth/core/index.js'),
  ) as {
    AuthHandler(params: { req: Request; options: unknown }): Promise<{
      body?: unknown;
      cookies?: { name: string; value: string }[];
    }>;
  };
  const { authOptions } = await import('./options');
  const answer = await AuthHandler({
    req: new Request('http://localhost:3000/api/auth/session', {
      headers: { cookie: `next-auth.session-token=${cookie}` },
    }),
    options: authOptions,
  });
  return {
    body: answer.body as { user?: { email?: string } },
    cleared: (answer.cookies ?? []).some((c) => c.name === 'next-auth.session-token' && c.value === ''),
  };
}

test('a signed-out cookie gets no session from /api/auth/session, and the cookie is cleared', async () => {
  const { encode } = await import('next-auth/jwt');
  const { authSecret } = await import('./secret');
  const { startSession, endSession, endUserSessions } = await import('./user-session');
  const user = await m.db.user.create({ data: { email: 'session@demo.test', passwordHash: 'x' } });
  const cookieFor = async (sid: string) =>
    encode({ secret: authSecret()!, token: { sub: user.id, email: user.email, name: null, sid } });

  const sid = await startSession(user.id);
  const cookie = await cookieFor(sid);
  expect((await sessionEndpoint(cookie)).body.user?.email).toBe('session@demo.test');

  await endSession(sid); // signed out: the cookie is a copy of an ended session
  const after = await sessionEndpoint(cookie);
  expect(after.body.user).toBeUndefined();
  expect(after.cleared).toBe(true);

  // "Sign out everywhere" ends the others the same way; a session id that never existed gets nothing.
  const other = await cookieFor(await startSession(user.id));
  expect((await sessionEndpoint(other)).body.user?.email).toBe('session@demo.test');
  await endUserSessions(user.id);
  expect((await sessionEndpoint(other)).body.user).toBeUndefined();
  expect((await sessionEndpoint(await cookieFor(crypto.randomUUID()))).body.user).toBeUndefined();
  // The row is deleted (the user removed): nothing either.
  const third = await startSession(user.id);
  const thirdCookie = await cookieFor(third);
  await m.db.userSession.delete({ where: { id: third } });
  expect((await sessionEndpoint(thirdCookie)).body.user).toBeUndefined();
});
