// The rate limit against a real embedded Postgres, on a faked clock (only Date: the batching's timers
// run for real): no double burst at a minute boundary, headers that follow the limit.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { startTestDatabase, type TestDatabase } from '../../worker/test-support';
import type { KeyPrincipal } from './authenticate-key';

let t: TestDatabase;
let mod: typeof import('./rate-limit');

beforeAll(async () => {
  t = await startTestDatabase();
  mod = await import('./rate-limit');
}, 60_000);
afterAll(() => t?.stop());
afterEach(() => vi.useRealTimers());

const principal = (rateLimit: number): KeyPrincipal => ({
  kind: 'key',
  keyId: randomUUID(),
  name: 'k',
  orgId: t.orgId,
  orgSlug: 'org',
  jobIds: [],
  rateLimit,
  ip: null,
});

/** `n` requests at once at the clock's time; the times of those accepted. */
async function burst(p: KeyPrincipal, at: number, n: number): Promise<number[]> {
  vi.setSystemTime(at);
  const results = await Promise.all(
    Array.from({ length: n }, () =>
      mod.consumeRateLimit(p).then(
        () => true,
        (error) => {
          if (error.code !== 'rate_limited') throw error;
          return false;
        },
      ),
    ),
  );
  return results.filter(Boolean).map(() => at);
}

/** The most accepted within any 60 s. */
function busiestMinute(accepted: number[]): number {
  const sorted = [...accepted].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j] - sorted[i] >= 60_000) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

describe('no double burst', () => {
  test('600 a minute: 600 just before a minute boundary, then 600 just after, get ~600 accepted', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const p = principal(600);
    const boundary = Math.ceil(Date.now() / 60_000) * 60_000 + 60_000;
    const accepted = [...(await burst(p, boundary - 1_000, 600)), ...(await burst(p, boundary + 1_000, 600))];
    expect(busiestMinute(accepted)).toBeLessThanOrEqual(660);
    expect(accepted.length).toBeGreaterThanOrEqual(540);
  });

  test('a client hammering for 3 minutes never gets more than ~600 within any 60 s', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const p = principal(600);
    const start = Math.ceil(Date.now() / 60_000) * 60_000 + 37_000;
    const accepted: number[] = [];
    for (let at = start; at < start + 180_000; at += 500) accepted.push(...(await burst(p, at, 12)));
    expect(busiestMinute(accepted)).toBeLessThanOrEqual(660);
    // It is a limit, not a ban: the key gets about its rate over the three minutes.
    expect(accepted.length).toBeGreaterThanOrEqual(3 * 600 - 700);
  });

  test('RateLimit-* headers follow the limit: Remaining counts down, a refusal says when to retry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const p = principal(3);
    vi.setSystemTime(Math.ceil(Date.now() / 60_000) * 60_000 + 59_500);
    const states = [
      await mod.consumeRateLimit(p),
      await mod.consumeRateLimit(p),
      await mod.consumeRateLimit(p),
    ];
    expect(states.map((s) => s?.remaining)).toEqual([2, 1, 0]);
    const refused = await mod.consumeRateLimit(p).catch((e) => e);
    expect(refused.code).toBe('rate_limited');
    const retryAfter = Number(refused.headers['Retry-After']);
    expect(retryAfter).toBeGreaterThan(1);
    expect(refused.headers['RateLimit-Remaining']).toBe('0');
    // Across the minute boundary nothing is freed before Retry-After says so.
    vi.setSystemTime(Date.now() + 1_000);
    expect((await mod.consumeRateLimit(p).catch((e) => e)).code).toBe('rate_limited');
    vi.setSystemTime(Date.now() + retryAfter * 1_000);
    expect((await mod.consumeRateLimit(p))?.limit).toBe(3);
  });
});
