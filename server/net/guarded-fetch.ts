import { promises as dns, type LookupAddress } from 'node:dns';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import { checkDestination, isIpLiteral, parseAllowedHosts, type AllowedHost } from './address-policy';

// An outbound HTTP call that cannot reach the infrastructure: every address a host name resolves to is
// checked when the socket connects (so DNS rebinding meets the same check), and every redirect is
// followed here and checked again. Node's global fetch cannot take a custom lookup, hence node:http.

export class DestinationRefusedError extends Error {
  readonly code = 'destination_refused';
}

export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export interface GuardedFetchOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  /** Redirects followed, each checked again (default 5); 0 answers the 3xx itself. */
  maxRedirects?: number;
  /** Destinations the operator opened; HTTP_JOBS_ALLOWED_HOSTS when not given. */
  allowedHosts?: AllowedHost[];
  /** Resolves host names; tests pass their own to play a DNS that answers 127.0.0.1. */
  resolve?: Resolve;
}

export interface GuardedResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  /** The URL that answered, after redirects. */
  url: string;
  ok: boolean;
  body: Readable;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);
const systemResolve: Resolve = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

export async function guardedFetch(
  url: string | URL,
  options: GuardedFetchOptions = {},
): Promise<GuardedResponse> {
  const allowed = options.allowedHosts ?? parseAllowedHosts(process.env.HTTP_JOBS_ALLOWED_HOSTS);
  const maxRedirects = options.maxRedirects ?? 5;
  let current = new URL(url);
  let method = (options.method ?? 'GET').toUpperCase();
  let body = options.body;
  let headers = { ...(options.headers ?? {}) };
  for (let hop = 0; ; hop++) {
    const response = await requestOnce(current, {
      method,
      headers,
      body,
      signal: options.signal,
      allowed,
      resolve: options.resolve ?? systemResolve,
    });
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (!REDIRECTS.has(status) || !location || maxRedirects === 0) return shaped(response, current);
    response.resume();
    if (hop >= maxRedirects) throw new Error(`too many redirects (more than ${maxRedirects})`);
    const next = new URL(location, current);
    if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !/^content-/i.test(name)));
    }
    if (next.origin !== current.origin)
      headers = Object.fromEntries(
        Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase())),
      );
    current = next;
  }
}

function shaped(response: IncomingMessage, url: URL): GuardedResponse {
  const status = response.statusCode ?? 0;
  return {
    status,
    statusText: response.statusMessage ?? '',
    headers: response.headers,
    url: url.toString(),
    ok: status >= 200 && status < 300,
    body: response,
  };
}

interface Once {
  method: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  allowed: AllowedHost[];
  resolve: Resolve;
}

function requestOnce(url: URL, o: Once): Promise<IncomingMessage> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(
      new DestinationRefusedError(`destination ${url.protocol}// refused: only http and https are allowed`),
    );
  }
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  // Node skips `lookup` for an address literal, so a literal is checked here; names are checked at connect.
  if (isIpLiteral(hostname)) {
    const reason = checkDestination(o.allowed, { hostname, address: hostname, port });
    if (reason) return Promise.reject(new DestinationRefusedError(reason));
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: o.method,
        headers: o.headers,
        signal: o.signal,
        agent: false,
        lookup: guardedLookup(o, port),
      },
      resolve,
    );
    request.on('error', reject);
    request.end(o.body);
  });
}

/** A `lookup` for net.connect that refuses the connection when any resolved address is refused. */
function guardedLookup(o: Once, port: number): LookupFunction {
  return (hostname, options, callback) => {
    o.resolve(hostname)
      .then((addresses) => {
        for (const { address } of addresses) {
          const reason = checkDestination(o.allowed, { hostname, address, port });
          if (reason) throw new DestinationRefusedError(reason);
        }
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        if (usable.length === 0)
          throw Object.assign(new Error(`${hostname} did not resolve`), { code: 'ENOTFOUND' });
        if (options.all) callback(null, usable);
        else callback(null, usable[0].address, usable[0].family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, '', 0));
  };
}

/** Reads at most `limit` bytes of a body, then lets the rest go. */
export async function readStart(body: Readable, limit: number): Promise<{ bytes: Buffer; cut: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(Buffer.from(chunk as Buffer));
    size += (chunk as Buffer).byteLength;
    if (size >= limit) {
      body.destroy();
      return { bytes: Buffer.concat(chunks).subarray(0, limit), cut: true };
    }
  }
  return { bytes: Buffer.concat(chunks), cut: false };
}
