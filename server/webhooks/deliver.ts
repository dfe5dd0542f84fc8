import { recordAudit } from '../audit/record';
import { db } from '../db';
import { guardedFetch, readStart } from '../net/guarded-fetch';
import { signedHeaders } from './signing';
import { maskWebhookUrl } from './mask-url';

/** An endpoint failing this long (every delivery since, retries included) is turned off with a notice. */
export const DISABLE_AFTER_MS = 3 * 86_400_000;
/** A receiver has this long to answer (Standard Webhooks suggests 15-30 s). */
const TIMEOUT_MS = 20_000;
/** Attempts of a delivery the queue makes by itself (the first and the retries). */
export const MAX_ATTEMPTS = 14;
/** The longest Retry-After a receiver can ask for. */
const MAX_RETRY_AFTER_MS = 3_600_000;

export interface Attempt {
  /** This attempt's number (graphile-worker's job.attempts, 1-based) and the last one allowed. */
  number: number;
  max: number;
}

/** The backoff before jitter: exp(min(attempts, 10)) seconds after a failed attempt. */
export const retryDelayMs = (attempt: number) => Math.round(Math.exp(Math.min(attempt, 10)) * 1000);

/**
 * The wait before the next attempt: the backoff stretched by up to half again at random (so endpoints
 * that failed together are not retried together), and never sooner than the receiver's Retry-After.
 */
export function nextDelayMs(attempt: number, retryAfter: number | null, random = Math.random): number {
  return Math.max(retryAfter ?? 0, Math.round(retryDelayMs(attempt) * (1 + random() * 0.5)));
}

/** A Retry-After header (seconds, or an HTTP date) in ms from now, at most an hour; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const text = header.trim();
  const ms = /^\d{1,10}$/.test(text)
    ? Number(text) * 1000
    : /[a-z]/i.test(text)
      ? Date.parse(text) - now
      : NaN;
  if (!Number.isFinite(ms)) return null;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

const firstValue = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value) ?? null;

async function send(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ code: number | null; error: string | null; retryAfter: number | null }> {
  try {
    const response = await guardedFetch(url, {
      method: 'POST',
      headers,
      body,
      maxRedirects: 0,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await readStart(response.body, 1024).catch(() => {});
    const throttled = response.status === 429 || response.status === 503;
    return {
      code: response.status,
      error: response.ok ? null : `answered ${response.status}`,
      retryAfter: throttled ? retryAfterMs(firstValue(response.headers['retry-after'])) : null,
    };
  } catch (error) {
    const e = error as Error & { cause?: { message?: string }; name: string };
    return {
      code: null,
      retryAfter: null,
      error:
        e.name === 'TimeoutError'
          ? `no answer within ${TIMEOUT_MS / 1000} s`
          : (e.cause?.message ?? e.message),
    };
  }
}

export type Outcome = { outcome: 'sent' | 'failed' | 'gone' } | { outcome: 'retry'; nextAttemptAt: Date };

/**
 * One attempt of one delivery, signed with the endpoint's secret(s) at the time of sending. Returns
 * whether (and when) the queue should try again: a failure with attempts left, after the jittered
 * backoff or the receiver's Retry-After. A 410 Gone turns the endpoint off at once (Standard
 * Webhooks), with a notice in the audit log. A delivery whose endpoint was deleted is gone with it.
 * Without `attempt`, the delivery's own count says which attempt this is, of MAX_ATTEMPTS.
 */
export async function deliverWebhook(
  deliveryId: string,
  attempt?: Attempt,
  now = new Date(),
): Promise<Outcome> {
  const d = await db.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { endpoint: true } });
  if (!d) return { outcome: 'gone' };
  attempt ??= { number: d.attempts + 1, max: MAX_ATTEMPTS };
  if (!d.endpoint.enabled) {
    await db.webhookDelivery.update({
      where: { id: d.id },
      data: { status: 'failed', error: 'endpoint disabled', nextAttemptAt: null },
    });
    return { outcome: 'failed' };
  }
  const e = d.endpoint;
  const secrets = e.secrets.filter(
    (_, i) => i === 0 || (e.previousSecretUntil !== null && e.previousSecretUntil > now),
  );
  const started = performance.now();
  const { code, error, retryAfter } = await send(
    e.url,
    signedHeaders(secrets, d.messageId, d.payload),
    d.payload,
  );
  const durationMs = Math.round(performance.now() - started);
  const ok = error === null;
  const since = e.failingSince ?? now;
  const disabledBecause =
    code === 410
      ? 'the receiver answered 410 Gone'
      : !ok && now.getTime() - since.getTime() >= DISABLE_AFTER_MS
        ? `every delivery failed for ${Math.round(DISABLE_AFTER_MS / 86_400_000)} days (last: ${error})`
        : null;
  const last = attempt.number >= attempt.max || disabledBecause !== null;
  const nextAttemptAt = new Date(now.getTime() + nextDelayMs(attempt.number, retryAfter));
  await db.webhookDelivery.update({
    where: { id: d.id },
    data: {
      status: ok ? 'succeeded' : last ? 'failed' : 'pending',
      attempts: { increment: 1 },
      responseCode: code,
      durationMs,
      error,
      lastAttemptAt: now,
      nextAttemptAt: ok || last ? null : nextAttemptAt,
    },
  });
  if (ok) {
    if (e.failingSince)
      await db.webhookEndpoint.update({ where: { id: e.id }, data: { failingSince: null } });
    return { outcome: 'sent' };
  }
  const { count: turnedOff } = await db.webhookEndpoint.updateMany({
    where: { id: e.id, enabled: true },
    data: disabledBecause
      ? { failingSince: since, enabled: false, disabledAt: now, disabledReason: disabledBecause }
      : { failingSince: since },
  });
  if (disabledBecause && turnedOff > 0)
    await recordAudit({
      orgId: e.orgId,
      actor: 'system',
      actorName: 'webhook delivery',
      action: 'webhook.disabled',
      target: `webhook:${e.id}`,
      details: { url: maskWebhookUrl(e.url), reason: disabledBecause },
    });
  return last ? { outcome: 'failed' } : { outcome: 'retry', nextAttemptAt };
}
