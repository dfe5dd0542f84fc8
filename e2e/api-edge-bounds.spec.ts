import http from 'node:http';
import net from 'node:net';
import { expect, test, type APIRequestContext } from './support/test';
import { parsePrometheusText } from '../testkit/prom-text';
import { call, runPath } from './support/api';
import { E2E_PORT, METRICS_TOKEN } from './support/env';
import { state } from './support/state';

// The edge against hostile and sloppy clients (issue 24), against the production build: bounded
// metric labels, refused bodies that never hang the connection, the small answers of raw HTTP.
test.describe.configure({ mode: 'parallel' });

async function routeLabels(request: APIRequestContext): Promise<Set<string>> {
  const res = await request.get('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status()).toBe(200);
  const families = parsePrometheusText(await res.text());
  const labels = new Set<string>();
  for (const family of families.values())
    if (family.name.startsWith('etl_api_'))
      for (const sample of family.samples) if (sample.labels.route) labels.add(sample.labels.route);
  return labels;
}

/** One request with any target and any Host, its body thrown away. */
function oddRequest(method: string, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: E2E_PORT, method, path, headers: { host }, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test('2,000 unauthenticated odd requests add at most a handful of route labels', async ({ request }) => {
  test.setTimeout(180_000);
  const before = await routeLabels(request);
  const odd = [':', '@', ',', ';', '+', '%41', '%2a', '!', '$', "'", '(', '*', '=', '~'];
  const targets: [string, string, string][] = [];
  for (let i = 0; i < 2_000; i++) {
    const id = `${odd[i % odd.length]}x${i}${odd[(i * 7) % odd.length]}`;
    const long = 'a'.repeat(200 + (i % 50));
    const shapes: [string, string][] = [
      ['GET', `/etl-mgr/api/runs/${id}`],
      ['GET', `/etl-mgr/api/runs/${id}/logs`],
      ['POST', `/etl-mgr/api/runs/${id}/cancel`],
      ['PUT', `/etl-mgr/api/runs/${id}`],
      ['GET', `/etl-mgr/api/${long}${i}`],
      ['POST', `/etl-mgr/api/apijob/${id}`],
    ];
    const [method, path] = shapes[i % shapes.length];
    targets.push([method, path, i % 3 === 0 ? `h${i}/x${i}:3000` : `localhost:${E2E_PORT}`]);
  }
  for (let i = 0; i < targets.length; i += 20)
    await Promise.all(targets.slice(i, i + 20).map(([m, p, h]) => oddRequest(m, p, h)));

  const added = [...(await routeLabels(request))].filter((label) => !before.has(label));
  // The labels the API has are its route templates and one label for everything else.
  expect(added.length, added.join('\n').slice(0, 2_000)).toBeLessThanOrEqual(6);
  for (const label of added) expect(label).toMatch(/^(\/etl-mgr\/api(\/[a-z.]+|\/:runId)*|\(unknown\))$/);
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * A raw connection that reads HTTP/1.1 answers one after another (Content-Length bodies only), and
 * tells when the server closed it.
 */
function rawConnection() {
  const socket = net.connect(E2E_PORT, '127.0.0.1');
  let buffer = Buffer.alloc(0);
  let closed = false;
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    wake();
  });
  socket.on('close', () => {
    closed = true;
    wake();
  });
  socket.on('error', () => {});
  const parse = (): RawAnswer | null => {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const [statusLine, ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    if (buffer.length < end + 4 + length) return null;
    const body = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    buffer = buffer.subarray(end + 4 + length);
    return { status: Number(statusLine.split(' ')[1]), headers, body };
  };
  return {
    socket,
    write: (data: string | Buffer) =>
      new Promise<void>((resolve) => {
        if (closed || !socket.writable) return resolve();
        socket.write(data, () => resolve());
      }),
    /** The next answer, or null once the connection is closed without one. */
    async next(): Promise<RawAnswer | null> {
      for (;;) {
        const answer = parse();
        if (answer) return answer;
        if (closed) return null;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    isClosed: () => closed,
  };
}

const apijobHead = (length: number, extra = '') =>
  `POST /etl-mgr/api/apijob HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n${extra}Content-Length: ${length}\r\n\r\n`;

test.describe('a refused body never hangs the next request on its connection', () => {
  for (const [name, head] of [
    ['401 (no key)', apijobHead(300 * 1024)],
    [
      '415 (not JSON)',
      apijobHead(300 * 1024, 'x-api-key: placeholder\r\n').replace('application/json', 'text/plain'),
    ],
  ] as const) {
    test(`${name}, body of 300 KiB: the next request on the connection is answered`, async () => {
      const key = state().keys.main;
      const conn = rawConnection();
      await conn.write(head.replace('placeholder', key));
      // The body goes on being sent after the early answer, as curl and node's agents do.
      const sent = conn.write(Buffer.alloc(300 * 1024, 'a'));
      const first = await conn.next();
      expect(first?.status).toBeGreaterThanOrEqual(400);
      await sent;
      if (first?.headers.connection?.toLowerCase() === 'close') {
        // Closing is allowed: then it has to actually close.
        expect(await conn.next()).toBeNull();
        return;
      }
      await conn.write(`${apijobHead(2)}{}`);
      const second = await conn.next();
      expect(second?.status).toBe(401);
      expect(JSON.parse(second!.body).code).toBe('api_key_missing');
      conn.socket.destroy();
    });
  }

  test('a refused body past the drain bound: Connection: close, and the connection is closed', async () => {
    const conn = rawConnection();
    await conn.write(apijobHead(8 * 1024 * 1024));
    void conn.write(Buffer.alloc(2 * 1024 * 1024, 'a'));
    const first = await conn.next();
    expect(first?.status).toBe(401);
    expect(first?.headers.connection?.toLowerCase()).toBe('close');
    expect(await conn.next()).toBeNull();
    expect(conn.isClosed()).toBe(true);
  });
});

async function rawExchange(text: string): Promise<RawAnswer | null> {
  const conn = rawConnection();
  await conn.write(text);
  const answer = await conn.next();
  conn.socket.destroy();
  return answer;
}

const expectRawProblem = (answer: RawAnswer | null, status: number) => {
  expect(answer?.status, answer?.body.slice(0, 300)).toBe(status);
  expect(answer?.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(answer!.body);
  expect(body.status).toBe(status);
  expect(typeof body.requestId).toBe('string');
  expect(answer?.headers['x-request-id']).toBe(body.requestId);
  return body;
};

test.describe('the small answers of raw HTTP', () => {
  test('OPTIONS * answers problem+json, not a 500', async () => {
    expectRawProblem(await rawExchange('OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n'), 400);
  });

  test('absolute-form and // targets answer problem+json, not a redirect', async () => {
    expectRawProblem(
      await rawExchange(
        `GET http://localhost:${E2E_PORT}/etl-mgr/api/runs/x HTTP/1.1\r\nHost: localhost\r\n\r\n`,
      ),
      400,
    );
    expectRawProblem(await rawExchange('GET //etl-mgr/api/runs/x HTTP/1.1\r\nHost: localhost\r\n\r\n'), 404);
  });

  for (const [name, text] of [
    ['a bad target', 'GET /etl-mgr/api/runs/a b c HTTP/1.1\r\nHost: localhost\r\n\r\n'],
    [
      'Content-Length with Transfer-Encoding',
      'POST /etl-mgr/api/apijob HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ],
    [
      'a control character in a header',
      'GET /etl-mgr/api/openapi.json HTTP/1.1\r\nHost: local\x01host\r\n\r\n',
    ],
  ] as const) {
    test(`Node's own 400 for ${name} is problem+json with X-Request-Id`, async () => {
      const answer = await rawExchange(text);
      expectRawProblem(answer, 400);
      expect(answer?.headers.connection).toBe('close');
    });
  }

  test('X-Request-Id on OPTIONS and on openapi.json', async () => {
    const options = await rawExchange('OPTIONS /etl-mgr/api/apijob HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(options?.status).toBe(204);
    expect(options?.headers['x-request-id']).toMatch(/.+/);
    const spec = await rawExchange('GET /etl-mgr/api/openapi.json HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(spec?.status).toBe(200);
    expect(spec?.headers['x-request-id']).toMatch(/.+/);
  });

  test('two Authorization headers with different keys answer 400', async () => {
    const { main, other } = state().keys;
    const body = JSON.stringify({ id: 'hello-world', dryRun: true });
    const answer = await rawExchange(
      `POST /etl-mgr/api/apijob HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
        `Authorization: Bearer ${main}\r\nAuthorization: Bearer ${other}\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(expectRawProblem(answer, 400).code).toBe('bad_request');
  });

  test('a run id that is not valid percent-encoding is not found', async () => {
    const answer = await rawExchange(
      `GET /etl-mgr/api/runs/%E0%A4%A HTTP/1.1\r\nHost: localhost\r\nx-api-key: ${state().keys.main}\r\n\r\n`,
    );
    expectRawProblem(answer, 404);
  });

  test('logs: after with before is refused', async ({ request }) => {
    const res = await call(request, {
      method: 'GET',
      path: `${runPath(state().otherRunId)}/logs?after=0&before=5`,
      key: state().keys.other,
    });
    expect(res.status()).toBe(422);
    expect((await res.json()).code).toBe('validation_failed');
  });

  test('an idempotent replay is byte-identical to the first answer', async ({ request }) => {
    const headers = { 'idempotency-key': `replay-${Date.now()}-${Math.random()}` };
    const body = { id: state().jobs.threeLines, params: { zeta: 1, alpha: 2 } };
    const first = await call(request, { key: state().keys.main, body, headers });
    expect(first.status()).toBe(202);
    const again = await call(request, { key: state().keys.main, body, headers });
    expect(again.headers()['idempotent-replayed']).toBe('true');
    expect(await again.text()).toBe(await first.text());
  });
});
