import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { db } from '../db';
import { open, privateKeyObject, publicKeyObject, seal } from './crypto';
import { currentPublicKey, privateKeys } from './keys';

// Each organisation's data key: an X25519 key pair. Fields are sealed to its public half (the web server
// can do that); its private half is stored sealed to the worker's key pair, whose id is kept with it.

export const orgKeyContext = (orgId: string) => `org-key ${orgId}`;
export const fieldContext = (orgId: string, connectionId: string, field: string) =>
  `field ${orgId} ${connectionId} ${field}`;

/** The organisation's public data key, made on first use (by whoever gets there first). */
export async function orgPublicKey(orgId: string): Promise<KeyObject> {
  const found = await db.connectionKey.findUnique({ where: { orgId }, select: { publicKey: true } });
  if (found) return publicKeyObject(found.publicKey);
  const master = currentPublicKey();
  const pair = generateKeyPairSync('x25519');
  const publicKey = pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const wrappedPrivate = seal(
    master.key,
    pair.privateKey.export({ type: 'pkcs8', format: 'der' }),
    orgKeyContext(orgId),
  );
  await db.connectionKey.createMany({
    data: [{ orgId, publicKey, wrappedPrivate, masterKeyId: master.id }],
    skipDuplicates: true,
  });
  const row = await db.connectionKey.findUniqueOrThrow({ where: { orgId }, select: { publicKey: true } });
  return publicKeyObject(row.publicKey);
}

/** A data key's private half, opened with one of the given worker keys (a worker only). */
export function openOrgKey(
  row: { orgId: string; wrappedPrivate: string; masterKeyId: string },
  keys: Map<string, KeyObject> = privateKeys(),
): KeyObject {
  const master = keys.get(row.masterKeyId);
  if (!master)
    throw new Error(
      `this worker does not hold the connections key ${row.masterKeyId} (see docs/connections.md, "Keys")`,
    );
  const der = open(master, row.wrappedPrivate, orgKeyContext(row.orgId));
  return privateKeyObject(der.toString('base64'));
}
