import { forwardedHostAndProto } from './client-address';

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/**
 * PUBLIC_URL when set. Otherwise the origin the request came to: the Host
 * header, or a trusted proxy's X-Forwarded-Host/-Proto (TRUST_PROXY); a client's own forwarded headers
 * never count.
 */
export function publicOrigin(source: HeaderSource): string {
  if (process.env.PUBLIC_URL) return process.env.PUBLIC_URL.replace(/\/+$/, '');
  const forwarded = forwardedHostAndProto(source);
  const hostHeader = source instanceof Headers ? source.get('host') : (source.host as string | undefined);
  const host = forwarded.host ?? hostHeader ?? 'localhost:3000';
  const proto = forwarded.proto ?? (/^(localhost|127\.|\[::1\])/.test(host) ? 'http' : 'https');
  return `${proto}://${host}`;
}
