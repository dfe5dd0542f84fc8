// Connections against a real Postgres, a real worker and real processes: what is stored, who may use
// what, a run with a secret, expiry, key rotation, and what the launcher gives the web server.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webEnv, workerEnv } from '../../scripts/child-env';
import type { RunningWorker } from '../../worker/index';
import { startTestDatabase, waitFor, type TestDatabase } from '../../worker/test-support';
import type { UserActor } from '../auth/actor';

const node = process.execPath;
const SECRET = 'pa$$ w0rd/with+odd=chars';
let t: TestDatabase;
let worker: RunningWorker;
let alice: UserActor;
let bob: UserActor;

const finished = (runId: string) =>
  waitFor(
    async () => {
      const run = await t.run(runId);
      return ['succeeded', 'failed', 'cancelled'].includes(run.status) ? run : null;
    },
    30_000,
    `run ${runId} to finish`,
  );
const stdout = async (runId: string) =>
  (await t.logs(runId)).filter((l) => l.stream === 'stdout').map((l) => l.text);

async function member(email: string, role: 'admin' | 'editor'): Promise<UserActor> {
  const user = await t.db.user.create({ data: { email, passwordHash: 'x' } });
  await t.db.membership.create({ data: { orgId: t.orgId, userId: user.id, role } });
  return { kind: 'user', userId: user.id, email, name: email, orgId: t.orgId, orgSlug: 'test', role };
}

async function saveJob(actor: UserActor, name: string, config: object) {
  const { createJob } = await import('../jobs/create-job');
  return createJob(
    t.orgId,
    { name, type: 'command', config, concurrency: 'parallel', timeoutSeconds: 60 },
    { actor: `user:${actor.userId}`, actorName: actor.email },
    { role: actor.role },
  );
}

/** A job that prints its PW as it is, base64 and URL-encoded, and a digest proving it got the right value. */
const printer = {
  command: node,
  args: [
    '-e',
    `const v = process.env.PW; console.log('plain ' + v); console.log('b64 ' + Buffer.from('user:' + v).toString('base64'));
     console.log('url ?p=' + encodeURIComponent(v)); console.log('len ' + v.length + ' sha ' + require('crypto').createHash('sha256').update(v).digest('hex'));`,
  ],
};

beforeAll(async () => {
  t = await startTestDatabase();
  const { ensureConnectionKeys } = await import('./keys');
  ensureConnectionKeys();
  alice = await member('alice@example.com', 'admin');
  bob = await member('bob@example.com', 'admin');
  const { startWorker } = await import('../../worker/index');
  worker = await startWorker({
    connectionString: t.url,
    concurrency: 2,
    log: () => {},
    sweepIntervalSeconds: 3600,
  });
});

afterAll(async () => {
  await worker?.stop();
  await t?.stop();
});

