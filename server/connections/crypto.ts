import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

// Sealing to a public key (X25519 + HKDF-SHA256 + AES-256-GCM, an ECIES in the manner of HPKE's base
// mode): whoever holds only the public key can seal, only the private key opens. Used twice: a
// connection's secret fields are sealed to its organisation's data key, and each organisation's data
// key (its private half) is sealed to the worker's key pair. See docs/connections.md.

const VERSION = 'v1';

export interface KeyPairPem {
  publicKey: string;
  privateKey: string;
}

export function generateKeyPair(): KeyPairPem {
  const pair = generateKeyPairSync('x25519');
  return {
    publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** A key given as PEM, or as the base64 of its DER (SPKI for public, PKCS#8 for private). */
export function publicKeyObject(key: string | KeyObject): KeyObject {
  if (typeof key !== 'string') return key;
  const k = key.trim();
  return k.startsWith('-----')
    ? createPublicKey(k)
    : createPublicKey({ key: Buffer.from(k, 'base64'), format: 'der', type: 'spki' });
}

export function privateKeyObject(key: string | KeyObject): KeyObject {
  if (typeof key !== 'string') return key;
  const k = key.trim();
  return k.startsWith('-----')
    ? createPrivateKey(k)
    : createPrivateKey({ key: Buffer.from(k, 'base64'), format: 'der', type: 'pkcs8' });
}

const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });

/** A short, stable id of a key pair (from its public half), stored next to whatever it sealed. */
export function keyId(publicKey: string | KeyObject): string {
  return createHash('sha256')
    .update(spki(publicKeyObject(publicKey)))
    .digest('hex')
    .slice(0, 16);
}

function derive(shared: Buffer, ephemeral: Buffer, recipient: Buffer, context: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', shared, Buffer.concat([ephemeral, recipient]), `etl-connections ${context}`, 32),
  );
}

/**
 * Seals `plaintext` to `recipient`. `context` is bound into the key and the tag (the organisation, the
 * connection and the field), so a sealed value copied to another row or field does not open there.
 */
export function seal(recipient: string | KeyObject, plaintext: string | Buffer, context: string): string {
  const to = publicKeyObject(recipient);
  const eph = generateKeyPairSync('x25519');
  const ephPub = spki(eph.publicKey);
  const key = derive(diffieHellman({ privateKey: eph.privateKey, publicKey: to }), ephPub, spki(to), context);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, ephPub, iv, cipher.getAuthTag(), body]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** Opens what seal() made for this key pair and context; throws when anything differs. */
export function open(privateKey: string | KeyObject, sealed: string, context: string): Buffer {
  const [version, ephPub, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || body === undefined) throw new Error('not a sealed value');
  const priv = privateKeyObject(privateKey);
  const ephBytes = Buffer.from(ephPub, 'base64url');
  const eph = createPublicKey({ key: ephBytes, format: 'der', type: 'spki' });
  const key = derive(
    diffieHellman({ privateKey: priv, publicKey: eph }),
    ephBytes,
    spki(createPublicKey(priv)),
    context,
  );
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
}
