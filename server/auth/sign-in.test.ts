// Integration: sign-in looks emails up by equality (no wildcards), and failures count per account and
// per address in Postgres with a growing delay.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { applyMigrations } from '../db/migrate';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../runtime/embedded-postgres';

let dir: string;
let database: EmbeddedDatabase;
let signIn: typeof import('./sign-in');
let SIGN_IN_POLICY: (typeof import('./sign-in-throttle'))['SIGN_IN_POLICY'];
let waitMs: (typeof import('./sign-in-throttle'))['waitMs'];
let m: typeof import('../db');
const PASSWORD = 'editor-password-123';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sign-in-test-'));
  database = await startEmbeddedPostgres(dir);
  await applyMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  m = await import('../db');
  signIn = await import('./sign-in');
  ({ SIGN_IN_POLICY, waitMs } = await import('./sign-in-throttle'));
  const { hashPassword } = await import('./password');
  await m.db.user.create({ data: { email: 'editor@demo.test', passwordHash: await hashPassword(PASSWORD) } });
});
afterAll(async () => {
  await m?.db.$disconnect();
  await m?.pool.end();
  await database?.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await m.pool.query('delete from "SignInFailure"');
});

const attempt = async (email: string, password = PASSWORD, ip: string | null = '192.0.2.1') => {
  try {
    return (await signIn.signInWithPassword({ email, password }, ip))?.email ?? 'refused';
  } catch (error) {
    return error instanceof signIn.TooManyAttempts ? 'wait' : String(error);
  }
};

test('wildcard spellings do not sign in as editor@demo.test; other spellings of the same address do', async () => {
  expect(await attempt('edito_@demo.test')).toBe('refused');
  expect(await attempt('______@demo.test')).toBe('refused');
  expect(await attempt('%@demo.test')).toBe('refused');
  expect(await attempt('  Editor@DEMO.test ')).toBe('editor@demo.test');
});

test('the database refuses an email that is not normalised', async () => {
  await expect(m.db.user.create({ data: { email: 'Grace@Demo.test', passwordHash: 'x' } })).rejects.toThrow();
});

test('every spelling of an account shares one counter, and it backs off instead of locking out', async () => {
  const spellings = [
    'editor@demo.test',
    'EDITOR@demo.test',
    ' editor@Demo.Test',
    'Editor@demo.test',
    'editor@DEMO.TEST',
  ];
  // Each from a different address: the account's counter alone decides.
  for (const [i, email] of spellings.entries())
    expect(await attempt(email, 'wrong-password', `198.51.100.${i}`)).toBe('refused');
  // The sixth attempt, even with the right password, must wait (about a second)...
  expect(await attempt('eDitor@demo.test', PASSWORD, '198.51.100.99')).toBe('wait');
  // ...and not for long: the owner gets in after the delay, which clears the count.
  await new Promise((r) => setTimeout(r, SIGN_IN_POLICY.account.baseMs * 2 + 100));
  expect(await attempt('editor@demo.test', PASSWORD, '198.51.100.99')).toBe('editor@demo.test');
  expect(await attempt('editor@demo.test', PASSWORD, '198.51.100.99')).toBe('editor@demo.test');
});

test('parallel guesses cannot slip past the counter', async () => {
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => attempt('editor@demo.test', `guess-${i}`, `198.18.0.${i}`)),
  );
  expect(results.filter((r) => r === 'refused')).toHaveLength(SIGN_IN_POLICY.account.free);
  expect(results.filter((r) => r === 'wait')).toHaveLength(20 - SIGN_IN_POLICY.account.free);
});

test('an address that fails across many accounts must wait too', async () => {
  for (let i = 0; i < SIGN_IN_POLICY.address.free + 1; i++)
    await attempt(`user${i}@demo.test`, 'x', '203.0.113.7');
  expect(await attempt('editor@demo.test', PASSWORD, '203.0.113.7')).toBe('wait');
  expect(await attempt('editor@demo.test', PASSWORD, '203.0.113.8')).toBe('editor@demo.test');
});

