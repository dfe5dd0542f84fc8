import { updateApiKeySchema, type UpdateApiKeyInput } from '../../lib/validations/api-key';
import { recordAudit } from '../audit/record';
import { auditActor, type UserActor } from '../auth/actor';
import { db } from '../db';
import { AppError, fieldErrors } from '../errors';
import { canManageKey } from './key-access';

/**
 * Renames a key or changes its description: labels in the console only. The token and its claims stay
 * as they were signed (a different `app` claim means a new key).
 */
export async function updateApiKey(actor: UserActor, keyId: string, input: UpdateApiKeyInput): Promise<void> {
  const parsed = updateApiKeySchema.safeParse(input);
  if (!parsed.success)
    throw new AppError('validation_failed', 'The changes are not valid', {
      errors: fieldErrors(parsed.error.issues),
    });
  const key = await db.apiKey.findFirst({ where: { id: keyId, orgId: actor.orgId } });
  if (!key) throw new AppError('key_not_found', 'No such API key in this organisation');
  if (!canManageKey(actor, key))
    throw new AppError('forbidden', 'Only the key’s owner or an admin may edit it');
  const { name, description } = parsed.data;
  await db.$transaction(async (tx) => {
    await tx.apiKey.update({ where: { id: key.id }, data: { name, description: description || null } });
    await recordAudit(
      {
        orgId: actor.orgId,
        ...auditActor(actor),
        action: 'key.updated',
        target: `key:${key.id}`,
        details: { name, previousName: key.name },
      },
      tx,
    );
  });
}
