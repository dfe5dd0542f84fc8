/**
 * The security headers of every answer (console pages, APIs, the job API's hot path, static files),
 * defined here only and set by scripts/web.ts before anything else answers. Pages add their
 * Content-Security-Policy with a fresh nonce in proxy.ts.
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'strict-origin-when-cross-origin'],
  ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  // Only over HTTPS do browsers honour it; harmless on plain HTTP.
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
];
