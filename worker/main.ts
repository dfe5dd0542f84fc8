import { dataDir, intFromEnv } from '../server/config';
import { assertOperatorSettings, commandJobsMode } from '../server/jobs/job-policy';
import { initLogger } from '../server/observability/logger';
import { startMetricsServer } from '../server/observability/metrics-http';
import { findEmbeddedDatabase } from '../server/runtime/embedded-postgres';

const log = initLogger('worker');

// `npm run worker`: one worker process. Any number of them may run against the same Postgres.
// Without DATABASE_URL it joins the embedded database of DATA_DIR (as its worker role) that npm start runs.

const connectionString = process.env.DATABASE_URL || findEmbeddedDatabase(dataDir())?.workerUrl;
if (!connectionString) {
  log.fatal(
    `DATABASE_URL is not set and no embedded database of DATA_DIR (${dataDir()}) is running: start the app (npm start) first, or set DATABASE_URL=postgresql://user:password@host:port/db.`,
  );
  process.exit(2);
}
process.env.DATABASE_URL = connectionString; // server/db reads it when first imported, below
const { startWorker } = await import('./index');
const { registerQueueMetrics } = await import('../server/observability/queue-metrics');

try {
  assertOperatorSettings();
} catch (error) {
  log.fatal((error as Error).message);
  process.exit(2);
}
const worker = await startWorker({
  connectionString,
  concurrency: Math.max(1, intFromEnv('WORKER_CONCURRENCY', 4)),
  commandJobs: commandJobsMode() !== 'off',
  shutdownGraceSeconds: intFromEnv('WORKER_SHUTDOWN_GRACE_SECONDS', 20),
  sweepIntervalSeconds: intFromEnv('RUN_SWEEP_INTERVAL_SECONDS', 10) || 10,
});
log.info({ workerId: worker.workerId }, `worker ${worker.workerId} started (pid ${process.pid})`);
const metricsPort = intFromEnv('WORKER_METRICS_PORT', 0);
if (metricsPort) {
  registerQueueMetrics();
  await startMetricsServer(metricsPort, process.env.HOST ?? '0.0.0.0');
  log.info(`worker metrics on http://${process.env.HOST ?? '0.0.0.0'}:${metricsPort}/metrics`);
}

let firstSignalAt = 0;
const onSignal = (signal: NodeJS.Signals) => {
  if (firstSignalAt) {
    // npm and tsx pass on a signal the process group already got: only a later one means "hurry".
    if (Date.now() - firstSignalAt < 2_000) return;
    // Asked again: leave now; runs still marked running are recovered by another worker's sweeper.
    log.warn(`${signal} again: exiting without waiting`);
    process.exit(1);
  }
  firstSignalAt = Date.now();
  log.info(`${signal}: stopping worker ${worker.workerId}`);
  worker.stop().then(
    () => {
      log.info(`worker ${worker.workerId} stopped`);
      process.exit(0);
    },
    (error) => {
      log.error({ err: error }, 'worker stop failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);
