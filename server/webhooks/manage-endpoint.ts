import { recordAudit } from '../audit/record';
import { randomUUID } from 'node:crypto';
import { maskWebhookUrl } from './mask-url';
import { db } from '../db';
import { ENQUEUE_REDELIVERY } from './sql';
import { AppError } from '../errors';
import { checkEndpointInput, whoDid, type WebhookActor } from './create-endpoint';
import { assertManager, findEndpoint } from './endpoint-access';
import { newSecret } from './signing';

/** How long the previous secret still signs after a rotation, so receivers can switch without a gap. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

const manager = (actor: WebhookActor) => actor.kind === 'user' && assertManager(actor);

/** Deletes an endpoint with its deliveries: queued retries find nothing and send nothing. */
export async function deleteWebhookEndpoint(actor: WebhookActor, id: string): Promise<void> {
  manager(actor);
  const endpoint = await findEndpoint(actor.orgId, id);
  await db.$transaction(async (tx) => {
    await tx.webhookEndpoint.delete({ where: { id: endpoint.id } });
    await recordAudit(
      {
        orgId: actor.orgId,
        ...whoDid(actor),
        action: 'webhook.deleted',
        target: `webhook:${endpoint.id}`,
        details: { url: maskWebhookUrl(endpoint.url) },
      },
      tx,
    );
  });
}

/** A new secret signs from now on; the previous one signs beside it for ROTATION_OVERLAP_MS. */
export async function rotateWebhookSecret(
  actor: WebhookActor,
  id: string,
): Promise<{ secret: string; previousUntil: Date }> {
  manager(actor);
  const endpoint = await findEndpoint(actor.orgId, id);
  const secret = newSecret();
  const previousUntil = new Date(Date.now() + ROTATION_OVERLAP_MS);
  await db.$transaction(async (tx) => {
    await tx.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: { secrets: [secret, endpoint.secrets[0]], previousSecretUntil: previousUntil },
    });
    await recordAudit(
      {
        orgId: actor.orgId,
        ...whoDid(actor),
        action: 'webhook.secret_rotated',
        target: `webhook:${endpoint.id}`,
      },
      tx,
    );
  });
  return { secret, previousUntil };
}

/** Turns an endpoint (disabled after failing for days, or by hand) on again. */
export async function setWebhookEnabled(actor: WebhookActor, id: string, enabled: boolean): Promise<void> {
  manager(actor);
  const endpoint = await findEndpoint(actor.orgId, id);
  await db.$transaction(async (tx) => {
    await tx.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: enabled
        ? { enabled, disabledAt: null, disabledReason: null, failingSince: null }
        : { enabled, disabledAt: new Date(), disabledReason: 'turned off by hand' },
    });
    await recordAudit(
      {
        orgId: actor.orgId,
        ...whoDid(actor),
        action: enabled ? 'webhook.enabled' : 'webhook.disabled',
        target: `webhook:${endpoint.id}`,
      },
      tx,
    );
  });
}

/** Sends a delivery again now, as a new attempt of the same message (same webhook-id). */
export async function redeliverWebhook(
  actor: WebhookActor,
  endpointId: string,
  deliveryId: string,
): Promise<void> {
  manager(actor);
  const endpoint = await findEndpoint(actor.orgId, endpointId);
  const delivery = await db.webhookDelivery.findFirst({ where: { id: deliveryId, endpointId: endpoint.id } });
  if (!delivery) throw new AppError('not_found', 'No such delivery of this endpoint');
  await db.$transaction(async (tx) => {
    await tx.webhookDelivery.update({
      where: { id: delivery.id },
      data: { status: 'pending', nextAttemptAt: new Date() },
    });
    await tx.$executeRawUnsafe(...ENQUEUE_REDELIVERY.args({ deliveryId: delivery.id }));
    await recordAudit(
      {
        orgId: actor.orgId,
        ...whoDid(actor),
        action: 'webhook.redelivered',
        target: `webhook:${endpoint.id}`,
        details: { deliveryId: delivery.id },
      },
      tx,
    );
  });
}

/** Changes an endpoint's URL, description, events and jobs; its secrets stay as they are. */
export async function updateWebhookEndpoint(actor: WebhookActor, id: string, input: unknown): Promise<void> {
  manager(actor);
  const endpoint = await findEndpoint(actor.orgId, id);
  const { url, description, events, jobIds } = await checkEndpointInput(actor.orgId, input);
  await db.$transaction(async (tx) => {
    await tx.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: {
        url,
        description: description || null,
        events: [...new Set(events)],
        jobIds: [...new Set(jobIds)],
      },
    });
    await recordAudit(
      {
        orgId: actor.orgId,
        ...whoDid(actor),
        action: 'webhook.updated',
        target: `webhook:${endpoint.id}`,
        details: { url: maskWebhookUrl(url), events },
      },
      tx,
    );
  });
}

/**
 * Sends the endpoint a `webhook.test` event now (one attempt, signed like any other), recorded as a
 * delivery so its answer shows beside the others. Answers the delivery's id.
 */
export async function sendTestWebhook(actor: WebhookActor, id: string): Promise<string> {
  manager(actor);
  const endpoint = await findEndpoint(actor.orgId, id);
  const payload = JSON.stringify({
    type: 'webhook.test',
    timestamp: new Date().toISOString(),
    data: { endpointId: endpoint.id },
  });
  return db.$transaction(async (tx) => {
    const delivery = await tx.webhookDelivery.create({
      data: {
        messageId: `msg_${randomUUID().replace(/-/g, '')}`,
        endpointId: endpoint.id,
        orgId: actor.orgId,
        eventType: 'webhook.test',
        payload,
        nextAttemptAt: new Date(),
      },
    });
    await tx.$executeRawUnsafe(...ENQUEUE_REDELIVERY.args({ deliveryId: delivery.id }));
    return delivery.id;
  });
}
