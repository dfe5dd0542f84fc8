import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT, base64url, decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import { E2E_DATA_DIR, ROOT } from './env';

// Forging attack tokens with the app's real signing secret, as an attacker who stole it would.

export interface SigningSecret {
  kid: string;
  secret: Uint8Array;
}

/** The signing secret of the e2e app: API_KEY_SECRETS when set, else the first line of .data-e2e/api-key-secrets. */
export function readSigningSecret(): SigningSecret {
  const source =
    process.env.API_KEY_SECRETS ?? readFileSync(path.join(ROOT, E2E_DATA_DIR, 'api-key-secrets'), 'utf8');
  const first = source
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean)[0];
  const colon = first.indexOf(':');
  return {
    kid: first.slice(0, colon),
    secret: new Uint8Array(Buffer.from(first.slice(colon + 1), 'base64')),
  };
}

export function payloadOf(token: string): JWTPayload & Record<string, unknown> {
  return decodeJwt(token) as JWTPayload & Record<string, unknown>;
}

export function headerOf(token: string) {
  return decodeProtectedHeader(token);
}

/** The claims, signed with the given secret (HS256 unless told otherwise) and header. */
export async function sign(
  claims: Record<string, unknown>,
  secret: Uint8Array,
  header: { alg?: string; kid?: string; typ?: string } = {},
): Promise<string> {
  const { alg = 'HS256', typ = 'JWT', kid } = header;
  return new SignJWT(claims as JWTPayload)
    .setProtectedHeader({ alg, typ, ...(kid !== undefined ? { kid } : {}) })
    .sign(secret);
}

/** An unsigned token: `{"alg":"none"}` and an empty signature. */
export function unsigned(claims: Record<string, unknown>, kid?: string): string {
  const enc = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${enc({ alg: 'none', typ: 'JWT', ...(kid ? { kid } : {}) })}.${enc(claims)}.`;
}

/** The token with one character of its signature changed (a character that changes the bytes). */
export function tamperSignature(token: string): string {
  const [h, p, s] = token.split('.');
  const c = s[0] === 'A' ? 'B' : 'A';
  return `${h}.${p}.${c}${s.slice(1)}`;
}

/** The token with its payload edited but the original signature kept. */
export function tamperPayload(
  token: string,
  edit: (claims: Record<string, unknown>) => Record<string, unknown>,
): string {
  const [h, , s] = token.split('.');
  return `${h}.${base64url.encode(JSON.stringify(edit(payloadOf(token))))}.${s}`;
}
