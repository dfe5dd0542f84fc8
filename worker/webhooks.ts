import type { Task } from 'graphile-worker';
import { deliverWebhook } from '../server/webhooks/deliver';

/**
 * The queue task of one delivery attempt. A retry is queued here, at the time the delivery chose (its
 * jittered backoff or the receiver's Retry-After), under the same job key; a redelivery asked for by a
 * person (`manual`) is one attempt. Throwing (the database gone, say) leaves it to graphile-worker.
 */
export function webhookDeliverTask(log: (line: string) => void): Task {
  return async (payload, helpers) => {
    const { deliveryId, manual } = (payload ?? {}) as { deliveryId?: unknown; manual?: unknown };
    if (typeof deliveryId !== 'string') return;
    const result = await deliverWebhook(deliveryId, manual === true ? { number: 1, max: 1 } : undefined);
    if (result.outcome === 'failed') log(`webhook delivery ${deliveryId}: gave up`);
    if (result.outcome === 'retry')
      await helpers.addJob(
        'webhook-deliver',
        { deliveryId },
        {
          runAt: result.nextAttemptAt,
          maxAttempts: 3,
          jobKey: `webhook:${deliveryId}`,
          jobKeyMode: 'replace',
        },
      );
  };
}
