// The secret that signs and encrypts next-auth's session JWT. The launcher always sets NEXTAUTH_SECRET;
// outside production a fixed, clearly dev-only value keeps `next dev` working without setup.
const DEV_ONLY_SECRET = 'etl-mgr-dev-only-session-secret--never-use-in-production';

/** NEXTAUTH_SECRET (or AUTH_SECRET); undefined in production when unset, which next-auth refuses to run with. */
export function authSecret(): string | undefined {
  const secret = process.env.NEXTAUTH_SECRET || process.env.AUTH_SECRET;
  if (secret) return secret;
  return process.env.NODE_ENV === 'production' ? undefined : DEV_ONLY_SECRET;
}
