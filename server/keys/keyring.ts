import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { processWide } from '../runtime/process-wide';

/** A signing secret, named by the `kid` that tokens carry in their header. */
export interface SigningSecret {
  kid: string;
  secret: Uint8Array;
}

const cryptoKeys = processWide('hmac-keys', () => new WeakMap<SigningSecret, Promise<CryptoKey>>());

/** The secret imported once as an HMAC key: importing it on every request costs more than the HMAC. */
export function hmacKey(secret: SigningSecret): Promise<CryptoKey> {
  let key = cryptoKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      secret.secret as Uint8Array<ArrayBuffer>,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    cryptoKeys.set(secret, key);
  }
  return key;
}

const MIN_SECRET_BYTES = 32;
const KID = /^[A-Za-z0-9_.-]{1,64}$/;

/** Parses `kid:base64,kid:base64`; the first signs, all verify. */
export function parseSecrets(value: string): SigningSecret[] {
  const secrets = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.indexOf(':');
      const kid = entry.slice(0, colon);
      if (colon < 1 || !KID.test(kid))
        throw new Error(
          'API_KEY_SECRETS: each entry is <kid>:<base64 secret>, kid of letters, digits, _ . -',
        );
      const secret = Buffer.from(entry.slice(colon + 1), 'base64');
      if (secret.length < MIN_SECRET_BYTES)
        throw new Error(
          `API_KEY_SECRETS: the secret of "${kid}" has ${secret.length} bytes; at least ${MIN_SECRET_BYTES} are needed`,
        );
      return { kid, secret: new Uint8Array(secret) };
    });
  if (secrets.length === 0) throw new Error('API_KEY_SECRETS is empty');
  if (new Set(secrets.map((s) => s.kid)).size !== secrets.length)
    throw new Error('API_KEY_SECRETS: a kid appears twice');
  return secrets;
}

/**
 * API_KEY_SECRETS when set; else the secret kept in DATA_DIR (generated on first use, mode 0600).
 * Returns the env value so a launcher can hand the same secrets to the processes it starts.
 */
export function ensureSecretsEnv(dataDir: string): string {
  if (process.env.API_KEY_SECRETS) {
    parseSecrets(process.env.API_KEY_SECRETS);
    return process.env.API_KEY_SECRETS;
  }
  const file = path.join(dataDir, 'api-key-secrets');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const kid = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
    writeFileSync(file, `${kid}:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  const value = readFileSync(file, 'utf8').trim();
  parseSecrets(value);
  process.env.API_KEY_SECRETS = value;
  return value;
}

const parsed = processWide('keyring', () => ({
  cached: undefined as { source: string; secrets: SigningSecret[] } | undefined,
}));

export function keyring(): SigningSecret[] {
  const source = process.env.API_KEY_SECRETS;
  if (!source) throw new Error('API_KEY_SECRETS is not set (npm start sets it from DATA_DIR)');
  if (parsed.cached?.source !== source) parsed.cached = { source, secrets: parseSecrets(source) };
  return parsed.cached.secrets;
}

export function signingSecret(): SigningSecret {
  return keyring()[0];
}

export function secretByKid(kid: string | undefined): SigningSecret | undefined {
  return kid === undefined ? undefined : keyring().find((s) => s.kid === kid);
}
