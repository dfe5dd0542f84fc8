import { db } from '../db';
import { findEndpoint } from './endpoint-access';

/** The organisation's endpoints, newest first, without their secrets. */
export async function listWebhookEndpoints(orgId: string) {
  return db.webhookEndpoint.findMany({
    where: { orgId },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    omit: { secrets: true },
  });
}

/** One endpoint (no secrets) with its latest deliveries. */
export async function getWebhookEndpoint(orgId: string, id: string, take = 50) {
  const { id: endpointId } = await findEndpoint(orgId, id);
  const endpoint = await db.webhookEndpoint.findUniqueOrThrow({
    where: { id: endpointId },
    omit: { secrets: true },
  });
  const deliveries = await db.webhookDelivery.findMany({
    where: { endpointId: endpoint.id },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take,
  });
  return { endpoint, deliveries };
}
