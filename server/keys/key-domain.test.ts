import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserActor } from '../auth/actor';
import { startKeyTestWorld, type KeyTestWorld } from './test-support';

// Integration tests of server/keys against a real Postgres: claims, sizes, digest, roles, scoping, roll.
let world: KeyTestWorld;
let m: {
  create: typeof import('./create-key');
  reveal: typeof import('./reveal-key');
  revoke: typeof import('./revoke-key');
  roll: typeof import('./roll-key');
  update: typeof import('./update-key');
  get: typeof import('./get-key');
  list: typeof import('./list-keys');
  test: typeof import('./test-key');
  auth: typeof import('./authenticate-key');
  token: typeof import('./token');
  audit: typeof import('../audit/list-audit-events');
};
let owner: UserActor,
  admin: UserActor,
  editor: UserActor,
  editor2: UserActor,
  viewer: UserActor,
  stranger: UserActor;

const input = (over: Record<string, unknown> = {}) => ({
  name: 'etl-pipeline',
  selector: 'pipeline-1',
  description: '',
  type: 'functional' as const,
  expires: 'never' as const,
  jobScope: 'all' as const,
  fields: [
    { name: 'team', value: 'data' },
    { name: 'tier', value: '3' },
  ],
  ...over,
});

const code = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
};

beforeAll(async () => {
  world = await startKeyTestWorld();
  m = {
    create: await import('./create-key'),
    reveal: await import('./reveal-key'),
    revoke: await import('./revoke-key'),
    roll: await import('./roll-key'),
    update: await import('./update-key'),
    get: await import('./get-key'),
    list: await import('./list-keys'),
    test: await import('./test-key'),
    auth: await import('./authenticate-key'),
    token: await import('./token'),
    audit: await import('../audit/list-audit-events'),
  };
  owner = await world.member('owner');
  admin = await world.member('admin');
  editor = await world.member('editor');
  editor2 = await world.member('editor');
  viewer = await world.member('viewer');
  stranger = await world.member('owner', 'beta');
});

afterAll(async () => {
  await world?.stop();
});

describe('create', () => {
  it('signs the payload with the additional fields, keeping JSON types, and stores only the digest', async () => {
    const { id, token } = await m.create.createApiKey(editor, input());
    const { header, payload } = m.token.decodeToken(token) as {
      header: Record<string, unknown>;
      payload: Record<string, unknown>;
    };
    expect(header).toEqual({ etl: 'apikey', alg: 'HS256', typ: 'JWT', kid: 'test' });
    expect(payload).toMatchObject({
      app: 'etl-pipeline',
      uid: 'pipeline-1',
      org: 'alpha',
      id,
      team: 'data',
      tier: 3,
    });
    expect(Object.keys(payload)).toEqual(['app', 'uid', 'org', 'id', 'iat', 'team', 'tier']);
    const row = await world.db.apiKey.findUniqueOrThrow({ where: { id } });
    expect(row.digest).toBe(m.token.tokenDigest(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.masked).toBe(`${token.slice(0, 8)}…${token.slice(-4)}`);
    const principal = await m.auth.authenticateApiKey(token, '10.0.0.1');
    expect(principal).toMatchObject({ kind: 'key', keyId: id, orgId: editor.orgId });
  });

  it('refuses reserved names and an oversize token beside the field', async () => {
    expect(
      await code(m.create.createApiKey(editor, input({ fields: [{ name: 'org', value: 'other' }] }))),
    ).toBe('validation_failed');
    const big = Array.from({ length: 3 }, (_, i) => ({ name: `big${i}`, value: 'x'.repeat(1500) }));
    try {
      await m.create.createApiKey(editor, input({ fields: big }));
      expect.fail('an oversize token was accepted');
    } catch (error) {
      expect((error as { code: string; errors: { path: string }[] }).code).toBe('validation_failed');
      expect((error as { errors: { path: string }[] }).errors[0].path).toBe('fields');
    }
  });

  it('sets exp when the key expires, and an expired key is refused', async () => {
    const { token } = await m.create.createApiKey(editor, input({ expires: '30d' }));
    const { payload } = m.token.decodeToken(token) as { payload: { iat: number; exp: number } };
    expect(payload.exp - payload.iat).toBe(30 * 86400);
    const { id, token: soon } = await m.create.createApiKey(
      editor,
      input({ expires: 'date', expiresAt: new Date(Date.now() + 60_000).toISOString() }),
    );
    await world.db.apiKey.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await code(m.auth.authenticateApiKey(soon, null))).toBe('api_key_expired');
    expect((await m.get.getApiKey(editor, id)).status).toBe('expired');
  });

  it('viewers cannot create keys', async () => {
    expect(await code(m.create.createApiKey(viewer, input()))).toBe('forbidden');
  });
});

