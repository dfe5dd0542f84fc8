import type { Task } from 'graphile-worker';
import { deliverWebhook } from '../server/webhooks/deliver';

/** The queue task of one delivery attempt; throwing hands it back to graphile-worker's backoff. */
export function webhookDeliverTask(log: (line: string) => void): Task {
  return async (payload, helpers) => {
    const deliveryId = (payload as { deliveryId?: unknown } | null)?.deliveryId;
    if (typeof deliveryId !== 'string') return;
    const outcome = await deliverWebhook(deliveryId, {
      number: helpers.job.attempts,
      max: helpers.job.max_attempts,
    });
    if (outcome === 'failed')
      log(`webhook delivery ${deliveryId}: gave up after attempt ${helpers.job.attempts}`);
    if (outcome === 'retry')
      throw new Error(
        `webhook delivery ${deliveryId}: attempt ${helpers.job.attempts} failed; retried later`,
      );
  };
}
