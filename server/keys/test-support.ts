// For the key domain's tests only: a real embedded Postgres, migrated, with two organisations and members.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../db/migrate';
import { startEmbeddedPostgres } from '../runtime/embedded-postgres';
import type { UserActor } from '../auth/actor';

type Role = UserActor['role'];

export interface KeyTestWorld {
  db: (typeof import('../db'))['db'];
  /** A member of organisation "alpha" (or "beta" when org is 'beta') with this role. */
  member(role: Role, org?: 'alpha' | 'beta'): Promise<UserActor>;
  jobId: string;
  stop(): Promise<void>;
}

export async function startKeyTestWorld(): Promise<KeyTestWorld> {
  const dir = await mkdtemp(path.join(tmpdir(), 'keys-test-'));
  const pg = await startEmbeddedPostgres(dir);
  await applyMigrations(pg.url);
  // server/db and the keyring read these when first used.
  process.env.DATABASE_URL = pg.url;
  process.env.DATA_DIR = dir;
  process.env.API_KEY_SECRETS = `test:${randomBytes(32).toString('base64')}`;
  const { db, pool } = await import('../db');
  const orgs = {
    // alpha's sample job is a command job: the operator's grant (issue 23).
    alpha: await db.organization.create({ data: { slug: 'alpha', name: 'Alpha', commandJobsRole: 'admin' } }),
    beta: await db.organization.create({ data: { slug: 'beta', name: 'Beta' } }),
  };
  const job = await db.job.create({
    data: {
      orgId: orgs.alpha.id,
      name: 'hello',
      type: 'command',
      config: { command: 'true', args: [] },
      concurrency: 'parallel',
    },
  });
  let n = 0;
  return {
    db,
    jobId: job.id,
    async member(role, org = 'alpha') {
      const email = `${role}-${++n}@${org}.test`;
      const user = await db.user.create({ data: { email, name: email, passwordHash: 'x' } });
      await db.membership.create({ data: { orgId: orgs[org].id, userId: user.id, role } });
      return {
        kind: 'user',
        userId: user.id,
        email,
        name: email,
        orgId: orgs[org].id,
        orgSlug: org,
        role,
        ip: '127.0.0.1',
      };
    },
    async stop() {
      const { stopKeyCache } = await import('./key-cache');
      const { flushKeyUse } = await import('./last-used');
      await flushKeyUse();
      await stopKeyCache();
      await db.$disconnect().catch(() => {});
      await pool.end().catch(() => {});
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
