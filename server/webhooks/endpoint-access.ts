import { type UserActor } from '../auth/actor';
import { roleAtLeast } from '../auth/roles';
import { db } from '../db';
import { AppError } from '../errors';
import { isUuid } from '../../lib/validations/ids';

/** Webhook endpoints hold secrets and reach out of the service: admins and owners manage them. */
export function canManageWebhooks(actor: Pick<UserActor, 'role'>): boolean {
  return roleAtLeast(actor.role, 'admin');
}

export function assertManager(actor: Pick<UserActor, 'role'>) {
  if (!canManageWebhooks(actor))
    throw new AppError('forbidden', 'Managing webhooks needs the admin role or higher.');
}

/** An endpoint of the organisation; another organisation's, or none, is not found. */
export async function findEndpoint(orgId: string, id: string) {
  const endpoint = isUuid(id)
    ? await db.webhookEndpoint.findFirst({ where: { id: id.toLowerCase(), orgId } })
    : null;
  if (!endpoint) throw new AppError('not_found', 'No such webhook endpoint in this organisation');
  return endpoint;
}
