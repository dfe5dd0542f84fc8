// Integration: starts against a real embedded Postgres, through the same SQL function the API uses.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { applyMigrations } from '../db/migrate';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../runtime/embedded-postgres';
import type { KeyPrincipal } from '../keys/authenticate-key';

let dir: string;
let database: EmbeddedDatabase;
let mod: {
  db: (typeof import('../db'))['db'];
  pool: (typeof import('../db'))['pool'];
  startJob: (typeof import('./start-job'))['startJob'];
  idempotent: (typeof import('../http/idempotency'))['idempotent'];
  consumeRateLimit: (typeof import('../keys/rate-limit'))['consumeRateLimit'];
  AppError: (typeof import('../errors'))['AppError'];
};
let orgId: string;
let otherOrgId: string;
let keyId: string;
const principal = (overrides: Partial<KeyPrincipal> = {}): KeyPrincipal => ({
  kind: 'key',
  keyId,
  name: 'test',
  orgId,
  orgSlug: 'acme',
  jobIds: [],
  rateLimit: null,
  ip: null,
  ...overrides,
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'start-job-test-'));
  database = await startEmbeddedPostgres(dir);
  await applyMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  process.env.API_KEY_SECRETS = `test:${randomBytes(32).toString('base64')}`;
  const dbm = await import('../db');
  mod = {
    db: dbm.db,
    pool: dbm.pool,
    startJob: (await import('./start-job')).startJob,
    idempotent: (await import('../http/idempotency')).idempotent,
    consumeRateLimit: (await import('../keys/rate-limit')).consumeRateLimit,
    AppError: (await import('../errors')).AppError,
  };
  orgId = (
    await mod.db.organization.create({ data: { slug: 'acme', name: 'Acme', commandJobsRole: 'admin' } })
  ).id;
  otherOrgId = (await mod.db.organization.create({ data: { slug: 'other', name: 'Other' } })).id;
  const owner = await mod.db.user.create({ data: { email: 'o@acme.test', passwordHash: 'x' } });
  keyId = randomUUID();
  await mod.db.apiKey.create({
    data: {
      id: keyId,
      orgId,
      ownerId: owner.id,
      name: 'k',
      selector: 'k',
      claims: '{}',
      kid: 'test',
      digest: 'd',
      masked: 'm',
    },
  });
  const config = { command: 'node', args: ['-e', ''], env: {} };
  await mod.db.job.createMany({
    data: [
      { orgId, name: 'single', type: 'command', config, concurrency: 'single' },
      { orgId, name: 'parallel', type: 'command', config, concurrency: 'parallel' },
      {
        orgId,
        name: 'typed',
        type: 'command',
        config,
        concurrency: 'parallel',
        paramsSchema: {
          type: 'object',
          properties: { n: { type: 'integer' } },
          required: ['n'],
          additionalProperties: false,
        },
      },
      {
        orgId,
        name: 'redos',
        type: 'command',
        config,
        concurrency: 'parallel',
        paramsSchema: { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } },
      },
      { orgId: otherOrgId, name: 'theirs', type: 'command', config },
    ],
  });
});

afterAll(async () => {
  await mod?.db.$disconnect();
  await mod?.pool.end();
  await database?.stop();
  await rm(dir, { recursive: true, force: true });
});

const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e) => (e instanceof mod.AppError ? e.code : `unexpected: ${e}`),
  );

describe('startJob', () => {
  test('writes the run and its queue entry together', async () => {
    const result = await mod.startJob(principal(), { id: 'parallel', params: { a: 1 }, jobid: 'pipeline-7' });
    expect(result.dryRun).toBe(false);
    const runId = (result as { runId: string }).runId;
    const run = await mod.db.jobRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({
      status: 'queued',
      params: { a: 1 },
      externalRef: 'pipeline-7',
      trigger: 'api',
      orgId,
    });
    const { rows } = await mod.pool.query(
      `select payload from graphile_worker._private_jobs where payload->>'runId' = $1`,
      [runId],
    );
    expect(rows).toHaveLength(1);
  });

  test('20 concurrent starts of a single job make exactly one run; the others name it', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => mod.startJob(principal(), { id: 'single' })),
    );
    const started = results.filter((r) => r.status === 'fulfilled');
    const refused = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason);
    expect(started).toHaveLength(1);
    expect(refused).toHaveLength(19);
    const runId = (started[0] as PromiseFulfilledResult<{ runId: string }>).value.runId;
    for (const error of refused) {
      expect(error.code).toBe('job_already_running');
      expect(error.extra.runId).toBe(runId);
    }
  });

  test('parallel jobs queue every start', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => mod.startJob(principal(), { id: 'parallel' })),
    );
    expect(new Set(results.map((r) => (r as { runId: string }).runId)).size).toBe(10);
  });

  test('another organisation’s job is not found, by name or by id', async () => {
    const theirs = await mod.db.job.findFirstOrThrow({ where: { orgId: otherOrgId } });
    expect(await codeOf(mod.startJob(principal(), { id: 'theirs' }))).toBe('job_not_found');
    expect(await codeOf(mod.startJob(principal(), { id: theirs.id }))).toBe('job_not_found');
  });

  test('a key scoped to other jobs is refused with job_not_allowed', async () => {
    const single = await mod.db.job.findFirstOrThrow({ where: { orgId, name: 'single' } });
    expect(await codeOf(mod.startJob(principal({ jobIds: [single.id] }), { id: 'parallel' }))).toBe(
      'job_not_allowed',
    );
  });

  test('params are checked against the job’s schema, with paths', async () => {
    const error = await mod
      .startJob(principal(), { id: 'typed', params: { n: 'x', extra: 1 } })
      .catch((e) => e);
    expect(error.code).toBe('validation_failed');
    expect(error.errors.map((e: { path: string }) => e.path).sort()).toEqual(['params.extra', 'params.n']);
    expect(await codeOf(mod.startJob(principal(), { id: 'typed', params: { n: 3 } }))).toBe('ok');
  });

  test('a dry run checks everything and writes nothing', async () => {
    const before = await mod.db.jobRun.count();
    expect(await mod.startJob(principal(), { id: 'parallel', dryRun: true })).toMatchObject({ dryRun: true });
    expect(await codeOf(mod.startJob(principal(), { id: 'typed', params: {}, dryRun: true }))).toBe(
      'validation_failed',
    );
    expect(await mod.db.jobRun.count()).toBe(before);
  });
});

