/** PUBLIC_URL when set, else the origin the request came to (behind a proxy: its forwarded host). */
export function publicOrigin(request: Request | { headers: Headers }): string {
  if (process.env.PUBLIC_URL) return process.env.PUBLIC_URL.replace(/\/+$/, '');
  const headers = request.headers;
  const host = headers.get('x-forwarded-host') ?? headers.get('host');
  const proto = headers.get('x-forwarded-proto') ?? ('url' in request ? new URL(request.url).protocol.replace(':', '') : 'http');
  return host ? `${proto}://${host}` : 'url' in request ? new URL(request.url).origin : 'http://localhost:3000';
}