describe('reveal', () => {
  it('re-signs the stored claims to the same token, and audits every reveal', async () => {
    const { id, token } = await m.create.createApiKey(editor, input());
    expect((await m.reveal.revealApiKey(editor, id)).token).toBe(token);
    expect((await m.reveal.revealApiKey(admin, id)).token).toBe(token);
    expect((await m.reveal.revealApiKey(owner, id)).token).toBe(token);
    const reveals = await world.db.auditEvent.count({
      where: { target: `key:${id}`, action: 'key.revealed' },
    });
    expect(reveals).toBe(3);
  });

  it('a copy is its own audit event, saying what was copied', async () => {
    const { id, token } = await m.create.createApiKey(editor, input());
    expect((await m.reveal.revealApiKey(editor, id, { purpose: 'copy', what: 'cURL snippet' })).token).toBe(
      token,
    );
    const events = await world.db.auditEvent.findMany({
      where: { target: `key:${id}`, action: { in: ['key.revealed', 'key.copied'] } },
    });
    expect(events.map((e) => [e.action, (e.details as { what?: string }).what])).toEqual([
      ['key.copied', 'cURL snippet'],
    ]);
  });

  it('shows a personal key only to its owner; others and other organisations never get it', async () => {
    const { id } = await m.create.createApiKey(editor, input({ type: 'personal' }));
    expect(await code(m.reveal.revealApiKey(admin, id))).toBe('forbidden');
    expect(await code(m.reveal.revealApiKey(owner, id))).toBe('forbidden');
    expect(await code(m.reveal.revealApiKey(editor2, id))).toBe('forbidden');
    expect(await code(m.reveal.revealApiKey(stranger, id))).toBe('key_not_found');
    expect((await m.get.getApiKey(admin, id)).canReveal).toBe(false);
    expect((await m.get.getApiKey(editor, id)).canReveal).toBe(true);
  });

  it('a functional key: other editors and viewers see it masked only', async () => {
    const { id } = await m.create.createApiKey(editor, input());
    expect(await code(m.reveal.revealApiKey(editor2, id))).toBe('forbidden');
    expect(await code(m.reveal.revealApiKey(viewer, id))).toBe('forbidden');
    const detail = await m.get.getApiKey(viewer, id);
    expect(detail.canReveal).toBe(false);
    expect(detail.canManage).toBe(false);
  });

  it('refuses when the stored claims were edited (the digest no longer matches)', async () => {
    const { id } = await m.create.createApiKey(editor, input());
    const row = await world.db.apiKey.findUniqueOrThrow({ where: { id } });
    await world.db.apiKey.update({
      where: { id },
      data: { claims: row.claims.replace('"data"', '"admin"') },
    });
    expect(await code(m.reveal.revealApiKey(editor, id))).toBe('conflict');
  });

  it('a token re-signed with another secret under the same kid never passes', async () => {
    const { token } = await m.create.createApiKey(editor, input());
    const payloadText = Buffer.from(token.split('.')[1], 'base64url').toString();
    const forged = await m.token.signClaims(payloadText.replace('"data"', '"root"'), {
      kid: 'test',
      secret: new Uint8Array(randomBytes(32)),
    });
    expect(await code(m.auth.authenticateApiKey(forged, null))).toBe('api_key_invalid');
  });
});

