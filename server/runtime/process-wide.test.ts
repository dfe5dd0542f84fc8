// The web process evaluates server/ more than once (Next's two module registries, next dev's reloads,
// scripts/web.ts's own helpers). Each evaluation is modelled here by vi.resetModules() and a fresh
// import: the copies must share one state, one LISTEN connection, and a revoke seen by all of them.
import { afterAll, describe, expect, test, vi } from 'vitest';
import type { KeyTestWorld } from '../keys/test-support';

async function freshCopy<T>(path: string): Promise<T> {
  vi.resetModules();
  return (await import(path)) as T;
}

type ProcessWide = typeof import('./process-wide');

describe('processWide', () => {
  test('two evaluations of a module get the one value, made once', async () => {
    const a = await freshCopy<ProcessWide>('./process-wide');
    const b = await freshCopy<ProcessWide>('./process-wide');
    expect(a.processWide).not.toBe(b.processWide); // two copies of the code...
    const create = vi.fn(() => ({ hits: 0 }));
    a.processWide('test-counter', create).hits++;
    b.processWide('test-counter', create).hits++;
    expect(create).toHaveBeenCalledTimes(1); // ...one state
    expect(a.processWide('test-counter', create).hits).toBe(2);
    expect(b.processWideNames()).toContain('test-counter');
  });

  test('shutdown hooks registered by any copy run once each, failures ignored', async () => {
    const a = await freshCopy<ProcessWide>('./process-wide');
    const b = await freshCopy<ProcessWide>('./process-wide');
    const ran: string[] = [];
    a.onShutdown('test-a', () => void ran.push('a'));
    b.onShutdown('test-b', async () => void ran.push('b'));
    b.onShutdown('test-fails', () => Promise.reject(new Error('database away')));
    await a.runShutdownHooks();
    expect(ran.sort()).toEqual(['a', 'b']);
  });
});

describe('key cache and change feed, two copies against a real Postgres', () => {
  let world: KeyTestWorld | undefined;
  afterAll(async () => {
    const { stopKeyCache } = await import('../keys/key-cache');
    await stopKeyCache();
    await world?.stop();
  });

  test('one LISTEN connection; a revoke through one copy is refused by the other at once', async () => {
    world = await (await import('../keys/test-support')).startKeyTestWorld();
    const owner = await world.member('owner');
    // Copy A: what the job API's route runs.
    const a = {
      ...(await freshCopy<typeof import('../keys/authenticate-key')>('../keys/authenticate-key')),
      ...(await import('../keys/create-key')),
      ...(await import('../db/change-feed')),
      AppError: (await import('../errors')).AppError,
    };
    const { token, id } = await a.createApiKey(owner, {
      name: 'etl',
      selector: 'ci',
      description: '',
      type: 'functional',
      expires: 'never',
      expiresAt: '',
      jobScope: 'all',
      jobIds: [],
      fields: [],
      rateLimit: null,
    });
    const codeOf = () =>
      a.authenticateApiKey(token, '127.0.0.1').then(
        () => 'ok',
        (e) => (e instanceof a.AppError ? e.code : `unexpected: ${e}`),
      );
    while (!a.feedUp()) await new Promise((r) => setTimeout(r, 20));
    expect(await codeOf()).toBe('ok'); // cached by copy A

    // Copy B: what a console server action runs (Next's other registry).
    const b = {
      ...(await freshCopy<typeof import('../keys/revoke-key')>('../keys/revoke-key')),
      ...(await import('../db/change-feed')),
    };
    expect(b.feedUp).not.toBe(a.feedUp);
    expect(b.feedUp()).toBe(true); // the feed copy A opened, not a second connection
    const listening = await world.db.$queryRaw<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity where query ilike 'listen %'`;
    expect(listening[0].n).toBe(1);

    // No notification this time: only the shared cache can tell copy A.
    await world.db.$executeRawUnsafe('alter table "ApiKey" disable trigger api_key_changed');
    try {
      expect(await b.revokeApiKey(owner, id)).toEqual({ alreadyRevoked: false });
      expect(await codeOf()).toBe('api_key_revoked');
    } finally {
      await world.db.$executeRawUnsafe('alter table "ApiKey" enable trigger api_key_changed');
    }
  });
});
