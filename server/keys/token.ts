import { processWide } from '../runtime/process-wide';
import { CompactSign, errors, jwtVerify, type JWTPayload } from 'jose';
import { createHash, timingSafeEqual } from 'node:crypto';
import { hmacKey, secretByKid, type SigningSecret } from './keyring';

const encoder = new TextEncoder();

/**
 * The header's first field marks the token as this product's API key, so every token begins with the same
 * 64 characters (TOKEN_PREFIX) that secret scanners match (docs/token.md has the pattern and a gitleaks
 * rule); alg, typ and kid follow as before. Keys made before it carry the plain header (`legacy`).
 */
function header(kid: string, legacy: boolean) {
  return legacy ? { alg: 'HS256', typ: 'JWT', kid } : { etl: 'apikey', alg: 'HS256', typ: 'JWT', kid };
}

/** What every token made now begins with: the base64url of `{"etl":"apikey","alg":"HS256","typ":"JWT","kid":`. */
export const TOKEN_PREFIX = 'eyJldGwiOiJhcGlrZXkiLCJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6';

/**
 * Signs the exact payload text with HS256. HMAC is deterministic, so the same text and secret always
 * give the same token: the product stores the text and the digest, never the token.
 */
export async function signClaims(
  payloadText: string,
  secret: SigningSecret,
  legacy = false,
): Promise<string> {
  return new CompactSign(encoder.encode(payloadText))
    .setProtectedHeader(header(secret.kid, legacy))
    .sign(await hmacKey(secret));
}

/** The key's token re-signed from its stored claims (either header), or null when the digest matches neither. */
export async function resignToken(
  payloadText: string,
  secret: SigningSecret,
  digest: string,
): Promise<string | null> {
  for (const legacy of [false, true]) {
    const token = await signClaims(payloadText, secret, legacy);
    if (digestsEqual(tokenDigest(token), digest)) return token;
  }
  return null;
}

export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** The prefix and the last 4 characters: enough to tell keys apart, useless to an attacker. */
export function maskToken(token: string): string {
  return `${token.slice(0, 8)}…${token.slice(-4)}`;
}

export type TokenCheck =
  | { ok: true; payload: JWTPayload & { id: string; org: string; iat: number } }
  | { ok: false; reason: 'invalid' | 'expired' };

type Verified = TokenCheck & { ok: true };

// Tokens whose signature verified, by the SHA-256 of their text, with the secret that verified them: a
// key presents the same token on every request, and HMAC over the same bytes with the same secret gives
// the same answer, so WebCrypto (the most expensive step of a start) runs once per token and process.
// Only the time claims (exp, nbf) can change their verdict; they are checked again on every use.
const verified = processWide(
  'verified-tokens',
  () => new Map<string, { check: Verified; secret: SigningSecret }>(),
);
const VERIFIED_MAX = 10_000;

/** Signature (HS256 only, secret chosen by kid) and the claims the product needs. No database. */
export async function verifyTokenSignature(token: string): Promise<TokenCheck> {
  const digest = tokenDigest(token);
  const hit = verified.get(digest);
  if (hit && secretByKid(hit.secret.kid) === hit.secret) return timeClaims(hit.check);
  let secret: SigningSecret | undefined;
  try {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        secret = secretByKid(header.kid);
        if (!secret) throw new errors.JWSSignatureVerificationFailed('unknown kid');
        return hmacKey(secret);
      },
      { algorithms: ['HS256'] },
    );
    if (
      typeof payload.id !== 'string' ||
      typeof payload.org !== 'string' ||
      typeof payload.iat !== 'number'
    ) {
      return { ok: false, reason: 'invalid' };
    }
    const check = {
      ok: true,
      payload: payload as Verified['payload'],
    } as const;
    if (verified.size >= VERIFIED_MAX) verified.clear();
    verified.set(digest, { check, secret: secret! });
    return check;
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    return { ok: false, reason: 'invalid' };
  }
}

/** jwtVerify's checks of exp and nbf (no clock tolerance), for a token verified before. */
function timeClaims(check: Verified): TokenCheck {
  const now = Math.floor(Date.now() / 1000);
  const { exp, nbf } = check.payload;
  if (nbf !== undefined && nbf > now) return { ok: false, reason: 'invalid' };
  if (exp !== undefined && exp <= now) return { ok: false, reason: 'expired' };
  return check;
}

/** Decodes a token's header and payload for display (the caller already trusts it). */
export function decodeToken(token: string): { header: unknown; payload: unknown } {
  const [h, p] = token.split('.');
  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  return { header: decode(h), payload: decode(p) };
}
