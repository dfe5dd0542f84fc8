import { describe, expect, it } from 'vitest';
import { checkDestination, isAllowedByOperator, parseAllowedHosts, refusedRange } from './address-policy';

describe('refusedRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['::ffff:192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['fd00:ec2::254', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['2002:7f00:1::', 'special-purpose'],
    ['64:ff9b::7f00:1', 'special-purpose'],
  ])('refuses %s (%s)', (address, label) => {
    expect(refusedRange(address)).toContain(label);
  });

  it.each(['93.184.216.34', '8.8.8.8', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    'lets the public address %s through',
    (address) => {
      expect(refusedRange(address)).toBeNull();
    },
  );

  it('refuses what is not an address at all', () => {
    expect(refusedRange('not-an-ip')).not.toBeNull();
  });
});

describe('HTTP_JOBS_ALLOWED_HOSTS', () => {
  const allowed = parseAllowedHosts('api.internal, 10.0.0.0/8, 127.0.0.1:8080, [::1]:9000, fd00::/8');

  it('opens a named host on any port, whatever it resolves to', () => {
    expect(isAllowedByOperator(allowed, { hostname: 'API.internal', address: '10.9.9.9', port: 443 })).toBe(
      true,
    );
    expect(
      isAllowedByOperator(allowed, { hostname: 'other.internal', address: '192.168.0.1', port: 443 }),
    ).toBe(false);
  });

  it('opens addresses inside a CIDR', () => {
    expect(checkDestination(allowed, { hostname: 'x', address: '10.200.0.1', port: 80 })).toBeNull();
    expect(checkDestination(allowed, { hostname: 'x', address: 'fd12::1', port: 80 })).toBeNull();
    expect(checkDestination(allowed, { hostname: 'x', address: '172.16.0.1', port: 80 })).toMatch(/private/);
  });

  it('opens an address with a port on that port only', () => {
    expect(checkDestination(allowed, { hostname: '127.0.0.1', address: '127.0.0.1', port: 8080 })).toBeNull();
    expect(
      checkDestination(allowed, { hostname: '127.0.0.1', address: '::ffff:127.0.0.1', port: 8080 }),
    ).toBeNull();
    expect(checkDestination(allowed, { hostname: '::1', address: '::1', port: 9000 })).toBeNull();
    expect(checkDestination(allowed, { hostname: '127.0.0.1', address: '127.0.0.1', port: 5432 })).toBe(
      'destination 127.0.0.1 refused: loopback addresses are not allowed (set HTTP_JOBS_ALLOWED_HOSTS to allow it)',
    );
  });

  it('says which entry it cannot read', () => {
    expect(() => parseAllowedHosts('10.0.0.0/99')).toThrow(/"10.0.0.0\/99" is not a CIDR/);
    expect(() => parseAllowedHosts('exa mple')).toThrow(/not a host/);
    expect(parseAllowedHosts('')).toEqual([]);
  });
});
