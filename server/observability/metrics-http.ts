// /metrics over HTTP: on the app's port only with METRICS_TOKEN (a bearer token, compared in constant
// time), or without a token on a port of its own (METRICS_PORT, WORKER_METRICS_PORT) that operators
// keep off the public network.
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { metrics } from './metrics';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether an Authorization header carries the token; hashing first makes the lengths equal. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
  return timingSafeEqual(digest(presented), digest(token)) && presented.length > 0;
}

async function writeMetrics(res: http.ServerResponse): Promise<void> {
  const { registry } = metrics();
  try {
    const body = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(body);
  } catch {
    res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be collected\n');
  }
}

const isMetricsPath = (url: string | undefined) => url === '/metrics' || !!url?.startsWith('/metrics?');

/**
 * On the app's port: answers GET /metrics when METRICS_TOKEN is set (401 without the right bearer
 * token) and returns true; false leaves the request to the app (which answers 404).
 */
export function serveMetricsWithToken(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  token: string | undefined,
): boolean {
  if (!token || req.method !== 'GET' || !isMetricsPath(req.url)) return false;
  if (!bearerMatches(req.headers.authorization, token)) {
    res
      .writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="metrics"' })
      .end('a bearer token is required\n');
    return true;
  }
  void writeMetrics(res);
  return true;
}

/** A separate listener serving GET /metrics without a token. */
export function startMetricsServer(port: number, host: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && isMetricsPath(req.url)) return void writeMetrics(res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
