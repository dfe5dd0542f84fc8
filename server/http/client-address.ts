import ipaddr from 'ipaddr.js';
import { processWide } from '../runtime/process-wide';

// Who is calling: the address of the TCP peer, unless TRUST_PROXY names the proxies in front of this
// app, in which case their X-Forwarded-For counts. scripts/web.ts puts the
// peer's address in SOCKET_ADDRESS_HEADER after removing any copy a client sent, since Next's route
// handlers cannot see the socket. Used for the sign-in limit, the audit log and keys' last-used address
// (links are made from PUBLIC_URL only, never from Host or X-Forwarded-Host).
export const SOCKET_ADDRESS_HEADER = 'x-etl-socket-address';

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];
export type ProxyTrust = { hops: number } | { cidrs: Cidr[] } | null;

/** TRUST_PROXY: unset/`false`/`0` trusts nobody; a number trusts that many hops; else comma-separated CIDRs or addresses. */
export function parseTrustProxy(value: string | undefined): ProxyTrust {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'false' || text === '0') return null;
  if (text === 'true')
    throw new Error('TRUST_PROXY=true would trust any client; give a hop count or the proxies’ CIDRs');
  if (/^\d+$/.test(text)) return { hops: Number(text) };
  const cidrs = text.split(',').map((part) => {
    const p = part.trim();
    try {
      if (p.includes('/')) return ipaddr.parseCIDR(p);
      const addr = ipaddr.process(p);
      return [addr, addr.kind() === 'ipv4' ? 32 : 128] as Cidr;
    } catch {
      throw new Error(`TRUST_PROXY: "${p}" is neither a hop count nor an address or CIDR`);
    }
  });
  return { cidrs };
}

const parsed = processWide('trust-proxy', () => ({
  cached: undefined as { value: string | undefined; trust: ProxyTrust } | undefined,
}));
function envTrust(): ProxyTrust {
  const value = process.env.TRUST_PROXY;
  if (!parsed.cached || parsed.cached.value !== value)
    parsed.cached = { value, trust: parseTrustProxy(value) };
  return parsed.cached.trust;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;
function header(source: HeaderSource, name: string): string | null {
  if (source instanceof Headers) return source.get(name);
  const value = source[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? null);
}

function parse(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  try {
    return ipaddr.process(address.trim());
  } catch {
    return null;
  }
}

function trusted(address: string, trust: ProxyTrust & { cidrs: Cidr[] }): boolean {
  const addr = parse(address);
  return (
    addr !== null &&
    trust.cidrs.some(([range, bits]) => range.kind() === addr.kind() && addr.match(range, bits))
  );
}

/** Whether the TCP peer is a trusted proxy (so its forwarded headers count). */
function peerTrusted(socket: string | null, trust: ProxyTrust): boolean {
  if (!trust || !socket) return false;
  return 'hops' in trust ? trust.hops > 0 : trusted(socket, trust);
}

/** The client's address (normalised, IPv4-mapped IPv6 as IPv4), or null when nothing tells it. */
export function clientAddress(source: HeaderSource, trust: ProxyTrust = envTrust()): string | null {
  const socket = header(source, SOCKET_ADDRESS_HEADER);
  const peer = socket ? (parse(socket)?.toString() ?? null) : null;
  if (!peerTrusted(peer, trust)) return peer;
  const chain = (header(source, 'x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  chain.push(peer!);
  let index = chain.length - 1;
  if ('hops' in trust!) index = Math.max(0, chain.length - 1 - trust.hops);
  else while (index > 0 && trusted(chain[index], trust!)) index--;
  return parse(chain[index])?.toString() ?? peer;
}
