// Pure helpers shared by the login page, its form (a client component) and the proxy: nothing here
// may import server-only modules.

export const DEFAULT_AFTER_SIGN_IN = '/jobs';

/**
 * A `callbackUrl` the app may send people to after sign-in: a same-origin relative path only
 * (`/runs?job=1`). Absolute URLs, protocol-relative `//host`, backslash tricks, control characters
 * and the login page itself fall back to the default.
 */
export function safeCallbackUrl(value: unknown, fallback: string = DEFAULT_AFTER_SIGN_IN): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, 'http://same-origin.invalid');
  } catch {
    return fallback;
  }
  if (url.origin !== 'http://same-origin.invalid') return fallback;
  if (url.pathname === '/login' || url.pathname.startsWith('/api/')) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** `/login?callbackUrl=<path>` for a path the visitor wanted (sanitised), with an optional error code. */
export function loginUrlFor(path: string | null | undefined, error?: string): string {
  const query = new URLSearchParams();
  if (error) query.set('error', error);
  const target = safeCallbackUrl(path ?? '', '');
  if (target && target !== '/') query.set('callbackUrl', target);
  const qs = query.toString();
  return qs ? `/login?${qs}` : '/login';
}
