// Shared by the worker's tests: a real embedded Postgres per test file, migrated, with one organisation.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../server/db/migrate';
import { applyGrants } from '../server/db/roles';
import { startEmbeddedPostgres } from '../server/runtime/embedded-postgres';

export type Db = (typeof import('../server/db'))['db'];

export interface TestDatabase {
  /** The owner's URL (the tests' own connection). */
  url: string;
  /** The worker role's URL, as npm start gives it to a worker process. */
  workerUrl: string;
  dir: string;
  db: Db;
  orgId: string;
  createJob(data: {
    type: 'command' | 'http';
    config: object;
    timeoutSeconds?: number;
    maxAttempts?: number;
  }): Promise<string>;
  /** Inserts a queued run and its queue entry in one transaction, as the producer does. */
  startRun(jobId: string, params?: object, options?: { enqueue?: boolean }): Promise<string>;
  run(runId: string): ReturnType<Db['jobRun']['findUniqueOrThrow']>;
  logs(runId: string): Promise<{ seq: number; stream: string; text: string }[]>;
  stop(): Promise<void>;
}

export async function startTestDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), 'worker-test-'));
  const pg = await startEmbeddedPostgres(dir);
  await applyMigrations(pg.url);
  await applyGrants(pg.url, { web: pg.webUrl, worker: pg.workerUrl });
  // server/db reads these when first imported.
  process.env.DATABASE_URL = pg.url;
  process.env.DATA_DIR = dir;
  const { db } = await import('../server/db');
  const { enqueueRun } = await import('../server/runs/queue');
  const org = await db.organization.create({
    data: { slug: `org-${Date.now()}`, name: 'Test org', commandJobsRole: 'admin' },
  });
  let jobs = 0;

  return {
    url: pg.url,
    workerUrl: pg.workerUrl!,
    dir,
    db,
    orgId: org.id,
    async createJob(data) {
      const job = await db.job.create({
        data: { orgId: org.id, name: `job-${++jobs}`, concurrency: 'parallel', ...data },
      });
      return job.id;
    },
    async startRun(jobId, params = {}, options = {}) {
      return db.$transaction(async (tx) => {
        const run = await tx.jobRun.create({ data: { orgId: org.id, jobId, params, trigger: 'api' } });
        if (options.enqueue !== false) await enqueueRun(tx, run.id);
        return run.id;
      });
    },
    run: (runId) => db.jobRun.findUniqueOrThrow({ where: { id: runId } }),
    logs: (runId) =>
      db.runLog.findMany({
        where: { runId },
        orderBy: { seq: 'asc' },
        select: { seq: true, stream: true, text: true },
      }),
    async stop() {
      await db.$disconnect().catch(() => {});
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns something truthy, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether a process exists and is not a zombie (an orphan killed under a PID 1 that never reaps). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Pids of processes anywhere on this machine whose command line matches `pattern` (pgrep -f). */
export function processesMatching(pattern: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}