describe('storing', () => {
  it('keeps no plaintext of a secret in its row, the data key, the audit log or what is shown', async () => {
    const { createConnection, listConnections } = await import('./manage-connection');
    const shown = await createConnection(alice, {
      name: 'warehouse',
      type: 'postgres',
      scope: 'shared',
      fields: [
        { name: 'url', value: 'postgresql://db.example:5432/dw' },
        { name: 'user', value: 'etl' },
        { name: 'password', value: SECRET },
      ],
    });
    expect(shown.fields).toEqual([
      { name: 'url', secret: false, value: 'postgresql://db.example:5432/dw' },
      { name: 'user', secret: false, value: 'etl' },
      { name: 'password', secret: true },
    ]);
    // A dump of every table, as text.
    const { rows } = await t.db
      .$queryRawUnsafe<{ dump: string }[]>(
        `select (select json_agg(c)::text from "Connection" c) || (select json_agg(k)::text from "ConnectionKey" k)
              || (select json_agg(a)::text from "AuditEvent" a) as dump`,
      )
      .then((r) => ({ rows: r }));
    expect(rows[0].dump).toContain('etl'); // non-secret fields stay readable
    for (const form of [SECRET, Buffer.from(SECRET).toString('base64'), encodeURIComponent(SECRET)])
      expect(rows[0].dump).not.toContain(form);
    expect(JSON.stringify(await listConnections(bob))).not.toContain(SECRET);
    const viewer = await listConnections({ ...bob, role: 'viewer' });
    expect(viewer.find((c) => c.name === 'warehouse')!.fields.every((f) => f.value === undefined)).toBe(true);
  });

  it('hides a personal connection from everyone but its owner', async () => {
    const { createConnection, listConnections, deleteConnection } = await import('./manage-connection');
    const mine = await createConnection(alice, {
      name: 'alice-token',
      type: 'http_bearer',
      scope: 'personal',
      fields: [{ name: 'token', value: 'alice-token-value-123' }],
    });
    expect((await listConnections(alice)).map((c) => c.name)).toContain('alice-token');
    expect((await listConnections(bob)).map((c) => c.name)).not.toContain('alice-token');
    await expect(deleteConnection(bob, mine.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('job references at save', () => {
  it("refuses a reference to another member's personal connection, an unknown one or an unknown field, with the path", async () => {
    const { createConnection } = await import('./manage-connection');
    await createConnection(bob, {
      name: 'bob-db',
      type: 'generic',
      scope: 'personal',
      fields: [{ name: 'password', value: 'bob-secret-value', secret: true }],
    });
    const refused = (name: string, env: object) =>
      saveJob(alice, name, { ...printer, env }).then(
        () => null,
        (error) => error,
      );
    const other = await refused('uses-bob', { PW: { connection: 'bob-db', field: 'password' } });
    expect(other).toMatchObject({ code: 'validation_failed', status: 422 });
    expect(other.errors).toEqual([
      expect.objectContaining({ path: 'config.env.PW', rule: 'connection_not_usable' }),
    ]);
    const unknown = await refused('uses-nothing', { PW: { connection: 'no-such', field: 'password' } });
    expect(unknown.errors[0]).toMatchObject({ path: 'config.env.PW', rule: 'connection_not_usable' });
    // unknown and not yours: told alike
    expect(unknown.errors[0].message.replace('no-such', 'X')).toBe(
      other.errors[0].message.replace('bob-db', 'X'),
    );
    const field = await refused('uses-bad-field', { PW: { connection: 'warehouse', field: 'pasword' } });
    expect(field.errors[0]).toMatchObject({ path: 'config.env.PW', rule: 'connection_field_unknown' });
    // Bob may use his own.
    await expect(
      saveJob(bob, 'bob-uses-own', { ...printer, env: { PW: { connection: 'bob-db', field: 'password' } } }),
    ).resolves.toMatchObject({ name: 'bob-uses-own' });
  });
});

describe('runs', () => {
  it('gives the run the secret and stores *** wherever it printed it', async () => {
    const job = await saveJob(alice, 'prints-secret', {
      ...printer,
      env: { PW: { connection: 'warehouse', field: 'password' } },
    });
    const runId = await t.startRun(job.id);
    const run = await finished(runId);
    expect(run).toMatchObject({ status: 'succeeded' });
    const sha = (await import('node:crypto')).createHash('sha256').update(SECRET).digest('hex');
    const out = await stdout(runId);
    expect(out).toEqual([
      'plain ***',
      expect.stringMatching(/^b64 dXNlcjp\S*\*\*\*/),
      'url ?p=***',
      `len ${SECRET.length} sha ${sha}`,
    ]);
    expect(JSON.stringify(await t.logs(runId))).not.toContain(SECRET);
    expect(out[1]).not.toContain(Buffer.from(SECRET).toString('base64').slice(2, 12));
    const used = await t.db.auditEvent.findFirst({ where: { orgId: t.orgId, action: 'connection.used' } });
    expect(used?.details).toMatchObject({ name: 'warehouse', fields: ['password'], runId });
  });

  it('fails the run of an expired connection with the reason', async () => {
    const { createConnection } = await import('./manage-connection');
    await createConnection(alice, {
      name: 'old-api',
      type: 'generic',
      fields: [{ name: 'password', value: 'expired-secret', secret: true }],
      expiresAt: '2099-01-01',
    });
    const job = await saveJob(alice, 'uses-old', {
      ...printer,
      env: { PW: { connection: 'old-api', field: 'password' } },
    });
    await t.db.connection.updateMany({
      where: { name: 'old-api' },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const run = await finished(await t.startRun(job.id));
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/config\.env\.PW: connection "old-api" expired on .*; give it a new expiry/);
    expect(await stdout(run.id)).toEqual([]);
  });

  it('fails the run when the personal connection is no longer its definer’s', async () => {
    const job = await t.db.job.findFirstOrThrow({ where: { name: 'bob-uses-own' } });
    await t.db.job.update({ where: { id: job.id }, data: { definedById: alice.userId } }); // as if Alice saved it behind the API
    const run = await finished(await t.startRun(job.id));
    expect(run).toMatchObject({ status: 'failed' });
    expect(run.error).toContain('connection "bob-db" is not available to this job');
  });
});

describe('keys', () => {
  it('rotation re-wraps every data key, retires the old private key, and re-runs keep working', async () => {
    const { rotateConnectionKeys } = await import('./rotate-key');
    const job = await t.db.job.findFirstOrThrow({ where: { name: 'prints-secret' } });
    const before = await t.db.connectionKey.findUniqueOrThrow({ where: { orgId: t.orgId } });
    const dir = path.join(t.dir, 'connections', 'worker');
    expect(readdirSync(dir)).toEqual([`${before.masterKeyId}.pem`]);

    const rotated = await rotateConnectionKeys();
    expect(rotated).toMatchObject({ rewrapped: 1, retired: [before.masterKeyId] });
    const after = await t.db.connectionKey.findUniqueOrThrow({ where: { orgId: t.orgId } });
    expect(after.masterKeyId).toBe(rotated.keyId);
    expect(after.publicKey).toBe(before.publicKey); // the data key itself stays: fields are not re-sealed
    expect(readdirSync(dir)).toEqual([`${rotated.keyId}.pem`]);

    const rerun = await finished(await t.startRun(job.id));
    expect(rerun.status).toBe('succeeded');
    expect((await stdout(rerun.id))[0]).toBe('plain ***');
  });

  it('keeps the private key out of the web server: its environment from the launcher, and 0600 files in a 0700 folder', async () => {
    const { generateKeyPair } = await import('./crypto');
    const pair = generateKeyPair();
    const launcher = {
      ...process.env,
      CONNECTIONS_PUBLIC_KEY: pair.publicKey,
      CONNECTIONS_PRIVATE_KEY: pair.privateKey,
      CONNECTIONS_PRIVATE_KEY_FILE: '/etc/etl/connections.pem',
    };
    const web = webEnv(launcher, 'postgresql://web@x/db');
    expect(Object.keys(web).filter((k) => k.startsWith('CONNECTIONS_'))).toEqual(['CONNECTIONS_PUBLIC_KEY']);
    expect(Object.values(web).join('\n')).not.toMatch(/PRIVATE KEY/);
    const work = workerEnv(launcher, 'postgresql://worker@x/db');
    expect(work.CONNECTIONS_PRIVATE_KEY).toBe(pair.privateKey);

    // DATA_DIR: the web server reads public.pem; the private keys sit where only their owner may enter.
    const dir = path.join(t.dir, 'connections');
    expect(statSync(path.join(dir, 'worker')).mode & 0o777).toBe(0o700);
    for (const file of readdirSync(path.join(dir, 'worker')))
      expect(statSync(path.join(dir, 'worker', file)).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(dir, 'public.pem'))).toBe(true);
  });
});
