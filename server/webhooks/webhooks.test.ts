// Webhooks end to end against a real Postgres and a real worker: a local receiver checks every delivery
// with the Standard Webhooks reference library, answers 500 on purpose, and hears nothing after its
// endpoint is deleted.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningWorker } from '../../worker/index';
import { startTestDatabase, waitFor, type TestDatabase } from '../../worker/test-support';

interface Received {
  id: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

let t: TestDatabase;
let worker: RunningWorker;
let receiver: http.Server;
let url = '';
let received: Received[] = [];
/** How the receiver answers the next requests (200 once the list is used up). */
let answers: (number | { status: number; headers: Record<string, string> })[] = [];
let api: typeof import('./create-endpoint') & typeof import('./manage-endpoint');
const system = () => ({ kind: 'system' as const, orgId: t.orgId });

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({
        id: String(req.headers['webhook-id']),
        headers: req.headers as Record<string, string>,
        body,
        at: Date.now(),
      });
      const answer = answers.shift() ?? 200;
      if (typeof answer === 'number') res.statusCode = answer;
      else {
        res.statusCode = answer.status;
        for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
      }
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  process.env.HTTP_JOBS_ALLOWED_HOSTS = '127.0.0.1';
  t = await startTestDatabase();
  api = { ...(await import('./create-endpoint')), ...(await import('./manage-endpoint')) };
  const { startWorker } = await import('../../worker/index');
  worker = await startWorker({ connectionString: t.url, pollInterval: 200, log: () => {} });
});
afterAll(async () => {
  await worker?.stop();
  receiver?.close();
  await t?.stop();
});
beforeEach(async () => {
  await t.db.webhookEndpoint.deleteMany({});
  received = [];
  answers = [];
});

const job = () => t.createJob({ type: 'command', config: { command: process.execPath, args: ['-e', ''] } });
const verify = (secret: string, r: Received) =>
  new Webhook(secret).verify(r.body, r.headers) as {
    type: string;
    timestamp: string;
    data: Record<string, unknown>;
  };

