import { db } from '../db';
import { guardedFetch, readStart } from '../net/guarded-fetch';
import { signedHeaders } from './signing';

/** An endpoint failing this long (every delivery since, retries included) is turned off with a notice. */
export const DISABLE_AFTER_MS = 3 * 86_400_000;
const TIMEOUT_MS = 10_000;

export interface Attempt {
  /** This attempt's number (graphile-worker's job.attempts, 1-based) and the last one allowed. */
  number: number;
  max: number;
}

/** graphile-worker's own backoff (failJobs): exp(min(attempts, 10)) seconds after a failed attempt. */
export const retryDelayMs = (attempt: number) => Math.round(Math.exp(Math.min(attempt, 10)) * 1000);

async function send(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ code: number | null; error: string | null }> {
  try {
    const response = await guardedFetch(url, {
      method: 'POST',
      headers,
      body,
      maxRedirects: 0,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await readStart(response.body, 1024).catch(() => {});
    return { code: response.status, error: response.ok ? null : `answered ${response.status}` };
  } catch (error) {
    const e = error as Error & { cause?: { message?: string }; name: string };
    return {
      code: null,
      error:
        e.name === 'TimeoutError'
          ? `no answer within ${TIMEOUT_MS / 1000} s`
          : (e.cause?.message ?? e.message),
    };
  }
}

/**
 * One attempt of one delivery, signed with the endpoint's secret(s) at the time of sending. Returns
 * whether the queue should try again (a failure with attempts left). A delivery whose endpoint was
 * deleted is gone with it, so nothing is sent.
 */
export async function deliverWebhook(
  deliveryId: string,
  attempt: Attempt,
  now = new Date(),
): Promise<'sent' | 'retry' | 'failed' | 'gone'> {
  const d = await db.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { endpoint: true } });
  if (!d) return 'gone';
  if (!d.endpoint.enabled) {
    await db.webhookDelivery.update({
      where: { id: d.id },
      data: { status: 'failed', error: 'endpoint disabled', nextAttemptAt: null },
    });
    return 'failed';
  }
  const e = d.endpoint;
  const secrets = e.secrets.filter(
    (_, i) => i === 0 || (e.previousSecretUntil !== null && e.previousSecretUntil > now),
  );
  const started = performance.now();
  const { code, error } = await send(e.url, signedHeaders(secrets, d.messageId, d.payload), d.payload);
  const durationMs = Math.round(performance.now() - started);
  const ok = error === null;
  const since = e.failingSince ?? now;
  const disable = !ok && now.getTime() - since.getTime() >= DISABLE_AFTER_MS;
  const last = attempt.number >= attempt.max || disable;
  await db.webhookDelivery.update({
    where: { id: d.id },
    data: {
      status: ok ? 'succeeded' : last ? 'failed' : 'pending',
      attempts: { increment: 1 },
      responseCode: code,
      durationMs,
      error,
      lastAttemptAt: now,
      nextAttemptAt: ok || last ? null : new Date(now.getTime() + retryDelayMs(attempt.number)),
    },
  });
  if (ok) {
    if (e.failingSince)
      await db.webhookEndpoint.update({ where: { id: e.id }, data: { failingSince: null } });
    return 'sent';
  }
  await db.webhookEndpoint.updateMany({
    where: { id: e.id, enabled: true },
    data: disable
      ? {
          failingSince: since,
          enabled: false,
          disabledAt: now,
          disabledReason: `every delivery failed for ${Math.round(DISABLE_AFTER_MS / 86_400_000)} days (last: ${error})`,
        }
      : { failingSince: since },
  });
  return last ? 'failed' : 'retry';
}
