import { recordAudit } from '../audit/record';
import { auditActor, type UserActor } from '../auth/actor';
import { db } from '../db';
import { AppError } from '../errors';
import { canRevokeKey } from './key-access';
import { forgetKey } from './key-cache';

/** Revokes a key of the actor's organisation; owners of the key, admins and owners may. */
export async function revokeApiKey(
  actor: UserActor | { kind: 'system'; orgId?: string },
  keyId: string,
): Promise<{ alreadyRevoked: boolean }> {
  const key = await db.apiKey.findFirst({
    where: { id: keyId, ...(actor.kind === 'user' || actor.orgId ? { orgId: actor.orgId } : {}) },
  });
  if (!key) throw new AppError('key_not_found', 'No such API key');
  if (actor.kind === 'user' && !canRevokeKey(actor, key))
    throw new AppError('forbidden', 'Only the key’s owner or an admin may revoke it');
  if (key.revokedAt) return { alreadyRevoked: true };
  await db.$transaction(async (tx) => {
    await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    const who = actor.kind === 'user' ? auditActor(actor) : { actor: 'system', actorName: 'admin CLI' };
    await recordAudit(
      {
        orgId: key.orgId,
        ...who,
        action: 'key.revoked',
        target: `key:${key.id}`,
        details: { name: key.name },
      },
      tx,
    );
  });
  forgetKey(key.id);
  return { alreadyRevoked: false };
}
