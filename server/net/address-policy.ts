import ipaddr from 'ipaddr.js';

// Which network destinations an HTTP job (or a webhook) may reach. Pure: no DNS, no sockets.

/** The refused ranges by ipaddr.js's range name, as a person reads them. */
const RANGE_LABEL: Record<string, string> = {
  loopback: 'loopback addresses',
  private: 'private network addresses',
  linkLocal: 'link-local addresses (this includes cloud metadata services)',
  carrierGradeNat: 'carrier-grade NAT addresses (100.64.0.0/10)',
  uniqueLocal: 'unique-local addresses (fc00::/7, this includes cloud metadata services)',
  multicast: 'multicast addresses',
  broadcast: 'the broadcast address',
  unspecified: 'unspecified addresses',
};

/** One operator entry of HTTP_JOBS_ALLOWED_HOSTS: a host name, an address or a CIDR, optionally with a port. */
export interface AllowedHost {
  host?: string;
  cidr?: [ipaddr.IPv4 | ipaddr.IPv6, number];
  port?: number;
}

/** The address itself, with an IPv4-mapped IPv6 address (::ffff:127.0.0.1) read as the IPv4 one. */
function normalised(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const parsed = ipaddr.parse(address.replace(/^\[|\]$/g, ''));
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    return (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed;
}

export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(host.replace(/^\[|\]$/g, ''));
}

/**
 * Why an address may not be reached, or null when it is a public unicast address. Everything that is
 * not plain unicast is refused, including IPv6 forms that embed an IPv4 address (6to4, NAT64, Teredo).
 */
export function refusedRange(address: string): string | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = normalised(address);
  } catch {
    return 'addresses that cannot be read';
  }
  const range = ip.range();
  if (range === 'unicast') return null;
  return RANGE_LABEL[range] ?? `special-purpose addresses (${range})`;
}

/** Parses HTTP_JOBS_ALLOWED_HOSTS: `api.internal, 10.0.0.0/8, 127.0.0.1:8080, [fd00::1]:443`. */
export function parseAllowedHosts(text: string | undefined): AllowedHost[] {
  if (!text) return [];
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map(parseEntry);
}

function parseEntry(entry: string): AllowedHost {
  const lower = entry.toLowerCase();
  if (lower.includes('/')) {
    try {
      return { cidr: ipaddr.parseCIDR(lower) };
    } catch {
      throw new Error(`HTTP_JOBS_ALLOWED_HOSTS: "${entry}" is not a CIDR like 10.0.0.0/8`);
    }
  }
  if (ipaddr.isValid(lower)) return { cidr: cidrOf(lower) };
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(lower);
  if (!match) throw new Error(`HTTP_JOBS_ALLOWED_HOSTS: "${entry}" is not a host, host:port or CIDR`);
  const host = match[1].replace(/^\[|\]$/g, '');
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (ipaddr.isValid(host)) return { cidr: cidrOf(host), port };
  if (!/^[a-z0-9.-]+$/.test(host)) throw new Error(`HTTP_JOBS_ALLOWED_HOSTS: "${entry}" is not a host name`);
  return { host, port };
}

function cidrOf(address: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const ip = normalised(address);
  return [ip, ip.kind() === 'ipv4' ? 32 : 128];
}

/**
 * Whether the operator opened this destination: an entry naming the host (as written in the URL), or a
 * CIDR holding the address it resolved to; an entry with a port opens that port only.
 */
export function isAllowedByOperator(
  allowed: AllowedHost[],
  dest: { hostname: string; address?: string; port: number },
): boolean {
  const hostname = dest.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  let ip: ipaddr.IPv4 | ipaddr.IPv6 | undefined;
  try {
    ip = dest.address ? normalised(dest.address) : undefined;
  } catch {
    ip = undefined;
  }
  return allowed.some((entry) => {
    if (entry.port !== undefined && entry.port !== dest.port) return false;
    if (entry.host) return entry.host === hostname;
    if (!entry.cidr || !ip || ip.kind() !== entry.cidr[0].kind()) return false;
    return ip.match(entry.cidr);
  });
}

/** The refusal for one destination, as the run's error shows it; null when it may be reached. */
export function checkDestination(
  allowed: AllowedHost[],
  dest: { hostname: string; address: string; port: number },
): string | null {
  const range = refusedRange(dest.address);
  if (range === null || isAllowedByOperator(allowed, dest)) return null;
  return `destination ${dest.address} refused: ${range} are not allowed (set HTTP_JOBS_ALLOWED_HOSTS to allow it)`;
}
