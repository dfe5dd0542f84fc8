// The web server: Next.js for the console and the API, with the job API's hot route answered by the
// very same handler (app/etl-mgr/api/apijob/route.ts) without Next's routing and rendering layers.
// Measured in bench/: the framework's per-request work, not the handler, limited throughput.
import http from 'node:http';
import { Readable } from 'node:stream';
import next from 'next';
import { POST as startJobHandler } from '../app/etl-mgr/api/apijob/route';
import { flushKeyUsage } from '../server/keys/usage/collect';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const HOT_PATH = '/etl-mgr/api/apijob';

const app = next({ dev: false, dir: process.cwd(), hostname: host === '0.0.0.0' ? 'localhost' : host, port });
const handle = app.getRequestHandler();
await app.prepare();

async function serveHotPath(req: http.IncomingMessage, res: http.ServerResponse) {
  const url = `http://${req.headers.host ?? 'localhost'}${req.url}`;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  if (!headers.has('x-forwarded-for') && req.socket.remoteAddress) headers.set('x-forwarded-for', req.socket.remoteAddress);
  const request = new Request(url, { method: 'POST', headers, body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } as RequestInit);
  const response = await startJobHandler(request);
  const body = Buffer.from(await response.arrayBuffer());
  const out: Record<string, string> = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', 'content-length': String(body.length) };
  response.headers.forEach((value, name) => (out[name] = value));
  res.writeHead(response.status, out);
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.method === 'POST' && (req.url === HOT_PATH || req.url?.startsWith(`${HOT_PATH}?`))) {
    serveHotPath(req, res).catch(() => {
      // The handler writes every failure itself; this is only a broken connection.
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
    return;
  }
  void handle(req, res);
});
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => console.log(`[web] listening on http://${host}:${port}`));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close(() => void flushKeyUsage().finally(() => process.exit(0)));
    server.closeIdleConnections?.();
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
