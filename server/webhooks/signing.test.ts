import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_EVENTS } from '../../lib/validations/webhook';
import { openApiDocument } from '../http/openapi';
import { publicRun } from '../runs/public-run';
import { newSecret, sign, signedHeaders } from './signing';

describe('Standard Webhooks signatures', () => {
  it('sign() gives what the reference library signs, and the library verifies our headers', () => {
    const secret = newSecret();
    const body = JSON.stringify({
      type: 'run.failed',
      timestamp: '2026-12-03T08:00:00.000Z',
      data: { id: 'x' },
    });
    const at = new Date();
    expect(sign(secret, 'msg_1', Math.floor(at.getTime() / 1000), body)).toBe(
      new Webhook(secret).sign('msg_1', at, body),
    );
    expect(new Webhook(secret).verify(body, signedHeaders([secret], 'msg_1', body, at))).toEqual(
      JSON.parse(body),
    );
  });

  it('during a rotation both secrets verify; a third does not', () => {
    const [fresh, old, other] = [newSecret(), newSecret(), newSecret()];
    const headers = signedHeaders([fresh, old], 'msg_2', '{}');
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(fresh).verify('{}', headers)).not.toThrow();
    expect(() => new Webhook(old).verify('{}', headers)).not.toThrow();
    expect(() => new Webhook(other).verify('{}', headers)).toThrow();
  });
});

describe('the OpenAPI document', () => {
  const doc = openApiDocument('https://etl.example.org');

  it('describes one webhook per event', () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual([...WEBHOOK_EVENTS].sort());
  });

  it('its Run schema has every field the run resource (and so every run webhook) carries', () => {
    const run = publicRun({
      id: 'r',
      jobId: 'j',
      status: 'queued',
      params: {},
      trigger: 'schedule',
      apiKeyId: null,
      scheduleId: 's',
      externalRef: null,
      queuedAt: new Date(),
      startedAt: null,
      finishedAt: null,
      exitCode: null,
      error: null,
      attempt: 1,
    } as never);
    const properties = Object.keys((doc.components.schemas.Run as { properties: object }).properties);
    expect(properties).toEqual(expect.arrayContaining(Object.keys(run)));
  });
});

describe('retry timing', () => {
  it('backs off exponentially with jitter, and takes a Retry-After in seconds or as a date', async () => {
    const { nextDelayMs, retryAfterMs } = await import('./deliver');
    expect(nextDelayMs(1, null, () => 0)).toBeGreaterThanOrEqual(2_700);
    expect(nextDelayMs(1, null, () => 0.999)).toBeLessThan(2_719 * 1.5);
    expect(nextDelayMs(1, null, () => 0)).not.toBe(nextDelayMs(1, null, () => 0.9));
    expect(nextDelayMs(1, 120_000, () => 0)).toBe(120_000);
    const now = Date.parse('2026-12-08T00:00:00Z');
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('Tue, 08 Dec 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs('999999', now)).toBe(3_600_000);
  });
});