describe('the address limit behind the sign-in form (next-auth authorize)', () => {
  type Authorize = (
    credentials: Record<string, string>,
    req: { headers: Record<string, string> },
  ) => Promise<unknown>;
  let authorize: Authorize;
  beforeAll(async () => {
    const { authOptions } = await import('./options');
    authorize = (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options
      .authorize;
  });
  const tryFrom = async (headers: Record<string, string>, i: number) => {
    try {
      return (await authorize({ email: `nobody${i}@demo.test`, password: 'x' }, { headers }))
        ? 'in'
        : 'refused';
    } catch (error) {
      return (error as Error).message === 'TooManyAttempts' ? 'wait' : String(error);
    }
  };

  test('without TRUST_PROXY, rotating X-Forwarded-For does not reset the limit of the socket address', async () => {
    delete process.env.TRUST_PROXY;
    const results: string[] = [];
    for (let i = 0; i <= SIGN_IN_POLICY.address.free; i++) {
      results.push(
        await tryFrom({ 'x-etl-socket-address': '192.0.2.50', 'x-forwarded-for': `10.9.${i}.1` }, i),
      );
    }
    expect(results.at(-1)).toBe('wait');
    expect(results.slice(0, SIGN_IN_POLICY.address.free).every((r) => r === 'refused')).toBe(true);
  });

  test('with TRUST_PROXY=1 the last hop is the client: the proxy itself is not limited as one address', async () => {
    process.env.TRUST_PROXY = '1';
    try {
      for (let i = 0; i < SIGN_IN_POLICY.address.free; i++)
        await tryFrom(
          { 'x-etl-socket-address': '10.0.0.2', 'x-forwarded-for': `6.6.6.6, 198.51.100.${i}` },
          i,
        );
      // The same client address, whatever it writes first, waits; another client behind the proxy does not.
      expect(
        await tryFrom(
          { 'x-etl-socket-address': '10.0.0.2', 'x-forwarded-for': '7.7.7.7, 198.51.100.0' },
          900,
        ),
      ).toBe('refused');
      for (let i = 0; i <= SIGN_IN_POLICY.address.free; i++)
        await tryFrom(
          { 'x-etl-socket-address': '10.0.0.2', 'x-forwarded-for': `${i}.1.1.1, 198.51.100.200` },
          1000 + i,
        );
      expect(
        await tryFrom({ 'x-etl-socket-address': '10.0.0.2', 'x-forwarded-for': '198.51.100.200' }, 2000),
      ).toBe('wait');
      expect(
        await tryFrom({ 'x-etl-socket-address': '10.0.0.2', 'x-forwarded-for': '198.51.100.201' }, 2001),
      ).toBe('refused');
    } finally {
      delete process.env.TRUST_PROXY;
    }
  });
});

describe('waitMs (pure)', () => {
  const policy = { free: 5, baseMs: 1000, capMs: 60_000 };
  test('free attempts, then a doubling delay up to the cap, forgotten after a quiet spell', () => {
    expect(waitMs(4, 0, 0, policy)).toBe(0);
    expect(waitMs(5, 0, 0, policy)).toBe(1000);
    expect(waitMs(6, 0, 0, policy)).toBe(2000);
    expect(waitMs(8, 0, 500, policy)).toBe(7500);
    expect(waitMs(100, 0, 0, policy)).toBe(60_000);
    expect(waitMs(100, 0, 60_000, policy)).toBe(0);
    expect(waitMs(100, 0, SIGN_IN_POLICY.forgetAfterMs, policy)).toBe(0);
  });
});

describe('a browser that signed in before (device cookie)', () => {
  const ownerIp = '192.0.2.10';
  const attackerIp = '203.0.113.66';
  const fromDevice = async (device: string | null, password = PASSWORD, ip = ownerIp) => {
    try {
      const result = await signIn.signInWithPassword({ email: 'editor@demo.test', password }, ip, device);
      return result ? result.email : 'refused';
    } catch (error) {
      return error instanceof signIn.TooManyAttempts ? 'wait' : String(error);
    }
  };

  test("an attacker's nine wrong guesses do not stop the owner's browser; the attacker stays throttled", async () => {
    const first = await signIn.signInWithPassword({ email: 'editor@demo.test', password: PASSWORD }, ownerIp);
    const device = first?.deviceCookie ?? null;
    expect(device).toEqual(expect.any(String));

    const guesses: string[] = [];
    for (let i = 0; i < 9; i++) guesses.push(await fromDevice(null, `guess-${i}`, attackerIp));
    expect(guesses.slice(0, SIGN_IN_POLICY.account.free).every((g) => g === 'refused')).toBe(true);
    expect(guesses.at(-1)).toBe('wait');
    // Guesses in a hurry stop counting while they must wait; nine that waited their turn (15 s) leave
    // the account at nine failures, a 16 s wait, growing to the minute: set that state directly.
    await m.pool.query(`update "SignInFailure" set count = 9, "lastAt" = now() where key like 'account:%'`);

    // The owner's browser, from its usual address or another one, signs in at once...
    expect(await fromDevice(device)).toBe('editor@demo.test');
    expect(await fromDevice(device, PASSWORD, attackerIp)).toBe('editor@demo.test');
    // ...and that does not give the attacker their attempts back, even with the right password.
    expect(await fromDevice(null, PASSWORD, attackerIp)).toBe('wait');
    expect(await fromDevice(null, PASSWORD, '198.51.100.77')).toBe('wait');
    const owner = await m.db.user.findUniqueOrThrow({ where: { email: 'editor@demo.test' } });
    const { rows } = await m.pool.query(`select count from "SignInFailure" where key = $1`, [
      `account:${owner.id}`,
    ]);
    expect(rows).toEqual([{ count: 9 }]);
  });

  test('a device cookie of another account, or a forged one, counts as no device', async () => {
    const { hashPassword } = await import('./password');
    await m.db.user.create({
      data: { email: 'other@demo.test', passwordHash: await hashPassword(PASSWORD) },
    });
    const other = await signIn.signInWithPassword({ email: 'other@demo.test', password: PASSWORD }, ownerIp);
    const own = await signIn.signInWithPassword({ email: 'editor@demo.test', password: PASSWORD }, ownerIp);
    const forged = `${own!.deviceCookie.slice(0, -2)}AA`;
    for (let i = 0; i < 9; i++) await fromDevice(null, `guess-${i}`, attackerIp);
    await m.pool.query(`update "SignInFailure" set count = 9, "lastAt" = now() where key like 'account:%'`);
    expect(await fromDevice(other!.deviceCookie)).toBe('wait');
    expect(await fromDevice(forged)).toBe('wait');
    expect(await fromDevice(own!.deviceCookie)).toBe('editor@demo.test');
  });

  test('wrong passwords from a known device are counted apart: they slow that device, not the account', async () => {
    const own = await signIn.signInWithPassword({ email: 'editor@demo.test', password: PASSWORD }, ownerIp);
    for (let i = 0; i < SIGN_IN_POLICY.device.free; i++)
      expect(await fromDevice(own!.deviceCookie, `typo-${i}`)).toBe('refused');
    const { rows } = await m.pool.query<{ key: string; count: number }>(
      `select split_part(key, ':', 1) as key, count from "SignInFailure" where count > 0 order by 1`,
    );
    expect(rows).toEqual([{ key: 'device', count: SIGN_IN_POLICY.device.free }]);
    // Past its free attempts the device waits (set to a long wait: the test does not race the clock)...
    await m.pool.query(`update "SignInFailure" set count = 9, "lastAt" = now() where key like 'device:%'`);
    expect(await fromDevice(own!.deviceCookie, PASSWORD)).toBe('wait');
    // ...while a browser without it is not slowed by the device's failures (it has its own counters).
    expect(await fromDevice(null, PASSWORD, '198.51.100.78')).toBe('editor@demo.test');
  });
});