describe('sudo and a recognisable token', () => {
  it('a console session reveals only within 10 minutes of a sign-in or of the password typed again', async () => {
    const reauth = await import('../auth/reauth');
    const { hashPassword } = await import('../auth/password');
    const { id, token } = await m.create.createApiKey(admin, input());
    await world.db.user.update({
      where: { id: admin.userId },
      data: { passwordHash: await hashPassword('admin-password-1') },
    });
    const sessionId = crypto.randomUUID();
    const old = new Date(Date.now() - reauth.REAUTH_WINDOW_MS - 1000);
    await world.db.userSession.create({
      data: { id: sessionId, userId: admin.userId, orgId: admin.orgId, confirmedAt: old, createdAt: old },
    });
    const inSession = { ...admin, sessionId };
    expect(await code(m.reveal.revealApiKey(inSession, id))).toBe('reauthentication_required');
    expect(await code(reauth.confirmPassword(sessionId, admin.userId, 'wrong'))).toBe('validation_failed');
    expect(await code(m.reveal.revealApiKey(inSession, id))).toBe('reauthentication_required');
    await reauth.confirmPassword(sessionId, admin.userId, 'admin-password-1');
    expect((await m.reveal.revealApiKey(inSession, id)).token).toBe(token);
  });

  it('an SSO-only account is told to sign in again, not asked for a password it has not got', async () => {
    const reauth = await import('../auth/reauth');
    await world.db.user.update({ where: { id: editor2.userId }, data: { passwordHash: 'sso-only' } });
    const sessionId = crypto.randomUUID();
    const old = new Date(Date.now() - reauth.REAUTH_WINDOW_MS - 1000);
    await world.db.userSession.create({
      data: { id: sessionId, userId: editor2.userId, orgId: editor2.orgId, confirmedAt: old },
    });
    const error = await reauth.confirmPassword(sessionId, editor2.userId, 'anything').catch((e) => e);
    expect(error.code).toBe('reauthentication_required');
    expect(error.message).toMatch(/single sign-on.*sign in again/);
  });

  it('tokens begin with the product’s prefix; keys signed with the old header still reveal and test', async () => {
    const { id, token } = await m.create.createApiKey(admin, input());
    expect(token.startsWith(m.token.TOKEN_PREFIX)).toBe(true);
    // The pattern docs/token.md gives secret scanners finds it.
    const doc = readFileSync(new URL('../../docs/token.md', import.meta.url), 'utf8');
    const pattern = doc.match(/^```\n(eyJ[^\n]+)\n```/m)![1];
    expect(new RegExp(`^${pattern}$`).test(token)).toBe(true);
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toEqual({
      etl: 'apikey',
      alg: 'HS256',
      typ: 'JWT',
      kid: 'test',
    });
    // A key made before the prefix: same claims, the plain header, its digest stored.
    const row = await world.db.apiKey.findUniqueOrThrow({ where: { id } });
    const { secretByKid } = await import('./keyring');
    const legacy = await m.token.signClaims(row.claims, secretByKid(row.kid)!, true);
    await world.db.apiKey.update({
      where: { id },
      data: { digest: m.token.tokenDigest(legacy), masked: m.token.maskToken(legacy) },
    });
    expect((await m.reveal.revealApiKey(admin, id)).token).toBe(legacy);
    expect((await m.get.getApiKey(admin, id)).header).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'test' });
    expect((await m.test.testApiKey(admin, id, 'hello')).ok).toBe(true);
  });
});

describe('organisation scoping', () => {
  it('another organisation’s key is not found for every operation', async () => {
    const { id } = await m.create.createApiKey(editor, input());
    expect(await code(m.get.getApiKey(stranger, id))).toBe('key_not_found');
    expect(await code(m.revoke.revokeApiKey(stranger, id))).toBe('key_not_found');
    expect(await code(m.roll.rollApiKey(stranger, id))).toBe('key_not_found');
    expect(await code(m.update.updateApiKey(stranger, id, { name: 'x' }))).toBe('key_not_found');
    expect(await code(m.test.testApiKey(stranger, id, 'hello'))).toBe('key_not_found');
    expect((await m.list.listApiKeys(stranger)).keys.map((k) => k.id)).not.toContain(id);
    expect((await m.audit.listAuditEvents(stranger)).items.some((e) => e.target === `key:${id}`)).toBe(false);
  });
});

describe('roles', () => {
  it('editors manage their own keys, not others’; admins manage all', async () => {
    const { id } = await m.create.createApiKey(editor, input());
    expect(await code(m.update.updateApiKey(editor2, id, { name: 'renamed' }))).toBe('forbidden');
    expect(await code(m.revoke.revokeApiKey(editor2, id))).toBe('forbidden');
    expect(await code(m.roll.rollApiKey(editor2, id))).toBe('forbidden');
    expect(await code(m.revoke.revokeApiKey(viewer, id))).toBe('forbidden');
    expect(await code(m.update.updateApiKey(admin, id, { name: 'renamed', description: 'by admin' }))).toBe(
      'ok',
    );
    expect((await m.get.getApiKey(editor, id)).name).toBe('renamed');
    expect(await code(m.revoke.revokeApiKey(admin, id))).toBe('ok');
  });
});

