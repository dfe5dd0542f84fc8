import { describe, expect, test } from 'vitest';
import { clientAddress, parseTrustProxy, SOCKET_ADDRESS_HEADER } from './client-address';

const req = (socket: string | null, extra: Record<string, string> = {}) =>
  new Headers({ ...(socket ? { [SOCKET_ADDRESS_HEADER]: socket } : {}), ...extra });

describe('clientAddress', () => {
  test('without TRUST_PROXY the socket decides; X-Forwarded-For is ignored', () => {
    const trust = parseTrustProxy(undefined);
    expect(clientAddress(req('203.0.113.9', { 'x-forwarded-for': '1.2.3.4' }), trust)).toBe('203.0.113.9');
    expect(clientAddress(req('::ffff:203.0.113.9'), trust)).toBe('203.0.113.9');
    expect(clientAddress(req(null, { 'x-forwarded-for': '1.2.3.4' }), trust)).toBeNull();
  });

  test('a hop count takes that many hops from the right, never the client-written first entry', () => {
    const h = req('10.0.0.2', { 'x-forwarded-for': '6.6.6.6, 198.51.100.7' });
    expect(clientAddress(h, parseTrustProxy('1'))).toBe('198.51.100.7');
    expect(clientAddress(h, parseTrustProxy('2'))).toBe('6.6.6.6');
    expect(clientAddress(h, parseTrustProxy('5'))).toBe('6.6.6.6');
    expect(clientAddress(req('10.0.0.2'), parseTrustProxy('1'))).toBe('10.0.0.2');
  });

  test('CIDRs skip trusted proxies from the right; an untrusted peer is the client itself', () => {
    const trust = parseTrustProxy('10.0.0.0/8, 192.168.1.1');
    expect(
      clientAddress(req('10.0.0.2', { 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 192.168.1.1' }), trust),
    ).toBe('198.51.100.7');
    expect(clientAddress(req('203.0.113.1', { 'x-forwarded-for': '6.6.6.6' }), trust)).toBe('203.0.113.1');
  });

  test('nonsense in TRUST_PROXY is refused, not guessed', () => {
    expect(() => parseTrustProxy('true')).toThrow();
    expect(() => parseTrustProxy('proxy.local')).toThrow();
    expect(parseTrustProxy('0')).toBeNull();
  });
});
