// The web's and the worker's database roles, against a real embedded PostgreSQL: not superusers, and
// the worker reaches only what running jobs needs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../runtime/embedded-postgres';
import { applyMigrations } from './migrate';
import { applyGrants } from './roles';

let dir: string;
let database: EmbeddedDatabase;

async function as<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
const refused = (url: string, sql: string) =>
  as(url, (c) => c.query(sql)).then(
    () => 'allowed',
    (e: { code?: string }) => e.code,
  );

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'roles-test-'));
  database = await startEmbeddedPostgres(dir);
  await applyMigrations(database.url);
  await applyGrants(database.url, { web: database.webUrl, worker: database.workerUrl });
});
afterAll(async () => {
  await database?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('embedded roles', () => {
  test('neither the web nor the worker connects as a superuser', async () => {
    for (const url of [database.webUrl!, database.workerUrl!]) {
      const { rows } = await as(url, (c) =>
        c.query('select rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user'),
      );
      expect(rows[0]).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false });
    }
    const owner = await as(database.url, (c) =>
      c.query('select rolsuper from pg_roles where rolname = current_user'),
    );
    expect(owner.rows[0].rolsuper).toBe(true); // the launcher's own role: the contrast that makes the test mean something
  });

  test('the worker cannot read keys, users or the migrations table, nor create tables', async () => {
    const worker = database.workerUrl!;
    expect(await refused(worker, 'select * from "ApiKey"')).toBe('42501');
    expect(await refused(worker, 'select * from "User"')).toBe('42501');
    expect(await refused(worker, 'select * from "_prisma_migrations"')).toBe('42501');
    expect(await refused(worker, 'select * from "AuditEvent"')).toBe('42501');
    expect(await refused(worker, 'create table mine (id int)')).toBe('42501');
    expect(await refused(worker, 'create temporary table mine (id int)')).toBe('42501');
    expect(await refused(worker, 'create schema mine')).toBe('42501');
    // Retention deletes old runs, logs and audit events; nothing else.
    expect(await refused(worker, 'delete from "Job"')).toBe('42501');
    expect(await refused(worker, 'delete from "WebhookEndpoint"')).toBe('42501');
    expect(await refused(worker, 'select "actorName" from "AuditEvent"')).toBe('42501');
    expect(await refused(worker, 'update "Job" set name = name')).toBe('42501');
  });

  test('the worker can do its work: read jobs, update runs, write logs, take queue entries', async () => {
    const worker = database.workerUrl!;
    expect(await refused(worker, 'select id from "Job"')).toBe('allowed');
    expect(await refused(worker, `update "JobRun" set "heartbeatAt" = now() where false`)).toBe('allowed');
    expect(
      await refused(
        worker,
        `insert into "RunLog" ("runId", seq, stream, text) select id, 1, 'system', 'x' from "JobRun" where false`,
      ),
    ).toBe('allowed');
    expect(await refused(worker, `select graphile_worker.add_job('noop', '{}'::json)`)).toBe('allowed');
    expect(await refused(worker, 'select count(*) from graphile_worker.jobs')).toBe('allowed');
  });

  test('the web can use the app tables and start runs, but not read the migrations table or create tables', async () => {
    const web = database.webUrl!;
    expect(await refused(web, 'select * from "ApiKey"')).toBe('allowed');
    expect(await refused(web, `select graphile_worker.add_job('noop', '{}'::json)`)).toBe('allowed');
    expect(await refused(web, 'select * from "_prisma_migrations"')).toBe('42501');
    expect(await refused(web, 'create table mine (id int)')).toBe('42501');
  });

  test("a table a later migration creates is the web's at once, and not the worker's", async () => {
    await as(database.url, (c) => c.query('create table "Later" (id serial primary key, note text)'));
    expect(await refused(database.webUrl!, `insert into "Later" (note) values ('x')`)).toBe('allowed');
    expect(await refused(database.workerUrl!, 'select * from "Later"')).toBe('42501');
  });

  test('no one but the owner may call a SECURITY DEFINER function; the triggers that use them still fire', async () => {
    const { rows: definers } = await as(database.url, (c) =>
      c.query<{ fn: string; public: boolean; web: boolean; worker: boolean }>(
        `select p.oid::regprocedure::text as fn,
                has_function_privilege('public', p.oid, 'execute') as public,
                has_function_privilege('etl_web', p.oid, 'execute') as web,
                has_function_privilege('etl_worker', p.oid, 'execute') as worker
           from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname = 'public' and p.prosecdef order by 1`,
      ),
    );
    expect(definers.map((d) => d.fn)).toContain('etl_emit_webhook(uuid,text,uuid,json)');
    expect(definers.filter((d) => d.public || d.web || d.worker)).toEqual([]);

    // Forging a delivery for any organisation by calling it directly is refused to both roles...
    const emit = `select etl_emit_webhook(gen_random_uuid(), 'run.failed', null, '{}'::json)`;
    expect(await refused(database.webUrl!, emit)).toBe('42501');
    expect(await refused(database.workerUrl!, emit)).toBe('42501');

    // ...while revoking a key as the web still queues the key.revoked delivery through the trigger.
    const [org] = (
      await as(database.url, (c) =>
        c.query<{ id: string }>(
          `insert into "Organization" (id, slug, name) values (gen_random_uuid(), 'definer', 'D') returning id`,
        ),
      )
    ).rows;
    await as(database.url, async (c) => {
      const user = await c.query<{ id: string }>(
        `insert into "User" (id, email, "passwordHash") values (gen_random_uuid(), 'definer@x.test', 'x') returning id`,
      );
      await c.query(
        `insert into "WebhookEndpoint" (id, "orgId", url, events, "jobIds", secrets) values (gen_random_uuid(), $1, 'https://example.com/h', '{key.revoked}', '{}', '{whsec_x}')`,
        [org.id],
      );
      await c.query(
        `insert into "ApiKey" (id, "orgId", "ownerId", name, selector, claims, kid, digest, masked, "jobIds") values (gen_random_uuid(), $1, $2, 'k', 's', '{}', 'k', 'definer-digest', 'm', '{}')`,
        [org.id, user.rows[0].id],
      );
    });
    expect(
      await refused(
        database.webUrl!,
        `update "ApiKey" set "revokedAt" = now() where digest = 'definer-digest'`,
      ),
    ).toBe('allowed');
    const deliveries = await as(database.url, (c) =>
      c.query(`select 1 from "WebhookDelivery" where "orgId" = $1 and "eventType" = 'key.revoked'`, [org.id]),
    );
    expect(deliveries.rowCount).toBe(1);
  });
});
