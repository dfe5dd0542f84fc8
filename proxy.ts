import { getToken } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';
import { loginUrlFor } from '@/server/auth/callback-url';
import { authSecret } from '@/server/auth/secret';
import { contentSecurityPolicy } from '@/server/http/content-security-policy';

// Signed-in screens: a visitor without a valid session cookie goes to /login?callbackUrl=<path>.
// This is the fast path only; every console page and server action still calls requireSession().
const CONSOLE_PREFIXES = ['/jobs', '/runs', '/audit', '/integrations', '/settings', '/api-reference'];

function isConsolePath(pathname: string): boolean {
  return pathname === '/' || CONSOLE_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/** Paths the proxy never touches, even if the matcher lets one through (e.g. _next/data). */
function isExcluded(pathname: string): boolean {
  return (
    pathname.startsWith('/api/') ||
    pathname === '/api' ||
    pathname.startsWith('/etl-mgr/api/') ||
    pathname === '/etl-mgr/api' ||
    pathname.startsWith('/_next/')
  );
}

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (isExcluded(pathname)) return NextResponse.next();

  if (isConsolePath(pathname)) {
    const token = await getToken({ req: request, secret: authSecret() });
    if (!token?.sub) {
      return NextResponse.redirect(new URL(loginUrlFor(`${pathname}${search}`), request.url));
    }
  }

  // Hand the path to server components (requireSession builds its callbackUrl from it), and a fresh
  // nonce for the page's scripts.
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV !== 'production' });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-pathname', pathname);
  requestHeaders.set('x-search', search);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

export const config = {
  matcher: [
    // Every page (the login page too, for its CSP); not the APIs, Next's assets or static files.
    '/((?!api(?:/|$)|etl-mgr/api(?:/|$)|_next/|favicon\\.ico$|robots\\.txt$|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico|txt|css|js|map|woff2?)$).*)',
  ],
};
