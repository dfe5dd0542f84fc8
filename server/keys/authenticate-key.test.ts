// Integration: verification in DESIGN.md section 3's order, against a real Postgres, and the attacks
// a key must survive.
import { CompactSign, SignJWT, UnsecuredJWT } from 'jose';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CreateApiKeyInput } from '../../lib/validations/api-key';
import type { UserActor } from '../auth/actor';
import { startKeyTestWorld, type KeyTestWorld } from './test-support';

let world: KeyTestWorld;
let owner: UserActor;
let k: {
  authenticateApiKey: (typeof import('./authenticate-key'))['authenticateApiKey'];
  createApiKey: (typeof import('./create-key'))['createApiKey'];
  revokeApiKey: (typeof import('./revoke-key'))['revokeApiKey'];
  signingSecret: (typeof import('./keyring'))['signingSecret'];
  stopKeyCache: (typeof import('./key-cache'))['stopKeyCache'];
  AppError: (typeof import('../errors'))['AppError'];
};

beforeAll(async () => {
  world = await startKeyTestWorld();
  owner = await world.member('owner');
  k = {
    authenticateApiKey: (await import('./authenticate-key')).authenticateApiKey,
    createApiKey: (await import('./create-key')).createApiKey,
    revokeApiKey: (await import('./revoke-key')).revokeApiKey,
    signingSecret: (await import('./keyring')).signingSecret,
    stopKeyCache: (await import('./key-cache')).stopKeyCache,
    AppError: (await import('../errors')).AppError,
  };
});
afterAll(async () => {
  await k?.stopKeyCache();
  await world?.stop();
});

const base: CreateApiKeyInput = {
  name: 'etl',
  selector: 'ci',
  description: '',
  type: 'functional',
  expires: 'never',
  expiresAt: '',
  jobScope: 'all',
  jobIds: [],
  fields: [{ name: 'team', value: 'data' }],
  rateLimit: null,
};
const newKey = (overrides: Partial<CreateApiKeyInput> = {}) =>
  k.createApiKey(owner, { ...base, ...overrides });
const codeOf = (token: string | null) =>
  k.authenticateApiKey(token, '127.0.0.1').then(
    () => 'ok',
    (e) => (e instanceof k.AppError ? e.code : `unexpected: ${e}`),
  );
const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
const enc = new TextEncoder();

describe('authenticateApiKey', () => {
  test('a key just made passes, as a principal of its organisation', async () => {
    const { id, token } = await newKey();
    const principal = await k.authenticateApiKey(token, '10.0.0.1');
    expect(principal).toMatchObject({
      kind: 'key',
      keyId: id,
      orgId: owner.orgId,
      orgSlug: 'alpha',
      jobIds: [],
    });
  });

  test('no token, and oversize headers', async () => {
    expect(await codeOf(null)).toBe('api_key_missing');
    expect(await codeOf('x'.repeat(10 * 1024))).toBe('api_key_invalid');
  });

  test('alg none, HS512 with the real secret, a tampered signature, an unknown kid', async () => {
    const { token } = await newKey();
    const payload = payloadOf(token);
    const secret = k.signingSecret();
    const none = new UnsecuredJWT(payload).encode();
    const hs512 = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS512', typ: 'JWT', kid: secret.kid })
      .sign(secret.secret);
    const parts = token.split('.');
    const tampered = `${parts[0]}.${parts[1]}.${parts[2].slice(0, -2)}${parts[2].endsWith('AA') ? 'BB' : 'AA'}`;
    const unknownKid = await new CompactSign(enc.encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'nope' })
      .sign(secret.secret);
    const otherSecret = await new CompactSign(enc.encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: secret.kid })
      .sign(randomBytes(32));
    for (const forged of [none, hs512, tampered, unknownKid, otherSecret])
      expect(await codeOf(forged)).toBe('api_key_invalid');
  });

  test('claims re-signed with the real secret fail the digest check; a forged id or org fails too', async () => {
    const { token } = await newKey();
    const secret = k.signingSecret();
    const sign = (claims: object) =>
      new CompactSign(enc.encode(JSON.stringify(claims)))
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: secret.kid })
        .sign(secret.secret);
    const payload = payloadOf(token);
    expect(await codeOf(await sign({ ...payload, team: 'admins' }))).toBe('api_key_invalid');
    expect(await codeOf(await sign({ ...payload, id: randomUUID() }))).toBe('api_key_invalid');
    expect(await codeOf(await sign({ ...payload, org: 'beta' }))).toBe('api_key_invalid');
    const { id: _id, ...noId } = payload;
    expect(await codeOf(await sign(noId))).toBe('api_key_invalid');
  });

  test('expired and revoked keys say so', async () => {
    const soon = await newKey({ expires: 'date', expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect(await codeOf(soon.token)).toBe('ok');
    await new Promise((r) => setTimeout(r, 2100));
    expect(await codeOf(soon.token)).toBe('api_key_expired');

    const revoked = await newKey();
    expect(await codeOf(revoked.token)).toBe('ok');
    await k.revokeApiKey(owner, revoked.id);
    expect(await codeOf(revoked.token)).toBe('api_key_revoked');
  });

  test('a revocation written by another process is seen within a second (LISTEN/NOTIFY invalidates the cache)', async () => {
    const { id, token } = await newKey();
    expect(await codeOf(token)).toBe('ok');
    await new Promise((r) => setTimeout(r, 200)); // the listener connects on first use
    expect(await codeOf(token)).toBe('ok'); // now served from the cache
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    await other.query(`update "ApiKey" set "revokedAt" = now() where id = $1`, [id]);
    await other.end();
    const started = Date.now();
    while ((await codeOf(token)) === 'ok' && Date.now() - started < 1000)
      await new Promise((r) => setTimeout(r, 20));
    expect(await codeOf(token)).toBe('api_key_revoked');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
