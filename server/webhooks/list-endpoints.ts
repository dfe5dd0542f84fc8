import type { UserActor } from '../auth/actor';
import { db } from '../db';
import { canManageWebhooks, findEndpoint } from './endpoint-access';
import { maskWebhookUrl } from './mask-url';

type Viewer = Pick<UserActor, 'orgId' | 'role'>;

/** The URL as this viewer may see it: whole for those who manage webhooks, masked for the others. */
const shown = <E extends { url: string }>(viewer: Viewer, endpoint: E): E =>
  canManageWebhooks(viewer) ? endpoint : { ...endpoint, url: maskWebhookUrl(endpoint.url) };

/** The organisation's endpoints, newest first, without their secrets. */
export async function listWebhookEndpoints(viewer: Viewer) {
  const endpoints = await db.webhookEndpoint.findMany({
    where: { orgId: viewer.orgId },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    omit: { secrets: true },
  });
  return endpoints.map((e) => shown(viewer, e));
}

/** One endpoint (no secrets) with its latest deliveries. */
export async function getWebhookEndpoint(viewer: Viewer, id: string, take = 50) {
  const { id: endpointId } = await findEndpoint(viewer.orgId, id);
  const endpoint = await db.webhookEndpoint.findUniqueOrThrow({
    where: { id: endpointId },
    omit: { secrets: true },
  });
  const deliveries = await db.webhookDelivery.findMany({
    where: { endpointId: endpoint.id },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take,
  });
  return { endpoint: shown(viewer, endpoint), deliveries };
}
