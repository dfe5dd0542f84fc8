// What scripts/web.ts answers at the level of Node's HTTP server, before Next or a route handler sees a
// request: targets and header sets no handler can take, Node's own parse errors, and request bodies a
// handler refused without reading them.
import type http from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { AppError } from '../errors';
import { isApiPath } from './api-paths';
import { newRequestId, problemBody } from './problem';

/** A refused body up to this size is read and thrown away; past it the connection is closed. */
export const DRAIN_LIMIT = 1024 * 1024;

/**
 * The problem for a request no handler should see: the asterisk target (`OPTIONS *`), absolute-form
 * targets (Next would redirect them), `//` in front of the job API's paths, and two different
 * Authorization headers on the job API (Node keeps only the first). Null when the request goes on.
 */
export function refusedTarget(req: http.IncomingMessage): AppError | null {
  const target = req.url ?? '';
  if (target === '*') return new AppError('bad_request', 'The asterisk target is not served; ask a path');
  if (!target.startsWith('/'))
    return new AppError('bad_request', 'Send the path (origin-form target), not an absolute URL');
  const pathname = target.split(/[?#]/)[0];
  if (pathname.startsWith('//') && isApiPath(pathname.replace(/^\/+/, '/')))
    return new AppError('not_found', 'No such endpoint; see /etl-mgr/api/openapi.json');
  if (isApiPath(pathname) && new Set(req.headersDistinct.authorization ?? []).size > 1)
    return new AppError(
      'bad_request',
      'Authorization was sent more than once with different values; send one',
      {
        headers: { 'WWW-Authenticate': 'Bearer realm="etl-mgr", error="invalid_request"' },
      },
    );
  return null;
}

/**
 * A Node-level parse error (bad target, Content-Length with Transfer-Encoding, control characters,
 * headers too large) answered as problem+json with a request id, then the connection closed, as Node
 * itself would. Resets and timeouts are left to Node.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || !socket.writable) {
    socket.destroy();
    return;
  }
  const requestId = newRequestId();
  const detail =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'The request headers are too large'
      : 'The request is not valid HTTP/1.1 (its target, headers or framing)';
  const body = JSON.stringify(problemBody(new AppError('bad_request', detail), requestId));
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Before an answer is written while the request's body is still arriving: a body the handler left
 * unread is drained (up to DRAIN_LIMIT) so the connection can carry the next request, or, when it is
 * larger or of unknown size, the answer says `Connection: close` and the connection is closed after it.
 * Returns the headers to add.
 */
export function settleUnreadBody(req: http.IncomingMessage): Record<string, string> {
  if (req.complete) return {};
  const declared = Number(req.headers['content-length']);
  if (!(Number.isFinite(declared) && declared <= DRAIN_LIMIT)) {
    lingerOnClose(req.socket);
    return { connection: 'close' };
  }
  drain(req);
  return {};
}

/** How long, and how much more of the refused body, a closing connection reads before it is destroyed. */
const LINGER_MS = 2_000;
const LINGER_BYTES = 16 * 1024 * 1024;

/**
 * A lingering close: the answer is followed by our FIN, and what the client is still sending is read and
 * dropped for a moment. Destroying the socket at once (Node's destroySoon after a `Connection: close`
 * answer) with unread bytes in its buffer sends an RST, and the client can lose the answer itself.
 */
function lingerOnClose(socket: net.Socket): void {
  socket.destroySoon = () => {
    socket.end();
    let read = 0;
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (read > LINGER_BYTES) socket.destroy();
    });
    socket.resume();
  };
}

/** Reads and drops the rest of a body (whoever listened before), destroying the socket past the limit. */
export function drain(req: http.IncomingMessage): void {
  if (req.complete) return;
  let size = 0;
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > DRAIN_LIMIT) req.socket.destroy();
  });
  req.resume();
}

/**
 * The request's body as a web stream for a route handler. Unlike Readable.toWeb, cancelling it (a
 * handler refusing a body too large) does not destroy the connection: what is left is settled by
 * settleUnreadBody when the answer is written.
 */
export function bodyStream(req: http.IncomingMessage): ReadableStream<Uint8Array> {
  let onData: (chunk: Buffer) => void;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        onData = (chunk) => {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        };
        req.on('data', onData);
        // After a cancel the stream is already closed: closing it again throws.
        req.once('end', () => ignore(() => controller.close()));
        req.once('error', (error) => ignore(() => controller.error(error)));
        req.pause();
      },
      pull() {
        req.resume();
      },
      cancel() {
        req.off('data', onData);
        req.pause();
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}

function ignore(f: () => void) {
  try {
    f();
  } catch {
    // nothing to tell anyone
  }
}
