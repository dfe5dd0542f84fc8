import { roleAtLeast } from '../auth/roles';
import { pool } from '../db';
import { AppError } from '../errors';
import { forgetKey, loadKey, type KeyRecord } from './key-cache';
import { noteKeyUse } from './last-used';
import { digestsEqual, tokenDigest, verifyTokenSignature } from './token';

export const MAX_KEY_HEADER_BYTES = 8 * 1024;

/** A program calling the API with a key: it acts in the key's organisation, on the key's jobs. */
export interface KeyPrincipal {
  kind: 'key';
  keyId: string;
  name: string;
  orgId: string;
  orgSlug: string;
  /** Empty: every job of the organisation. */
  jobIds: string[];
  rateLimit: number | null;
  ip: string | null;
}

const invalid = () =>
  new AppError('api_key_invalid', 'The API key is not valid. Use a key copied from Integrations > Api Keys.');

/** Verifies a presented token in the order DESIGN.md section 3 gives; throws AppError on any failure. */
export async function authenticateApiKey(
  token: string | null | undefined,
  ip: string | null,
): Promise<KeyPrincipal> {
  if (!token) {
    throw new AppError(
      'api_key_missing',
      'Send the API key in the x-api-key header (or Authorization: Bearer).',
      {
        headers: { 'WWW-Authenticate': 'Bearer realm="etl-mgr", error="invalid_request"' },
      },
    );
  }
  if (Buffer.byteLength(token) > MAX_KEY_HEADER_BYTES) throw invalid();

  const check = await verifyTokenSignature(token);
  if (!check.ok) {
    if (check.reason === 'expired')
      throw new AppError('api_key_expired', 'The API key has expired. Create a new one.');
    throw invalid();
  }
  const key = await loadKey(check.payload.id);
  if (!key || key.orgSlug !== check.payload.org) throw invalid();
  const now = Date.now();
  if (key.revokedAt !== null || (key.graceUntil !== null && key.graceUntil <= now)) {
    throw new AppError('api_key_revoked', 'The API key has been revoked.');
  }
  if (key.expiresAt !== null && key.expiresAt <= now)
    throw new AppError('api_key_expired', 'The API key has expired. Create a new one.');
  if (!digestsEqual(tokenDigest(token), key.digest)) throw invalid();
  // A key acts for its owner: it works only while the owner may start jobs in the key's organisation
  // (the Membership trigger drops cached keys when that changes).
  if (!key.ownerRole || !roleAtLeast(key.ownerRole, 'editor')) {
    throw new AppError(
      'api_key_owner_inactive',
      'The key’s owner is no longer a member allowed to start jobs. Ask an admin for a key of an active member.',
    );
  }

  noteKeyUse(key.id, ip);
  if (key.rolledFromId && !key.handedOver) await retireRolledKey(key);
  return {
    kind: 'key',
    keyId: key.id,
    name: key.name,
    orgId: key.orgId,
    orgSlug: key.orgSlug,
    jobIds: key.jobIds,
    rateLimit: key.rateLimit,
    ip,
  };
}

/** The first use of a rolled key ends the old key's grace period. */
async function retireRolledKey(key: KeyRecord): Promise<void> {
  await pool.query(
    `update "ApiKey" set "revokedAt" = now() where id = $1 and "orgId" = $2 and "revokedAt" is null`,
    [key.rolledFromId, key.orgId],
  );
  forgetKey(key.rolledFromId!);
  key.handedOver = true;
}
