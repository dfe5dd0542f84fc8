import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeyTestWorld, type KeyTestWorld } from './test-support';

// Integration: the editor's hourly key-creation limit holds under parallel creations, and only admins
// choose a key's rate limit beyond the default (none, or more than RATE_LIMIT_PER_MINUTE).
let world: KeyTestWorld;
let create: typeof import('./create-key');

const input = (over: Record<string, unknown> = {}) => ({
  name: 'etl-pipeline',
  selector: 'pipeline-1',
  description: '',
  type: 'functional' as const,
  expires: 'never' as const,
  jobScope: 'all' as const,
  fields: [],
  ...over,
});

const outcome = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return { code: 'ok', errors: undefined };
  } catch (error) {
    const e = error as { code?: string; errors?: { path: string }[] };
    return { code: e.code ?? String(error), errors: e.errors };
  }
};

beforeAll(async () => {
  world = await startKeyTestWorld();
  delete process.env.RATE_LIMIT_PER_MINUTE;
  create = await import('./create-key');
});
afterAll(async () => {
  await world?.stop();
});

describe('the editor creation limit', () => {
  it('30 parallel creations by one editor: exactly 20 succeed, the rest are rate_limited', async () => {
    const editor = await world.member('editor');
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        outcome(create.createApiKey(editor, input({ name: `parallel-${i}` }))),
      ),
    );
    const codes = results.map((r) => r.code);
    expect(codes.filter((c) => c === 'ok')).toHaveLength(create.EDITOR_KEYS_PER_HOUR);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(30 - create.EDITOR_KEYS_PER_HOUR);
    expect(await world.db.apiKey.count({ where: { ownerId: editor.userId } })).toBe(
      create.EDITOR_KEYS_PER_HOUR,
    );
  });
});

describe('who chooses the rate limit', () => {
  it('an editor may not create an unlimited key or one above the default; at or under it is fine', async () => {
    const editor = await world.member('editor');
    for (const rateLimit of [0, 601, 1_000_000]) {
      const result = await outcome(create.createApiKey(editor, input({ rateLimit })));
      expect(result.code).toBe('validation_failed');
      expect(result.errors?.map((e) => e.path)).toEqual(['rateLimit']);
    }
    for (const rateLimit of [null, 1, 600])
      expect((await outcome(create.createApiKey(editor, input({ rateLimit })))).code).toBe('ok');
  });

  it('admins and owners may create unlimited keys and raise the rate', async () => {
    for (const role of ['admin', 'owner'] as const) {
      const member = await world.member(role);
      for (const rateLimit of [0, 5_000]) {
        const { id } = await create.createApiKey(member, input({ rateLimit }));
        expect((await world.db.apiKey.findUniqueOrThrow({ where: { id } })).rateLimit).toBe(rateLimit);
      }
    }
  });

  it('the default is RATE_LIMIT_PER_MINUTE', async () => {
    const editor = await world.member('editor');
    process.env.RATE_LIMIT_PER_MINUTE = '100';
    try {
      expect((await outcome(create.createApiKey(editor, input({ rateLimit: 101 })))).code).toBe(
        'validation_failed',
      );
      expect((await outcome(create.createApiKey(editor, input({ rateLimit: 100 })))).code).toBe('ok');
    } finally {
      delete process.env.RATE_LIMIT_PER_MINUTE;
    }
  });
});
