import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { expect, test } from './support/test';
import { adminCli, createKey } from './support/admin-cli';
import { E2E_PORT } from './support/env';
import { CHECKS, SpecChecker, type Answer, type Check, type Failure } from './support/fuzz-checks';
import { requestArbitrary, type Doc, type FuzzRequest, type Hints } from './support/fuzz-requests';
import { state } from './support/state';

// A property-based fuzz test of the job API, driven by its own /etl-mgr/api/openapi.json: requests
// for every operation (both auth styles, no key, a garbage key, keys of every kind, valid and broken
// bodies and queries) and for methods and paths the document does not have. Every answer must be as
// the document says (see support/fuzz-checks.ts), and every 202's link to its run must lead to it.
// A fixed seed and FUZZ_RUNS requests (400 by default) in the suite; `npm run test:fuzz` runs 15,000.

const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);

function send(req: {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer;
}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      { host: '127.0.0.1', port: E2E_PORT, method: req.method, path: req.path, agent: keepAlive },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    for (const [name, value] of Object.entries(req.headers)) r.setHeader(name, value);
    r.on('error', reject);
    r.end(req.body);
  });
}
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 4 });

async function jobFromCli(dir: string, definition: Record<string, unknown>): Promise<string> {
  const file = path.join(dir, `${definition.name as string}.json`);
  writeFileSync(file, JSON.stringify(definition));
  const { stdout } = await adminCli(['job', 'create', '--org', 'demo', '--file', file]);
  return (JSON.parse(stdout.slice(stdout.indexOf('{'))) as { id: string }).id;
}