describe('webhook deliveries', () => {
  it('signs run.started and run.succeeded as Standard Webhooks; the data is the API’s run resource', async () => {
    const { secret } = await api.createWebhookEndpoint(system(), {
      url,
      events: ['run.started', 'run.succeeded', 'run.failed'],
    });
    expect(secret).toMatch(/^whsec_/);
    const runId = await t.startRun(await job());
    await waitFor(() => received.length >= 2, 20_000, 'two deliveries');
    const events = received.map((r) => verify(secret, r));
    expect(events.map((e) => e.type).sort()).toEqual(['run.started', 'run.succeeded']); // two slots: either may land first
    const succeeded = events.find((e) => e.type === 'run.succeeded')!;
    const { publicRun } = await import('../runs/public-run');
    expect(succeeded.data).toEqual(JSON.parse(JSON.stringify(publicRun(await t.run(runId)))));
    expect(succeeded.data).toMatchObject({ id: runId, status: 'succeeded', trigger: 'api' });
    expect(events.find((e) => e.type === 'run.started')!.data).toMatchObject({
      id: runId,
      status: 'running',
      finishedAt: null,
    });
    expect(new Set(received.map((r) => r.id)).size).toBe(2);
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(
        received[0].body,
        received[0].headers,
      ),
    ).toThrow();
  });

  it('retries after two 500s with growing gaps, under the same webhook-id, and records each answer', async () => {
    const { id, secret } = await api.createWebhookEndpoint(system(), { url, events: ['run.succeeded'] });
    answers = [500, 500];
    await t.startRun(await job());
    await waitFor(() => received.length >= 3, 40_000, 'the third attempt');
    expect(new Set(received.map((r) => r.id)).size).toBe(1);
    received.forEach((r) => expect(verify(secret, r).type).toBe('run.succeeded'));
    const gaps = [received[1].at - received[0].at, received[2].at - received[1].at];
    expect(gaps[0]).toBeGreaterThanOrEqual(2_000);
    expect(gaps[1]).toBeGreaterThan(gaps[0]);
    const delivery = await waitFor(
      () => t.db.webhookDelivery.findFirst({ where: { endpointId: id, status: 'succeeded' } }),
      5_000,
      'the delivery to be recorded',
    );
    expect(delivery).toMatchObject({ attempts: 3, responseCode: 200, error: null });
    expect((await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id } })).failingSince).toBeNull();
  }, 60_000);

  it('sends nothing after the endpoint is deleted, not even a retry already queued', async () => {
    const { id } = await api.createWebhookEndpoint(system(), { url, events: ['run.succeeded'] });
    answers = [500, 500, 500];
    await t.startRun(await job());
    await waitFor(() => received.length >= 1, 20_000, 'the first attempt');
    await api.deleteWebhookEndpoint(system(), id);
    await t.startRun(await job());
    await new Promise((resolve) => setTimeout(resolve, 6_000)); // past the first retry's time
    expect(received).toHaveLength(1);
  }, 30_000);

  it('filters by job, signs with both secrets while a rotation overlaps, and redelivers on request', async () => {
    const wanted = await job();
    const { id, secret: old } = await api.createWebhookEndpoint(system(), {
      url,
      events: ['run.succeeded'],
      jobIds: [wanted],
    });
    const { secret: fresh } = await api.rotateWebhookSecret(system(), id);
    await t.startRun(await job()); // another job: not sent
    await t.startRun(wanted);
    await waitFor(() => received.length >= 1, 20_000, 'a delivery');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(received).toHaveLength(1);
    expect(verify(old, received[0]).type).toBe('run.succeeded');
    expect(verify(fresh, received[0]).type).toBe('run.succeeded');
    const delivery = await t.db.webhookDelivery.findFirstOrThrow({ where: { endpointId: id } });
    await api.redeliverWebhook(system(), id, delivery.id);
    await waitFor(() => received.length >= 2, 20_000, 'the redelivery');
    expect(received[1].id).toBe(received[0].id);
    expect(received[1].body).toBe(received[0].body);
  }, 40_000);

  it('announces a revoked key', async () => {
    const { secret } = await api.createWebhookEndpoint(system(), { url, events: ['key.revoked'] });
    const user = await t.db.user.create({ data: { email: `u${Date.now()}@x.test`, passwordHash: 'x' } });
    const key = await t.db.apiKey.create({
      data: {
        id: crypto.randomUUID(),
        orgId: t.orgId,
        ownerId: user.id,
        name: 'ci',
        selector: 'ci',
        claims: '{}',
        kid: 'k',
        digest: `d${Date.now()}`,
        masked: 'x',
      },
    });
    const { revokeApiKey } = await import('../keys/revoke-key');
    await revokeApiKey({ kind: 'system' }, key.id);
    await waitFor(() => received.length >= 1, 20_000, 'the key.revoked delivery');
    expect(verify(secret, received[0])).toMatchObject({
      type: 'key.revoked',
      data: { id: key.id, name: 'ci' },
    });
  });

  it('turns off an endpoint that has failed for three days, with the reason', async () => {
    const { id } = await api.createWebhookEndpoint(system(), { url, events: ['run.succeeded'] });
    await t.db.webhookEndpoint.update({
      where: { id },
      data: { failingSince: new Date(Date.now() - 3 * 86_400_000 - 60_000) },
    });
    answers = [503];
    await t.startRun(await job());
    const off = await waitFor(
      async () => {
        const e = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id } });
        return e.enabled ? null : e;
      },
      20_000,
      'the endpoint to be turned off',
    );
    expect(off.disabledReason).toMatch(/failed for 3 days.*503/);
    expect((await t.db.webhookDelivery.findFirstOrThrow({ where: { endpointId: id } })).status).toBe(
      'failed',
    );
  });

  it('a receiver’s 410 Gone turns the endpoint off at once, with a notice in the audit log', async () => {
    const { id } = await api.createWebhookEndpoint(system(), { url, events: ['run.succeeded'] });
    answers = [410];
    await t.startRun(await job());
    const off = await waitFor(
      async () => {
        const e = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id } });
        return e.enabled ? null : e;
      },
      20_000,
      'the endpoint to be turned off',
    );
    expect(off.disabledReason).toMatch(/410/);
    expect((await t.db.webhookDelivery.findFirstOrThrow({ where: { endpointId: id } })).status).toBe(
      'failed',
    );
    const notice = await t.db.auditEvent.findFirst({
      where: { orgId: t.orgId, action: 'webhook.disabled', target: `webhook:${id}` },
    });
    expect(notice?.details).toMatchObject({ reason: expect.stringMatching(/410/) });
    await new Promise((resolve) => setTimeout(resolve, 4_000)); // past the first retry's time
    expect(received).toHaveLength(1);
  }, 30_000);

  it('a receiver’s 429 with Retry-After is waited out before the next attempt', async () => {
    await api.createWebhookEndpoint(system(), { url, events: ['run.succeeded'] });
    answers = [{ status: 429, headers: { 'Retry-After': '6' } }];
    await t.startRun(await job());
    await waitFor(() => received.length >= 2, 30_000, 'the second attempt');
    expect(received[1].at - received[0].at).toBeGreaterThanOrEqual(5_900);
  }, 40_000);

  it('a URL with credentials and a token is masked for members who do not manage webhooks and in the audit log', async () => {
    const secretUrl = url.replace('http://', 'http://hook-user:hook-pass@') + '?token=abc123';
    const { id } = await api.createWebhookEndpoint(system(), { url: secretUrl, events: ['run.succeeded'] });
    const { listWebhookEndpoints, getWebhookEndpoint } = await import('./list-endpoints');
    const viewer = { orgId: t.orgId, role: 'viewer' as const };
    const admin = { orgId: t.orgId, role: 'admin' as const };
    const seen = (await listWebhookEndpoints(viewer)).find((e) => e.id === id)!.url;
    expect(seen).not.toMatch(/hook-pass|hook-user|abc123/);
    expect(seen).toContain('/hook');
    expect((await getWebhookEndpoint(viewer, id)).endpoint.url).toBe(seen);
    expect((await listWebhookEndpoints(admin)).find((e) => e.id === id)!.url).toBe(secretUrl);
    await api.deleteWebhookEndpoint(system(), id);
    const audit = await t.db.auditEvent.findMany({ where: { target: `webhook:${id}` } });
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(audit.map((a) => a.details))).not.toMatch(/hook-pass|abc123/);
  });

  it('an endpoint is edited (URL, events, jobs) keeping its secret, and a test event is sent on request', async () => {
    const { id, secret } = await api.createWebhookEndpoint(system(), { url, events: ['run.failed'] });
    const wanted = await job();
    await api.updateWebhookEndpoint(system(), id, {
      url: `${url}/v2`,
      events: ['run.succeeded'],
      jobIds: [wanted],
    });
    const edited = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id } });
    expect(edited).toMatchObject({ url: `${url}/v2`, events: ['run.succeeded'], jobIds: [wanted] });
    expect(edited.secrets).toEqual([secret]);
    const deliveryId = await api.sendTestWebhook(system(), id);
    await waitFor(() => received.length >= 1, 20_000, 'the test event');
    expect(verify(secret, received[0])).toMatchObject({ type: 'webhook.test', data: { endpointId: id } });
    const delivery = await waitFor(
      () => t.db.webhookDelivery.findFirst({ where: { id: deliveryId, status: 'succeeded' } }),
      5_000,
      'the test delivery to be recorded',
    );
    expect(delivery?.responseCode).toBe(200);
    expect(
      (await api.updateWebhookEndpoint(system(), id, { url: 'ftp://x', events: [] }).catch((e) => e)).code,
    ).toBe('validation_failed');
  });

  it('refuses a loopback URL the operator did not open (422 host_not_allowed)', async () => {
    process.env.HTTP_JOBS_ALLOWED_HOSTS = '';
    try {
      await expect(
        api.createWebhookEndpoint(system(), { url: 'http://127.0.0.1:5432/', events: ['run.failed'] }),
      ).rejects.toMatchObject({
        code: 'validation_failed',
        errors: [{ path: 'url', message: expect.stringMatching(/^host_not_allowed: .*loopback/) }],
      });
      await expect(
        api.createWebhookEndpoint(system(), { url: 'http://169.254.169.254/latest', events: ['run.failed'] }),
      ).rejects.toMatchObject({ code: 'validation_failed' });
    } finally {
      process.env.HTTP_JOBS_ALLOWED_HOSTS = '127.0.0.1';
    }
  });

  it('a role with rights on runs only (as a least-privilege worker) still queues the deliveries of its status change', async () => {
    const { id } = await api.createWebhookEndpoint(system(), { url, events: ['run.cancelled'] });
    const runId = await t.startRun(await job(), {}, { enqueue: false });
    await t.db.$executeRawUnsafe(`create role runs_only login password 'runs-only-password'`);
    await t.db.$executeRawUnsafe(`grant usage on schema public to runs_only`);
    await t.db.$executeRawUnsafe(`grant select, update on "JobRun" to runs_only`);
    const u = new URL(t.url);
    u.username = 'runs_only';
    u.password = 'runs-only-password';
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: u.toString() });
    await client.connect();
    try {
      await expect(client.query('select count(*) from "WebhookDelivery"')).rejects.toThrow(
        /permission denied/,
      );
      await client.query(`update "JobRun" set status = 'cancelled' where id = $1`, [runId]);
    } finally {
      await client.end();
    }
    await waitFor(() => received.length >= 1, 20_000, 'the run.cancelled delivery');
    expect(JSON.parse(received[0].body)).toMatchObject({
      type: 'run.cancelled',
      data: { id: runId, status: 'cancelled' },
    });
    expect(await t.db.webhookDelivery.count({ where: { endpointId: id } })).toBe(1);
  });
});
