import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowedHosts } from './address-policy';
import { guardedFetch, readStart } from './guarded-fetch';

// Real local servers: what a job must not reach (the "internal" one) and one the operator opened.

let internal: http.Server;
let opened: http.Server;
let internalPort = 0;
let openedPort = 0;
let internalHits = 0;

function listen(handler: http.RequestListener): Promise<[http.Server, number]> {
  const server = http.createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve([server, (server.address() as AddressInfo).port])),
  );
}

beforeAll(async () => {
  [internal, internalPort] = await listen((_req, res) => {
    internalHits++;
    res.end('secret');
  });
  [opened, openedPort] = await listen((req, res) => {
    const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to');
    if (to) res.writeHead(302, { location: to }).end();
    else res.end(`hello ${req.method}`);
  });
});
afterAll(() => {
  internal.close();
  opened.close();
});

const none = { allowedHosts: [] };
const refusal = (address: string, what: string) =>
  new RegExp(`^destination ${address.replace(/[.[\]]/g, '\\$&')} refused: ${what} .*HTTP_JOBS_ALLOWED_HOSTS`);

describe('guardedFetch refuses the infrastructure', () => {
  it('refuses loopback by address, decimal, hex and octal spelling, and by name', async () => {
    for (const url of [
      `http://127.0.0.1:${internalPort}/`,
      `http://2130706433:${internalPort}/`,
      `http://0x7f.0.0.1:${internalPort}/`,
      `http://0177.0.0.1:${internalPort}/`,
    ]) {
      await expect(guardedFetch(url, none), url).rejects.toThrow(refusal('127.0.0.1', 'loopback addresses'));
    }
    await expect(guardedFetch(`http://[::ffff:127.0.0.1]:${internalPort}/`, none)).rejects.toThrow(
      refusal('::ffff:7f00:1', 'loopback addresses'),
    );
    await expect(guardedFetch(`http://localhost:${internalPort}/`, none)).rejects.toThrow(
      /refused: loopback addresses are not allowed/,
    );
    expect(internalHits).toBe(0);
  });

  it('checks at connect time what a public-looking name resolves to (DNS rebinding)', async () => {
    const calls: string[] = [];
    const resolve = async (hostname: string) => {
      calls.push(hostname);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    await expect(
      guardedFetch(`http://data.example.com:${internalPort}/`, { ...none, resolve }),
    ).rejects.toThrow(refusal('127.0.0.1', 'loopback'));
    expect(calls).toEqual(['data.example.com']);
    expect(internalHits).toBe(0);
  });

  it('refuses the cloud metadata addresses and private networks', async () => {
    await expect(guardedFetch('http://169.254.169.254/latest/meta-data/', none)).rejects.toThrow(
      refusal('169.254.169.254', 'link-local'),
    );
    await expect(guardedFetch('http://[fd00:ec2::254]/', none)).rejects.toThrow(
      refusal('fd00:ec2::254', 'unique-local'),
    );
    await expect(guardedFetch('http://10.0.0.1/', none)).rejects.toThrow(refusal('10.0.0.1', 'private'));
    await expect(guardedFetch('http://100.64.0.1/', none)).rejects.toThrow(/carrier-grade NAT/);
  });

  it('follows a redirect from an opened host only to a destination that passes again', async () => {
    const allowedHosts = parseAllowedHosts(`127.0.0.1:${openedPort}`);
    const ok = await guardedFetch(`http://127.0.0.1:${openedPort}/`, {
      allowedHosts,
      method: 'POST',
      body: '{}',
    });
    expect(ok.status).toBe(200);
    expect((await readStart(ok.body, 100)).bytes.toString()).toBe('hello POST');

    const hop = await guardedFetch(`http://127.0.0.1:${openedPort}/?to=/`, { allowedHosts });
    expect([hop.status, hop.url]).toEqual([200, `http://127.0.0.1:${openedPort}/`]);

    const toInternal = encodeURIComponent(`http://127.0.0.1:${internalPort}/`);
    await expect(
      guardedFetch(`http://127.0.0.1:${openedPort}/?to=${toInternal}`, { allowedHosts }),
    ).rejects.toThrow(refusal('127.0.0.1', 'loopback'));
    const toMetadata = encodeURIComponent('http://169.254.169.254/latest/meta-data/');
    await expect(
      guardedFetch(`http://127.0.0.1:${openedPort}/?to=${toMetadata}`, { allowedHosts }),
    ).rejects.toThrow(refusal('169.254.169.254', 'link-local'));
    expect(internalHits).toBe(0);
  });

  it('stops after the redirect limit', async () => {
    const allowedHosts = parseAllowedHosts(`127.0.0.1:${openedPort}`);
    const self = (n: number): string => (n === 0 ? '/' : `/?to=${encodeURIComponent(self(n - 1))}`);
    expect((await guardedFetch(`http://127.0.0.1:${openedPort}${self(5)}`, { allowedHosts })).status).toBe(
      200,
    );
    await expect(guardedFetch(`http://127.0.0.1:${openedPort}${self(6)}`, { allowedHosts })).rejects.toThrow(
      /too many redirects/,
    );
  });

  it('lets an operator open a host name with HTTP_JOBS_ALLOWED_HOSTS', async () => {
    const response = await guardedFetch(`http://localhost:${openedPort}/`, {
      allowedHosts: parseAllowedHosts(`localhost:${openedPort}`),
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    expect(response.status).toBe(200);
    response.body.resume();
  });
});
