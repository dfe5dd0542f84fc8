import { connectionKeySettings } from '../config';
import { db } from '../db';
import { open, seal } from './crypto';
import { currentPublicKey, privateKeys, removeOldPrivateKeys, writeKeyPair } from './keys';
import { orgKeyContext } from './org-key';

/**
 * The operator's key rotation (npm run admin -- connection rotate-key): a new key pair in DATA_DIR, every
 * organisation's data key re-wrapped under it, then the old private keys deleted. Web servers seal new
 * data keys to the new public key as soon as it is written; workers read the private keys at each run,
 * so they hold old and new until the re-wrap is done: nothing stops.
 */
export async function rotateConnectionKeys(): Promise<{
  keyId: string;
  rewrapped: number;
  retired: string[];
}> {
  const s = connectionKeySettings();
  if (s.publicKey || s.publicKeyFile || s.privateKey || s.privateKeyFile)
    throw new Error(
      'the connections key pair comes from the environment (CONNECTIONS_*): give the workers the new private key next to the old one, the web servers the new public key, then run this command with the new pair in the environment (docs/connections.md, "Rotation")',
    );
  const keyId = writeKeyPair(s.dir);
  return { keyId, ...(await rewrapDataKeys()), retired: removeOldPrivateKeys(keyId) };
}

/** Re-wraps every data key not yet under the current public key, with whichever private key opens it. */
export async function rewrapDataKeys(): Promise<{ rewrapped: number }> {
  const current = currentPublicKey();
  const keys = privateKeys();
  if (!keys.has(current.id)) throw new Error(`no private key for the current public key ${current.id}`);
  const rows = await db.connectionKey.findMany({ where: { masterKeyId: { not: current.id } } });
  let rewrapped = 0;
  for (const row of rows) {
    const old = keys.get(row.masterKeyId);
    if (!old)
      throw new Error(`no private key ${row.masterKeyId} to open the data key of organisation ${row.orgId}`);
    const context = orgKeyContext(row.orgId);
    const wrapped = seal(current.key, open(old, row.wrappedPrivate, context), context);
    open(keys.get(current.id)!, wrapped, context); // proven to open before the old one goes
    const { count } = await db.connectionKey.updateMany({
      where: { orgId: row.orgId, masterKeyId: row.masterKeyId },
      data: { wrappedPrivate: wrapped, masterKeyId: current.id, rewrappedAt: new Date() },
    });
    rewrapped += count;
  }
  return { rewrapped };
}