describe('params patterns', () => {
  test('a catastrophic pattern answers 422 in linear time, not in seconds', async () => {
    await mod.startJob(principal(), { id: 'redos', params: { s: 'aaa' }, dryRun: true }); // compiled once
    const started = performance.now();
    expect(
      await codeOf(mod.startJob(principal(), { id: 'redos', params: { s: 'a'.repeat(29) + '!' } })),
    ).toBe('validation_failed');
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe('createJob', () => {
  test('a params schema that is not a JSON Schema is refused when the job is saved', async () => {
    const { createJob } = await import('./create-job');
    const definition = {
      name: 'bad-schema',
      type: 'command',
      config: { command: 'true' },
      paramsSchema: { type: 'nonsense' },
    };
    const error = await createJob(
      orgId,
      definition,
      { actor: 'system', actorName: 'test' },
      'operator',
    ).catch((e) => e);
    expect(error.code).toBe('validation_failed');
    expect(error.errors[0].path).toBe('paramsSchema');
    expect(await mod.db.job.count({ where: { orgId, name: 'bad-schema' } })).toBe(0);
  });
});

describe('who may save what (job policy, COMMAND_JOBS=admins by default)', () => {
  const audit = { actor: 'system', actorName: 'test' };
  const actor = (role: 'editor' | 'admin') => ({
    kind: 'user' as const,
    userId: randomUUID(),
    email: `${role}@acme.test`,
    name: role,
    orgId,
    orgSlug: 'acme',
    role,
  });

  test('an editor’s command job is refused with the rule and nothing is written; an admin’s is saved', async () => {
    const definition = {
      name: 'editor-cmd',
      type: 'command',
      config: { command: '/bin/echo', args: ['hi'] },
    };
    const error = await (
      await import('./create-job')
    )
      .createJob(orgId, definition, audit, { role: 'editor' })
      .catch((e) => e);
    expect([error.code, error.status, error.errors]).toEqual([
      'validation_failed',
      422,
      [
        {
          path: 'config.command',
          rule: 'command_not_allowed',
          message: expect.stringContaining('COMMAND_JOBS=admins'),
        },
      ],
    ]);
    expect(await mod.db.job.count({ where: { orgId, name: 'editor-cmd' } })).toBe(0);
    const job = await (await import('./create-job')).createJob(orgId, definition, audit, { role: 'admin' });
    expect(job.config).toEqual({ command: '/bin/echo', args: ['hi'], env: {}, network: false });

    // Nor may an editor change the admin's command.
    const { updateJob } = await import('./update-job');
    expect(
      await codeOf(
        updateJob(actor('editor'), job.id, {
          ...definition,
          config: { command: '/bin/sh', args: ['-c', 'id'] },
        }),
      ),
    ).toBe('validation_failed');
    expect((await mod.db.job.findUniqueOrThrow({ where: { id: job.id } })).config).toMatchObject({
      command: '/bin/echo',
    });
  });

  test('a job with a params schema is saved twice; a schema with $id is refused with the reason', async () => {
    const { createJob } = await import('./create-job');
    const { updateJob } = await import('./update-job');
    const paramsSchema = {
      type: 'object',
      properties: { day: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } },
    };
    const definition = {
      name: 'schema-twice',
      type: 'http',
      config: { url: 'https://etl.example.com/hook' },
      paramsSchema,
    };
    const job = await createJob(orgId, definition, audit, { role: 'editor' });
    await updateJob(actor('editor'), job.id, { ...definition, description: 'first edit' });
    await updateJob(actor('editor'), job.id, { ...definition, description: 'second edit' });
    const withId = await updateJob(actor('editor'), job.id, {
      ...definition,
      paramsSchema: { $id: 'https://acme.test/s', ...paramsSchema },
    }).catch((e) => e);
    expect(withId.errors).toEqual([
      { path: 'paramsSchema', message: expect.stringMatching(/^\$id is not allowed/) },
    ]);
  });
});

describe('idempotency', () => {
  const scope = {
    get orgId() {
      return orgId;
    },
    get keyId() {
      return keyId;
    },
  };
  const answer = (n: number) => async () =>
    new Response(JSON.stringify({ n }), { status: 202, headers: { 'content-type': 'application/json' } });

  test('the same key and body replay the first answer', async () => {
    const first = await mod.idempotent(scope, 'k1', 'body-a', answer(1));
    const second = await mod.idempotent(scope, 'k1', 'body-a', answer(2));
    expect(await first.json()).toEqual({ n: 1 });
    expect(second.status).toBe(202);
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await second.json()).toEqual({ n: 1 });
  });

  test('the same key with another body is refused', async () => {
    await mod.idempotent(scope, 'k2', 'body-a', answer(1));
    expect(await codeOf(mod.idempotent(scope, 'k2', 'body-b', answer(2)))).toBe('idempotency_key_reused');
  });

  test('the same key while the first is in flight is 409', async () => {
    let release!: () => void;
    const slow = mod.idempotent(
      scope,
      'k3',
      'body',
      () =>
        new Promise<Response>((resolve) => (release = () => resolve(new Response('{}', { status: 202 })))),
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(await codeOf(mod.idempotent(scope, 'k3', 'body', answer(2)))).toBe('idempotency_key_in_use');
    release();
    await slow;
  });

  test('keys are kept per API key: another key of the same organisation gets no replay of a start', async () => {
    const single = await mod.db.job.findFirstOrThrow({ where: { orgId, name: 'parallel' } });
    const other = principal({ keyId: randomUUID(), jobIds: [randomUUID()] });
    const start = (p: KeyPrincipal) =>
      mod.idempotent(p, 'per-key', JSON.stringify({ id: single.id }), async () => {
        const result = await mod.startJob(p, { id: single.id });
        return new Response(JSON.stringify(result), { status: 202 });
      });
    const first = await start(principal());
    expect(first.status).toBe(202);
    // Before: the record was the organisation's, so this key, not allowed the job, got the 202 again.
    expect(await codeOf(start(other))).toBe('job_not_allowed');
  });

  test('after a 500 the key is free at once, not held for a minute', async () => {
    const failing = async () => new Response('{}', { status: 500 });
    expect((await mod.idempotent(scope, 'after-500', 'body', failing)).status).toBe(500);
    expect((await mod.idempotent(scope, 'after-500', 'body', answer(2))).status).toBe(202);
  });

  test('an answer that cannot be stored frees the key and still reaches the caller', async () => {
    // Postgres jsonb refuses \u0000: before, the store failed, the caller got a 500 and the key stayed locked.
    const refusal = async (): Promise<Response> => {
      throw new mod.AppError('job_not_found', 'No job "a\u0000b"');
    };
    expect(await codeOf(mod.idempotent(scope, 'unstorable', 'body', refusal))).toBe('job_not_found');
    expect((await mod.idempotent(scope, 'unstorable', 'body', answer(3))).status).toBe(202);
  });

  test('keys are kept per organisation', async () => {
    await mod.idempotent(scope, 'shared', 'body-a', answer(1));
    const theirs = await mod.idempotent({ orgId: otherOrgId, keyId }, 'shared', 'body-b', answer(2));
    expect(theirs.headers.get('Idempotent-Replayed')).toBeNull();
  });
});

describe('rate limits', () => {
  test('a key’s own limit is counted across calls and refuses the excess with Retry-After', async () => {
    const p = principal({ keyId: randomUUID(), rateLimit: 3 });
    const states = [
      await mod.consumeRateLimit(p),
      await mod.consumeRateLimit(p),
      await mod.consumeRateLimit(p),
    ];
    expect(states.map((s) => s?.remaining)).toEqual([2, 1, 0]);
    const error = await mod.consumeRateLimit(p).catch((e) => e);
    expect(error.code).toBe('rate_limited');
    expect(Number(error.headers['Retry-After'])).toBeGreaterThan(0);
  });

  test('0 means no limit', async () => {
    expect(await mod.consumeRateLimit(principal({ rateLimit: 0 }))).toBeNull();
  });
});

describe('params schema', () => {
  test('keeps the author’s order of properties (the Run-now form lists fields in it)', async () => {
    const paramsSchema = {
      type: 'object',
      properties: { region: { type: 'string' }, at: { type: 'string' }, b: { type: 'integer' } },
      required: ['region'],
    };
    const job = await mod.db.job.create({
      data: { orgId, name: 'ordered', type: 'command', config: { command: 'node' }, paramsSchema },
    });
    const read = await mod.db.job.findUniqueOrThrow({ where: { id: job.id } });
    const schema = read.paramsSchema as typeof paramsSchema;
    expect(Object.keys(schema)).toEqual(['type', 'properties', 'required']);
    expect(Object.keys(schema.properties)).toEqual(['region', 'at', 'b']);
  });
});
