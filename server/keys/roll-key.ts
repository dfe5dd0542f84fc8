import { additionalFields, rollApiKeySchema, type RollApiKeyInput } from '../../lib/validations/api-key';
import type { UserActor } from '../auth/actor';
import { db } from '../db';
import { AppError, fieldErrors } from '../errors';
import { createApiKey } from './create-key';
import { canManageKey } from './key-access';
import { forgetKey } from './key-cache';
import { keyStatus } from './key-status';

/**
 * Issues a new key with the same claims (a new id and iat) and settings. The old key keeps working until
 * the new one is first used (authenticate-key.ts then revokes it) or the grace period ends. Writes
 * 'key.rolled' (create-key.ts) with the old key's id.
 */
export async function rollApiKey(
  actor: UserActor,
  keyId: string,
  input: RollApiKeyInput = {},
): Promise<{ id: string; token: string }> {
  const parsed = rollApiKeySchema.safeParse(input);
  if (!parsed.success)
    throw new AppError('validation_failed', 'The grace period is not valid', {
      errors: fieldErrors(parsed.error.issues),
    });
  const key = await db.apiKey.findFirst({ where: { id: keyId, orgId: actor.orgId } });
  if (!key) throw new AppError('key_not_found', 'No such API key in this organisation');
  if (!canManageKey(actor, key))
    throw new AppError('forbidden', 'Only the key’s owner or an admin may roll it');
  const status = keyStatus(key);
  if (status === 'revoked' || status === 'expired')
    throw new AppError('conflict', `The key is ${status}; create a new key instead`);
  if (
    status === 'rolling' ||
    (await db.apiKey.count({ where: { orgId: actor.orgId, rolledFromId: key.id } })) > 0
  ) {
    throw new AppError('conflict', 'The key has already been rolled; roll its newer key instead');
  }

  const claims = JSON.parse(key.claims) as Record<string, unknown>;
  const created = await createApiKey(
    actor,
    {
      name: String(claims.app ?? key.name),
      selector: String(claims.uid ?? key.selector),
      description: key.description ?? '',
      type: key.type,
      expires: typeof claims.exp === 'number' ? 'date' : 'never',
      expiresAt: typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : '',
      jobScope: key.jobIds.length ? 'chosen' : 'all',
      jobIds: key.jobIds,
      fields: additionalFields(claims),
      rateLimit: key.rateLimit,
    },
    { ownerId: key.ownerId, rolledFromId: key.id },
  );

  const graceUntil = new Date(Date.now() + parsed.data.graceHours * 3_600_000);
  await db.$transaction([
    // The console label follows the old key (it may have been renamed since it was signed); lists and
    // the key's page show the roll date beside it.
    db.apiKey.update({ where: { id: created.id }, data: { name: key.name } }),
    db.apiKey.updateMany({
      where: { id: key.id, orgId: actor.orgId, revokedAt: null },
      data: { graceUntil },
    }),
  ]);
  forgetKey(key.id);
  return created;
}
