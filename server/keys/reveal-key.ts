import type { z } from 'zod';
import type { revealPurposeSchema } from '../../lib/validations/api-key';
import { recordAudit } from '../audit/record';
import { auditActor, type UserActor } from '../auth/actor';
import { assertRecentlyConfirmed } from '../auth/reauth';
import { db } from '../db';
import { AppError } from '../errors';
import { canRevealKey } from './key-access';
import { keyStatus } from './key-status';
import { secretByKid } from './keyring';
import { resignToken } from './token';

/** Why a person asked for the token: to see it, or to copy it (alone or inside a snippet). */
export type RevealPurpose = z.infer<typeof revealPurposeSchema>;

/**
 * The whole token of a key, for its owner and (unless the key is personal) the organisation's admins.
 * The token is not stored: the stored claims are re-signed with the key's kid (HS256 is deterministic)
 * and the result must match the stored digest. Each deliberate act (reveal or copy) is one audit event.
 */
export async function revealApiKey(
  actor: UserActor,
  keyId: string,
  why: RevealPurpose = { purpose: 'reveal' },
): Promise<{ token: string }> {
  const key = await db.apiKey.findFirst({ where: { id: keyId, orgId: actor.orgId } });
  if (!key) throw new AppError('key_not_found', 'No such API key in this organisation');
  if (!canRevealKey(actor, key)) {
    throw new AppError(
      'forbidden',
      key.type === 'personal'
        ? 'Only the owner of a personal key may see its token'
        : 'Only the key’s owner and admins may see its token',
    );
  }
  // A console session proves its person again before a token leaves the server ("sudo").
  if (actor.sessionId) await assertRecentlyConfirmed(actor.sessionId);
  const status = keyStatus(key);
  if (status === 'revoked' || status === 'expired')
    throw new AppError('conflict', `The key is ${status}: its token no longer works and is not shown`);

  const secret = secretByKid(key.kid);
  if (!secret)
    throw new AppError(
      'conflict',
      `The signing secret "${key.kid}" of this key is no longer configured; the key cannot be used. Roll or recreate it.`,
    );
  const token = await resignToken(key.claims, secret, key.digest);
  if (!token) {
    throw new AppError(
      'conflict',
      `The signing secret "${key.kid}" has changed since the key was made; the key cannot be used. Roll or recreate it.`,
    );
  }
  const action = why.purpose === 'copy' ? 'key.copied' : 'key.revealed';
  const details =
    why.purpose === 'copy' ? { name: key.name, what: why.what.slice(0, 40) } : { name: key.name };
  await recordAudit({ orgId: actor.orgId, ...auditActor(actor), action, target: `key:${key.id}`, details });
  return { token };
}
