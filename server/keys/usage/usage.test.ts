import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserActor } from '../../auth/actor';
import { SOCKET_ADDRESS_HEADER } from '../../http/client-address';
import { startKeyTestWorld, type KeyTestWorld } from '../test-support';

// Usage per key against a real Postgres: answers of the job API's wrapper are gathered in memory, written
// in one batch, attributed by the token's digest, and read back as counters and a request log.
let world: KeyTestWorld;
let editor: UserActor, stranger: UserActor;
let m: {
  collect: typeof import('./collect');
  flush: typeof import('./flush');
  usage: typeof import('./get-usage');
  log: typeof import('./list-requests');
  create: typeof import('../create-key');
  route: typeof import('../../http/api-route');
  errors: typeof import('../../errors');
};
let handler: (request: Request) => Promise<Response>;

const post = (token: string, job: string) =>
  handler(
    new Request('http://x/etl-mgr/api/apijob', {
      method: 'POST',
      headers: {
        'x-api-key': token,
        'content-type': 'application/json',
        [SOCKET_ADDRESS_HEADER]: '203.0.113.7',
      },
      body: JSON.stringify({ id: job }),
    }),
  );

beforeAll(async () => {
  world = await startKeyTestWorld();
  m = {
    collect: await import('./collect'),
    flush: await import('./flush'),
    usage: await import('./get-usage'),
    log: await import('./list-requests'),
    create: await import('../create-key'),
    route: await import('../../http/api-route'),
    errors: await import('../../errors'),
  };
  editor = await world.member('editor');
  stranger = await world.member('owner', 'beta');
  // The job API's shape: authenticate, then 202 with Location for "hello", 404 job_not_found otherwise.
  handler = m.collect.withKeyUsage(
    m.route.apiRoute(async ({ request }) => {
      const { id } = (await request.json()) as { id: string };
      m.collect.noteRequestedJob(request, id);
      if (id !== 'hello') throw new m.errors.AppError('job_not_found', 'No such job');
      const runId = randomUUID();
      return m.route.json({ message: 'job started', runId }, 202, { Location: `/etl-mgr/api/runs/${runId}` });
    }),
  );
});

afterAll(async () => {
  await world?.stop();
});

describe('key usage', () => {
  it('counts 5 accepted and 3 refused requests, written in one batch, by outcome and in the log', async () => {
    const { id, token } = await m.create.createApiKey(editor, {
      name: 'usage',
      selector: 'u',
      description: '',
      type: 'functional',
      expires: 'never',
      jobScope: 'all',
      fields: [],
    });
    for (let i = 0; i < 5; i++) expect((await post(token, 'hello')).status).toBe(202);
    for (let i = 0; i < 3; i++) expect((await post(token, 'nightly-lod')).status).toBe(404);
    // An edited token (same claims, another signature) is refused and attributed to no key.
    const forged = token.slice(0, token.lastIndexOf('.') + 1) + 'x'.repeat(43);
    expect((await post(forged, 'hello')).status).toBe(401);
    await new Promise((resolve) => setImmediate(resolve));

    // Nothing was written per request: the rows appear with the flush.
    expect(await world.db.apiKeyRequest.count({ where: { apiKeyId: id } })).toBe(0);
    await m.collect.flushKeyUsage();
    expect(await world.db.apiKeyRequest.count({ where: { apiKeyId: id } })).toBe(8);

    const usage = await m.usage.getUsage(editor, id, '24h');
    expect(usage.totals).toMatchObject({ accepted: 5, '404': 3, '401': 0 });
    expect(usage.points).toHaveLength(24);
    expect(usage.points.reduce((n, p) => n + p.accepted, 0)).toBe(5);

    const refused = await m.log.listKeyRequests(editor, { keyId: id, outcome: '404' });
    expect(refused.items).toHaveLength(3);
    expect(refused.items[0]).toMatchObject({
      status: 404,
      code: 'job_not_found',
      job: 'nightly-lod',
      ip: '203.0.113.7',
      runId: null,
    });
    const accepted = await m.log.listKeyRequests(editor, { keyId: id, outcome: 'accepted' });
    expect(accepted.items).toHaveLength(5);
    expect(accepted.items[0].runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(accepted.items[0].requestId).not.toBe('');

    // Another organisation sees none of it.
    expect((await m.log.listKeyRequests(stranger, { keyId: id, outcome: null })).items).toHaveLength(0);
    expect((await m.usage.getUsage(stranger, null, '30d')).totals.accepted).toBe(0);
  });

  it('pages the log and prunes it past its age in small batches', async () => {
    const { id, token } = await m.create.createApiKey(editor, {
      name: 'paged',
      selector: 'p',
      description: '',
      type: 'functional',
      expires: 'never',
      jobScope: 'all',
      fields: [],
    });
    for (let i = 0; i < 60; i++) await post(token, 'hello');
    await m.collect.flushKeyUsage();
    const first = await m.log.listKeyRequests(editor, { keyId: id, outcome: null });
    expect(first.items).toHaveLength(50);
    const second = await m.log.listKeyRequests(editor, { keyId: id, outcome: null, after: first.next });
    expect(second.items).toHaveLength(10);
    expect(new Set([...first.items, ...second.items].map((r) => r.id)).size).toBe(60);

    await world.db.apiKeyRequest.updateMany({
      where: { apiKeyId: id },
      data: { at: new Date(Date.now() - 31 * 86_400_000) },
    });
    await m.flush.pruneUsage([]);
    expect(await world.db.apiKeyRequest.count({ where: { apiKeyId: id } })).toBe(0);
  });
});
