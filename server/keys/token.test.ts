// The verified-token memo of verifyTokenSignature: WebCrypto once per token, time claims every time,
// nothing kept across a change of the signing secrets.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { signingSecret } from './keyring';
import { signClaims, verifyTokenSignature } from './token';

const secretsOf = (...kids: string[]) =>
  kids.map((kid) => `${kid}:${randomBytes(32).toString('base64')}`).join(',');

beforeEach(() => {
  process.env.API_KEY_SECRETS = secretsOf('one', 'two');
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const now = () => Math.floor(Date.now() / 1000);
const sign = (claims: Record<string, unknown>) =>
  signClaims(
    JSON.stringify({ app: 'a', uid: 'u', org: 'acme', id: 'k1', iat: now(), ...claims }),
    signingSecret(),
  );

describe('verifyTokenSignature', () => {
  test('a token presented again is not verified by WebCrypto again', async () => {
    const token = await sign({});
    const verify = vi.spyOn(crypto.subtle, 'verify');
    expect((await verifyTokenSignature(token)).ok).toBe(true);
    expect((await verifyTokenSignature(token)).ok).toBe(true);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  test('a token verified before is refused as expired once its exp passes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = await sign({ exp: now() + 60 });
    expect((await verifyTokenSignature(token)).ok).toBe(true);
    vi.setSystemTime(Date.now() + 61_000);
    expect(await verifyTokenSignature(token)).toEqual({ ok: false, reason: 'expired' });
  });

  test('an edited token is not taken for the one verified before', async () => {
    const token = await sign({});
    expect((await verifyTokenSignature(token)).ok).toBe(true);
    const [h, , s] = token.split('.');
    const edited = `${h}.${Buffer.from(JSON.stringify({ org: 'acme', id: 'k2', iat: now() })).toString('base64url')}.${s}`;
    expect(await verifyTokenSignature(edited)).toEqual({ ok: false, reason: 'invalid' });
  });

  test('once its secret is no longer in the keyring, a token verified before is refused', async () => {
    const token = await sign({});
    expect((await verifyTokenSignature(token)).ok).toBe(true);
    process.env.API_KEY_SECRETS = secretsOf('three');
    expect(await verifyTokenSignature(token)).toEqual({ ok: false, reason: 'invalid' });
  });
});
