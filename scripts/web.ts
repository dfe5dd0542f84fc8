// The web server: Next.js for the console and the API, with the job API's hot route answered by the
// very same handler (app/etl-mgr/api/apijob/route.ts) without Next's routing and rendering layers.
// Measured in bench/: the framework's per-request work, not the handler, limited throughput.
import http from 'node:http';
import { Readable } from 'node:stream';
import next from 'next';
import { POST as startJobHandler } from '../app/etl-mgr/api/apijob/route';
import { apiGate, isApiPath } from '../server/http/api-paths';
import { parseTrustProxy, SOCKET_ADDRESS_HEADER } from '../server/http/client-address';
import { SECURITY_HEADERS } from '../server/http/security-headers';
import { assertOperatorSettings } from '../server/jobs/job-policy';
import { flushKeyUsage } from '../server/keys/usage/collect';
import { initLogger } from '../server/observability/logger';
import { serveMetricsWithToken, startMetricsServer } from '../server/observability/metrics-http';
import { registerQueueMetrics } from '../server/observability/queue-metrics';

const log = initLogger('web');
try {
  assertOperatorSettings();
} catch (error) {
  log.fatal((error as Error).message);
  process.exit(2);
}

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const HOT_PATH = '/etl-mgr/api/apijob';
const metricsToken = process.env.METRICS_TOKEN || undefined;
const metricsPort = Number(process.env.METRICS_PORT || 0);

// A TRUST_PROXY that names nothing sensible stops the start here, not every request later.
parseTrustProxy(process.env.TRUST_PROXY);

const app = next({ dev: false, dir: process.cwd(), hostname: host === '0.0.0.0' ? 'localhost' : host, port });
const handle = app.getRequestHandler();
await app.prepare();

async function serveHotPath(req: http.IncomingMessage, res: http.ServerResponse) {
  const url = `http://${req.headers.host ?? 'localhost'}${req.url}`;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const request = new Request(url, {
    method: 'POST',
    headers,
    body: Readable.toWeb(req) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  await send(res, await startJobHandler(request));
}

async function send(res: http.ServerResponse, response: Response) {
  const body = Buffer.from(await response.arrayBuffer());
  const out: Record<string, string> = { 'cache-control': 'no-store' };
  if (response.status !== 204) out['content-length'] = String(body.length);
  response.headers.forEach((value, name) => (out[name] = value));
  res.writeHead(response.status, out);
  res.end(body);
}

/** The job API's 404s, 405s and OPTIONS, for every method (TRACE too, which Next cannot take). */
function gate(req: http.IncomingMessage): Response | null {
  const pathname = (req.url ?? '/').split(/[?#]/)[0];
  if (!isApiPath(pathname)) return null;
  const requestId = req.headers['x-request-id'];
  return apiGate(
    req.method ?? 'GET',
    pathname,
    typeof requestId === 'string' ? requestId.slice(0, 100) : null,
  );
}

const server = http.createServer((req, res) => {
  // One set of security headers for every answer, whoever writes the rest of it.
  for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
  // The peer's address, for server/http/client-address.ts: a client's own copy of the header is dropped.
  delete req.headers[SOCKET_ADDRESS_HEADER];
  if (req.socket.remoteAddress) req.headers[SOCKET_ADDRESS_HEADER] = req.socket.remoteAddress;
  const refused = gate(req);
  if (refused) {
    req.resume(); // an unread body must not hold the connection
    send(res, refused).catch(() => res.destroy());
    return;
  }
  if (req.method === 'POST' && (req.url === HOT_PATH || req.url?.startsWith(`${HOT_PATH}?`))) {
    serveHotPath(req, res).catch(() => {
      // The handler writes every failure itself; this is only a broken connection.
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
    return;
  }
  if (serveMetricsWithToken(req, res, metricsToken)) return;
  void handle(req, res);
});
server.keepAliveTimeout = 65_000;
if (metricsToken || metricsPort) registerQueueMetrics();
if (metricsPort) await startMetricsServer(metricsPort, host);
server.listen(port, host, () => log.info(`[web] listening on http://${host}:${port}`));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close(() => void flushKeyUsage().finally(() => process.exit(0)));
    server.closeIdleConnections?.();
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
