import { intFromEnv } from '../server/config';
import { initLogger } from '../server/observability/logger';
import { startMetricsServer } from '../server/observability/metrics-http';
import { registerQueueMetrics } from '../server/observability/queue-metrics';
import { startWorker } from './index';

const log = initLogger('worker');

// `npm run worker`: one worker process. Any number of them may run against the same Postgres.

const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  log.fatal('DATABASE_URL is not set: a worker needs the Postgres of the app (postgresql://user:password@host:port/db).');
  process.exit(2);
}

const worker = await startWorker({
  connectionString,
  concurrency: Math.max(1, intFromEnv('WORKER_CONCURRENCY', 4)),
  commandJobs: !['off', 'false', '0', 'no'].includes((process.env.COMMAND_JOBS ?? 'on').toLowerCase()),
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