/** The fuzz test's own jobs and keys (no rate limit but one), so it never disturbs the other tests. */
async function fixtures(): Promise<Hints> {
  const dir = mkdtempSync(path.join(tmpdir(), 'etl-fuzz-'));
  const node = process.execPath;
  const suffix = randomUUID().slice(0, 6);
  try {
    const names = {
      quick: `fuzz-quick-${suffix}`,
      single: `fuzz-single-${suffix}`,
      typed: `fuzz-typed-${suffix}`,
    };
    const [quick] = await Promise.all([
      jobFromCli(dir, {
        name: names.quick,
        type: 'command',
        config: { command: node, args: ['-e', "console.log('fuzz')"] },
        concurrency: 'parallel',
        timeoutSeconds: 30,
      }),
      jobFromCli(dir, {
        name: names.single,
        type: 'command',
        config: { command: node, args: ['-e', 'setTimeout(() => {}, 2000)'] },
        concurrency: 'single',
        timeoutSeconds: 30,
      }),
      jobFromCli(dir, {
        name: names.typed,
        type: 'command',
        config: { command: node, args: ['-e', ''] },
        concurrency: 'parallel',
        timeoutSeconds: 30,
        paramsSchema: {
          type: 'object',
          properties: { name: { type: 'string', maxLength: 10 } },
          additionalProperties: false,
        },
      }),
    ]);
    const [all, scoped, limited] = await Promise.all([
      createKey({ name: `fuzz-all-${suffix}`, rateLimit: 0 }),
      createKey({ name: `fuzz-scoped-${suffix}`, jobs: [quick], rateLimit: 0 }),
      createKey({ name: `fuzz-limited-${suffix}`, rateLimit: 5 }),
    ]);
    const s = state();
    // One run to begin with, so the run endpoints have something of ours to find from the start.
    const first = await send({
      method: 'POST',
      path: '/etl-mgr/api/apijob',
      headers: { 'x-api-key': all, 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ id: quick })),
    });
    expect(first.status, first.text).toBe(202);
    return {
      keys: [
        ['all', all],
        ['all', all],
        ['all', all],
        ['scoped', scoped],
        ['limited', limited],
      ],
      jobRefs: [names.quick, names.single, names.typed, quick, ` ${names.quick} `],
      badJobRefs: ['no-such-job', randomUUID(), s.jobs.other, s.otherJobName, '   ', 'a\u0000b', '\ud800'],
      runIds: [s.otherRunId, JSON.parse(first.text).runId],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('fuzz: generated requests from the OpenAPI document are answered as it says', async () => {
  test.setTimeout(120_000 + RUNS * 200);
  const doc = JSON.parse(
    (await send({ method: 'GET', path: '/etl-mgr/api/openapi.json', headers: {} })).text,
  ) as Doc;
  const checker = new SpecChecker(doc);
  const hints = await fixtures();
  const failures = Object.fromEntries(CHECKS.map((c) => [c, 0])) as Record<Check, number>;
  const examples: string[] = [];
  const statuses = new Map<string, number>();
  let generated = 0;
  let sent = 0;
  let linksFollowed = 0;

  const record = (req: FuzzRequest, found: Failure[]) => {
    for (const f of found) {
      failures[f.check]++;
      if (examples.length < 20)
        examples.push(`[${f.check}] ${req.method} ${req.path} (${req.notes.join('; ')}): ${f.message}`);
    }
  };

  /** The 202's links to the run: each GET the link names must answer 200 (asked with the unlimited key). */
  const followLinks = async (req: FuzzRequest, res: Answer): Promise<Failure[]> => {
    const links = checker.operation(req)?.responses['202']?.links ?? {};
    const body = JSON.parse(res.text) as Record<string, string>;
    const found: Failure[] = [];
    for (const link of Object.values(links)) {
      const [linkPath, method] = Object.entries(doc.paths).flatMap(([p, ms]) =>
        Object.entries(ms)
          .filter(([, op]) => op.operationId === link.operationId)
          .map(([m]) => [p, m.toUpperCase()]),
      )[0];
      if (method !== 'GET') continue; // following CancelRun would change what the other checks see
      const runId = body[link.parameters.runId.replace('$response.body#/', '')];
      const follow: FuzzRequest = {
        operation: { path: linkPath, method },
        method,
        path: linkPath.replace('{runId}', runId),
        headers: { 'x-api-key': hints.keys[0][1] },
        notes: [`link ${link.operationId}`],
      };
      const answer = await send(follow);
      sent++;
      linksFollowed++;
      if (answer.status !== 200)
        found.push({
          check: '202 link to the run',
          message: `${link.operationId} ${follow.path}: ${answer.status} ${answer.text.slice(0, 200)}`,
        });
      found.push(...checker.check(follow, answer));
    }
    if (res.headers.location !== body.statusUrl)
      found.push({
        check: '202 link to the run',
        message: `Location ${res.headers.location} is not statusUrl ${body.statusUrl}`,
      });
    hints.runIds.push(body.runId);
    return found;
  };

  await fc
    .assert(
      fc.asyncProperty(requestArbitrary(doc, hints), async (req) => {
        generated++;
        const res = await send(req);
        sent++;
        const label = `${req.operation ? req.operation.method + ' ' + req.operation.path.replace('/etl-mgr/api', '') : 'off-spec'} ${res.status}`;
        statuses.set(label, (statuses.get(label) ?? 0) + 1);
        if (process.env.FUZZ_TRACE)
          console.log(
            `[fuzz] ${req.method} ${req.path.slice(0, 80)} ${req.notes.join('; ')} ${req.body?.toString().slice(0, 100)} -> ${res.status} ${res.text.slice(0, 160)}`,
          );
        const found = checker.check(req, res);
        if (res.status === 202 && req.operation?.path.endsWith('/apijob') && !found.length)
          found.push(...(await followLinks(req, res)));
        // Counted rather than stopped at: the figures of a whole run say more than the first failure.
        record(req, found);
      }),
      { seed: SEED, numRuns: RUNS },
    )
    .finally(() => {
      const byStatus = [...statuses]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([s, n]) => `${s}: ${n}`)
        .join(', ');
      console.log(
        `[fuzz] seed ${SEED}: ${generated} requests generated, ${sent} sent (${linksFollowed} link follows); statuses ${byStatus}`,
      );
      console.log(`[fuzz] failures by check: ${CHECKS.map((c) => `${c} ${failures[c]}`).join(', ')}`);
      for (const e of examples) console.log(`[fuzz] ${e}`);
    });
  expect(
    Object.values(failures).reduce((a, b) => a + b, 0),
    examples.join('\n'),
  ).toBe(0);
  expect(linksFollowed, 'some starts were accepted and their links followed').toBeGreaterThan(0);
});