describe('list', () => {
  it('never holds the whole token, and filters by status and search', async () => {
    const { id, token } = await m.create.createApiKey(editor, input({ name: 'needle-key' }));
    const { keys: all } = await m.list.listApiKeys(viewer);
    expect(JSON.stringify(all)).not.toContain(token);
    expect((await m.list.listApiKeys(viewer, { q: 'NEEDLE' })).keys.map((k) => k.id)).toEqual([id]);
    await m.revoke.revokeApiKey(editor, id);
    expect((await m.list.listApiKeys(viewer, { status: 'revoked' })).keys.map((k) => k.id)).toContain(id);
    expect((await m.list.listApiKeys(viewer, { status: 'active' })).keys.map((k) => k.id)).not.toContain(id);
  });
});

describe('revoke', () => {
  it('the API refuses a revoked key at once', async () => {
    const { id, token } = await m.create.createApiKey(editor, input());
    await m.auth.authenticateApiKey(token, null); // cached now
    await m.revoke.revokeApiKey(editor, id);
    expect(await code(m.auth.authenticateApiKey(token, null))).toBe('api_key_revoked');
    expect((await m.test.testApiKey(editor, id, 'hello')).body.code).toBe('api_key_revoked');
  });
});

describe('roll', () => {
  it('issues the same claims under a new id; the old key works until the new one is used', async () => {
    const { id: oldId, token: oldToken } = await m.create.createApiKey(
      editor,
      input({ jobScope: 'chosen', jobIds: [world.jobId] }),
    );
    await m.update.updateApiKey(editor, oldId, { name: 'relabelled', description: 'd' });
    const { id: newId, token: newToken } = await m.roll.rollApiKey(editor, oldId, { graceHours: 24 });
    expect(newId).not.toBe(oldId);
    const oldPayload = m.token.decodeToken(oldToken).payload as Record<string, unknown>;
    const newPayload = m.token.decodeToken(newToken).payload as Record<string, unknown>;
    expect({ ...newPayload, id: 'x', iat: 0 }).toEqual({ ...oldPayload, id: 'x', iat: 0 });
    const fresh = await world.db.apiKey.findUniqueOrThrow({ where: { id: newId } });
    expect(fresh).toMatchObject({
      rolledFromId: oldId,
      name: 'relabelled',
      jobIds: [world.jobId],
      ownerId: editor.userId,
    });
    expect((await m.get.getApiKey(editor, oldId)).status).toBe('rolling');
    expect((await m.get.getApiKey(editor, oldId)).rolledTo?.id).toBe(newId);
    expect(await code(m.roll.rollApiKey(editor, oldId))).toBe('conflict');

    await m.auth.authenticateApiKey(oldToken, null); // still works
    await m.auth.authenticateApiKey(newToken, null); // first use of the new key retires the old one
    expect(await code(m.auth.authenticateApiKey(oldToken, null))).toBe('api_key_revoked');
    expect((await m.get.getApiKey(editor, oldId)).status).toBe('revoked');
    const history = await m.audit.listAuditEvents(editor, { target: `key:${oldId}` });
    expect(history.items.map((e) => e.action)).toContain('key.rolled');
  });

  it('the old key is refused once its grace period ends', async () => {
    const { id: oldId, token: oldToken } = await m.create.createApiKey(editor, input());
    await m.roll.rollApiKey(editor, oldId, { graceHours: 1 });
    await world.db.apiKey.update({ where: { id: oldId }, data: { graceUntil: new Date(Date.now() - 1000) } });
    expect(await code(m.auth.authenticateApiKey(oldToken, null))).toBe('api_key_revoked');
  });

  it('the test button is a dry run that does not retire the old key', async () => {
    const { id: oldId, token: oldToken } = await m.create.createApiKey(editor, input());
    const { id: newId } = await m.roll.rollApiKey(editor, oldId);
    const result = await m.test.testApiKey(editor, newId, 'hello');
    expect(result).toMatchObject({ ok: true, status: 200, body: { message: 'dry run ok', name: 'hello' } });
    await m.auth.authenticateApiKey(oldToken, null);
    expect((await m.test.testApiKey(editor, newId, 'nope')).body.code).toBe('job_not_found');
    expect(await world.db.jobRun.count()).toBe(0);
  });
});
