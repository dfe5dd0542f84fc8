// The web server, in production (`npm start`) and development (`npm run dev`, with --dev) alike: the
// security headers, the job API's path gate and /metrics here, then Next.js for the console and the API.
// In production the job API's hot route (POST /etl-mgr/api/apijob) skips Next's routing and rendering
// layers (measured in bench/: they, not the handler, limited throughput) but runs Next's own compiled
// route module, so it shares Next's copy of server/; state that must be single (caches, change feed,
// batchers, metrics) is process-wide besides (server/runtime/process-wide.ts). In development Next
// serves that route too, so an edit reloads it.
import { createRequire } from 'node:module';
import http from 'node:http';
import path from 'node:path';
import next from 'next';
import { countedApiGate, isApiPath } from '../server/http/api-paths';
import { parseTrustProxy, SOCKET_ADDRESS_HEADER } from '../server/http/client-address';
import {
  answerClientError,
  bodyStream,
  drain,
  refusedTarget,
  settleUnreadBody,
} from '../server/http/node-edge';
import { newRequestId, problemResponse } from '../server/http/problem';
import { SECURITY_HEADERS } from '../server/http/security-headers';
import { assertOperatorSettings } from '../server/jobs/job-policy';
import { initLogger } from '../server/observability/logger';
import { serveMetricsWithToken, startMetricsServer } from '../server/observability/metrics-http';
import { registerQueueMetrics } from '../server/observability/queue-metrics';
import { runShutdownHooks } from '../server/runtime/process-wide';
import { LISTENER_FLAG, listenOnLaunchersSocket } from './web-listener';
import { publicUrl } from '../server/config';

const dev = process.argv.includes('--dev');

const log = initLogger('web');
try {
  assertOperatorSettings();
  publicUrl(); // in production, links need PUBLIC_URL (npm start sets it)
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

const dir = process.cwd();
const app = next({ dev, dir, hostname: host === '0.0.0.0' ? 'localhost' : host, port });
const handle = app.getRequestHandler();
await app.prepare();
const startJobHandler = dev ? null : await compiledRoute(HOT_PATH);

type RouteHandler = (request: Request) => Promise<Response>;

/**
 * POST of an app route as Next built it (.next/server/app/<path>/route.js), loaded the way Next's own
 * server loads it (Node's require, so the very module Next serves the route with).
 */
async function compiledRoute(route: string): Promise<RouteHandler> {
  const file = path.join(dir, '.next', 'server', 'app', ...route.split('/').filter(Boolean), 'route.js');
  const { routeModule } = createRequire(file)(file) as {
    routeModule: { ensureUserland?: () => Promise<void>; userland: { POST?: RouteHandler } };
  };
  await routeModule.ensureUserland?.();
  const handler = routeModule.userland.POST;
  if (!handler) throw new Error(`${file} has no POST handler`);
  return handler;
}

// A Host that is not a host name (a slash, say) must not change the request's path.
const HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

async function serveHotPath(req: http.IncomingMessage, res: http.ServerResponse, handler: RouteHandler) {
  const host = req.headers.host && HOST.test(req.headers.host) ? req.headers.host : 'localhost';
  const url = `http://${host}${req.url}`;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const request = new Request(url, {
    method: 'POST',
    headers,
    body: bodyStream(req),
    duplex: 'half',
  } as RequestInit);
  await send(req, res, await handler(request));
}

async function send(req: http.IncomingMessage, res: http.ServerResponse, response: Response) {
  const body = Buffer.from(await response.arrayBuffer());
  const out: Record<string, string> = {};
  if (response.status !== 204) out['content-length'] = String(body.length);
  response.headers.forEach((value, name) => (out[name] = value));
  // A body the handler refused unread is drained, or the connection closed after the answer.
  Object.assign(out, settleUnreadBody(req));
  res.writeHead(response.status, out);
  res.end(body);
}

function requestIdOf(req: http.IncomingMessage): string {
  const requestId = req.headers['x-request-id'];
  return (typeof requestId === 'string' && requestId.slice(0, 100)) || newRequestId();
}

/** The job API's 404s, 405s and OPTIONS, for every method (TRACE too, which Next cannot take). */
function gate(req: http.IncomingMessage, pathname: string): Response | null {
  return countedApiGate(req.method ?? 'GET', pathname, requestIdOf(req));
}

const server = http.createServer((req, res) => {
  // One set of security headers for every answer, whoever writes the rest of it.
  for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
  // The peer's address, for server/http/client-address.ts: a client's own copy of the header is dropped.
  delete req.headers[SOCKET_ADDRESS_HEADER];
  if (req.socket.remoteAddress) req.headers[SOCKET_ADDRESS_HEADER] = req.socket.remoteAddress;
  const pathname = (req.url ?? '/').split(/[?#]/)[0];
  const api = isApiPath(pathname);
  // No answer of the job API may be stored by a cache, whoever writes it.
  if (api) res.setHeader('Cache-Control', 'no-store');
  const badTarget = refusedTarget(req);
  const refused = badTarget ? problemResponse(badTarget, requestIdOf(req)) : api ? gate(req, pathname) : null;
  if (refused) {
    send(req, res, refused).catch(() => res.destroy());
    return;
  }
  // Whatever Next leaves unread of a body must not hold the connection either.
  res.on('finish', () => drain(req));
  const hot = req.method === 'POST' && (req.url === HOT_PATH || req.url?.startsWith(`${HOT_PATH}?`));
  if (hot && startJobHandler) {
    serveHotPath(req, res, startJobHandler).catch(() => {
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
// Node's own 400s (a bad target, framing or header) as problem+json with a request id.
server.on('clientError', answerClientError);
if (metricsToken || metricsPort) registerQueueMetrics();
if (metricsPort) await startMetricsServer(metricsPort, host);
const listening = () => log.info(`[web] listening on http://${host}:${port}${dev ? ' (dev)' : ''}`);
// Started by the launcher (npm start, npm run dev): its socket, which outlives this process.
if (process.argv.includes(LISTENER_FLAG)) listenOnLaunchersSocket(server, listening);
else server.listen(port, host, listening);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    // What batches still hold (key usage, last use) is written before the exit.
    server.close(() => void runShutdownHooks().finally(() => process.exit(0)));
    server.closeIdleConnections?.();
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
