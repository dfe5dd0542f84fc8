// The floor of `npm run bench -- --worker`: the least a queue worker can do per run. A bare
// graphile-worker task that spawns `true` (no sandbox, no limits, no log) and writes the finished row in
// one statement. It runs with the same queue settings as the product's worker (worker/queue-options.ts),
// so the difference is what the product does per run, not how the queue is read.
//
// With FLOOR_SANDBOX=bubblewrap, `true` runs in a minimal bubblewrap sandbox (the whole file system
// read-only, every namespace unshared), the least a sandboxed run can cost.
//
// env: DATABASE_URL, CONCURRENCY (default 8), FLOOR_SANDBOX (none or bubblewrap), STATS_FILE (where SIGTERM
// writes each run's spawn-to-exit ms as JSON). Prints "floor ready" when it takes jobs; SIGTERM stops it.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Logger, run } from 'graphile-worker';
import pg from 'pg';
import { queueOptions } from '../worker/queue-options';

export const FLOOR_TASK = 'bench-floor';
const concurrency = Number(process.env.CONCURRENCY ?? 8);
const [program, ...args] =
  process.env.FLOOR_SANDBOX === 'bubblewrap'
    ? ['bwrap', '--ro-bind', '/', '/', '--unshare-all', '--die-with-parent', 'true']
    : ['true'];

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: concurrency + 4 });
pool.on('error', () => {});

const FINISH = `update "JobRun" set status = 'succeeded', "startedAt" = $2::timestamptz at time zone 'utc',
  "finishedAt" = now() at time zone 'utc', "exitCode" = $3 where id = $1::uuid`;

const processMs: Record<string, number> = {};

function spawnTrue(runId: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const spawnedAt = performance.now();
    const child = spawn(program, args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => {
      processMs[runId] = performance.now() - spawnedAt;
      resolve(code);
    });
  });
}

const runner = await run({
  pgPool: pool,
  concurrency,
  noHandleSignals: true,
  ...queueOptions(concurrency),
  logger: new Logger(() => (level, message) => {
    if (level === 'error' || level === 'warning') console.error(`[floor queue] ${level}: ${message}`);
  }),
  taskList: {
    [FLOOR_TASK]: async (payload) => {
      const { runId } = payload as { runId: string };
      const startedAt = new Date().toISOString();
      const code = await spawnTrue(runId);
      await pool.query(FINISH, [runId, startedAt, code]);
    },
  },
});
console.log('floor ready');

const stop = () => {
  runner
    .stop()
    .then(() => pool.end())
    .then(() => process.env.STATS_FILE && writeFileSync(process.env.STATS_FILE, JSON.stringify(processMs)))
    .finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
