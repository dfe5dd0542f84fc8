import { Logger, run, type Runner, type RunnerOptions } from 'graphile-worker';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { newPool } from '../server/db/pool';
import { claimRun, ORG_BUSY } from '../server/runs/claim-run';
import { waitForQuota, wakeQuotaWaiter } from '../server/runs/org-quota';
import { EXECUTE_RUN_TASK } from '../server/runs/queue';
import { heartbeatTimeoutSeconds, sweepLostRuns } from '../server/runs/sweep-lost-runs';
import { lineLogger } from '../server/observability/logger';
import { trackWorkerSlots } from '../server/observability/metrics';
import { executeClaimedRun, type StopReason } from './execute-run';
import { Heartbeats } from './heartbeats';
import { queueOptions } from './queue-options';
import { retrying } from './retry';
import { RunRecorder } from './run-recorder';
import { probeBubblewrap, sandboxWarning } from './sandbox';
import { loadWorkerSettings, type WorkerSettings } from './settings';
import { scheduleRunTask, startScheduleTicker } from './schedules';
import { retentionFromEnv, type RetentionSettings } from '../server/retention/prune';
import { RETENTION_CRONTAB, RETENTION_TASK, retentionTask } from './retention';
import { startSideRunner } from './side-runner';
import { warmUpSpawner } from './spawner';
import { mark } from './trace';
import { webhookDeliverTask } from './webhooks';
import { failureNoticeTask } from './failure-notices';

export interface WorkerOptions {
  /** The queue's database; the runs themselves go through server/db, which reads DATABASE_URL. */
  connectionString: string;
  /** Runs executed at once (default 4). */
  concurrency?: number;
  /** false refuses command jobs: such runs fail with a message saying so (default true). */
  commandJobs?: boolean;
  /** On stop, how long running runs may go on before they are stopped and handed back (default 20). */
  shutdownGraceSeconds?: number;
  /** The sweeper's limit for a running run without heartbeat (default RUN_HEARTBEAT_TIMEOUT_SECONDS or 30). */
  heartbeatTimeoutSeconds?: number;
  /** How often this worker looks for lost runs (default 10). */
  sweepIntervalSeconds?: number;
  /** Queue polling in ms; new jobs also arrive at once through LISTEN/NOTIFY (default 1000). */
  pollInterval?: number;
  workerId?: string;
  /** Sandbox, limits and fair share (default: read from the environment, see worker/settings.ts). */
  settings?: WorkerSettings;
  /** Retention (default: RUN_RETENTION_DAYS and AUDIT_RETENTION_DAYS, see server/retention/prune.ts). */
  retention?: RetentionSettings;
  /** The worker's own messages (default: stderr). */
  log?: (line: string) => void;
}

export interface RunningWorker {
  workerId: string;
  /** Stops claiming, lets running runs finish within the grace period, then hands the rest back. */
  stop(): Promise<void>;
}

const TASK = EXECUTE_RUN_TASK;

// eslint-disable-next-line max-lines-per-function -- one closure over the worker's shared state (stopping, runner, tasks); split, that state would travel through every helper
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const workerId = options.workerId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const log = options.log ?? lineLogger();
  let settings = options.settings ?? loadWorkerSettings();
  // RUN_RETENTION_DAYS / AUDIT_RETENTION_DAYS: a wrong value stops the start, not the first prune.
  const retention = options.retention ?? retentionFromEnv();
  const broken = await probeBubblewrap(settings);
  if (broken) settings = { ...settings, bwrap: null, bwrapError: broken };
  const warning = sandboxWarning(settings);
  if (warning) log(warning);
  if (options.commandJobs ?? true) warmUpSpawner();
  const active = new Map<string, (reason: StopReason) => void>();
  const tasks = new Set<Promise<void>>();
  let stopping = false;
  const concurrency = options.concurrency ?? 4;
  const untrackSlots = trackWorkerSlots(() => tasks.size, concurrency);
  // Shared by the worker's runs: one statement writes many runs' log lines and ends, one heartbeat beats for all.
  const recorder = new RunRecorder();
  const heartbeats = new Heartbeats(workerId, 2_000, log);

  // The queue's own connection pool, kept across runners and ended by stop() only: graphile-worker ends a
  // pool it made without waiting and unhooks its error handlers first, so a connection the database
  // drops meanwhile would crash the process.
  // A lost idle connection is dropped by pg; the runner notices on its own.
  const queuePool = newPool(options.connectionString, { max: concurrency + 4 });

  const runnerOptions: RunnerOptions = {
    pgPool: queuePool,
    concurrency,
    noHandleSignals: true,
    ...queueOptions(
      concurrency,
      options.pollInterval,
      options.heartbeatTimeoutSeconds ?? heartbeatTimeoutSeconds(),
    ),
    logger: new Logger(() => (level, message) => {
      if (level !== 'debug' && level !== 'info') log(`[queue] ${level}: ${message}`);
    }),
    taskList: {
      [TASK]: async (payload, helpers) => {
        const runId = (payload as { runId?: unknown } | null)?.runId;
        if (typeof runId !== 'string') return log(`ignoring ${TASK} job ${helpers.job.id}: no runId`);
        if (stopping) {
          // Fetched while stopping: leave the run untouched for another worker.
          await helpers.addJob(TASK, { runId }, { maxAttempts: 1 });
          return;
        }
        let run;
        if (helpers.job.locked_at) mark(runId, 'fetched', new Date(helpers.job.locked_at).getTime());
        mark(runId, 'claim');
        try {
          run = await claimRun(runId, workerId, settings.orgMaxConcurrentRuns);
          mark(runId, 'claimed');
        } catch (error) {
          // The queue entry is used up either way (max_attempts 1): leave a new one, or the run would stay
          // queued for good; again until the database answers (it may be restarting), for up to 2 minutes.
          log(`run ${runId}: could not claim it (${(error as Error).message}); queued again in 10 s`);
          await retrying(
            () => helpers.addJob(TASK, { runId }, { maxAttempts: 1, runAt: new Date(Date.now() + 10_000) }),
            120_000,
            () => stopping,
          );
          return;
        }
        if (!run) return; // cancelled while queued, or another worker has it
        if (run === ORG_BUSY) {
          // Over the operator's quota: the run stays queued (no attempt used) until one of its
          // organisation's runs ends, and this slot takes the next entry.
          await retrying(
            () => waitForQuota(runId),
            120_000,
            () => stopping,
          );
          return;
        }
        const task = executeClaimedRun(run, {
          workerId,
          commandJobs: options.commandJobs ?? true,
          settings,
          active,
          recorder,
          heartbeats,
          report: log,
        });
        tasks.add(task);
        try {
          await task;
          mark(runId, 'done');
        } catch (error) {
          // The run stays 'running' without heartbeats; the sweeper retries or fails it.
          log(`run ${runId}: ${(error as Error).stack ?? error}`);
        } finally {
          tasks.delete(task);
          if (settings.orgMaxConcurrentRuns > 0) {
            // A slot of the organisation's quota is free: its next waiting run goes (the fallback entry
            // brings it round anyway should this fail).
            await wakeQuotaWaiter(run.orgId).catch((error) =>
              log(`run ${runId}: could not queue its organisation's next run (${(error as Error).message})`),
            );
          }
        }
      },
    },
  };

  // graphile-worker 0.17 shuts its worker pool down for good when it loses the database (a completion
  // that cannot be written, its LISTEN connection gone), and that shutdown can hang until the database
  // is back. So as soon as a pool starts shutting down without stop() asking, a new runner is started
  // (with backoff while the database is away); the old one is killed if it has not ended within 30 s.
  let runner: Runner | undefined;
  const retired = new Set<Runner>();
  let restartTimer: NodeJS.Timeout | undefined;
  let restarting: Promise<void> | undefined;
  let restarts = 0;
  const startRunner = async () => {
    const started = await run(runnerOptions);
    runner = started;
    restarts = 0;
    let lost = false;
    const onLost = (why: string) => {
      if (lost || stopping) return;
      lost = true;
      if (runner === started) runner = undefined;
      retired.add(started);
      const ended = () => retired.delete(started);
      started.promise.then(ended, ended);
      setTimeout(() => retired.has(started) && started.kill().catch(() => {}), 30_000).unref();
      log(`queue runner stopped (${why}): starting a new one`);
      scheduleRestart();
    };
    started.events.on('pool:gracefulShutdown', ({ message }) => onLost(message));
    started.promise.then(
      () => onLost('ended'),
      () => onLost('ended'),
    );
  };
  const scheduleRestart = () => {
    const delay = Math.min(5_000, 500 * 2 ** Math.min(restarts++, 4));
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (stopping) return;
      restarting = startRunner()
        .catch((error) => {
          log(`queue runner could not start (${(error as Error).message}); trying again`);
          scheduleRestart();
        })
        .finally(() => (restarting = undefined));
    }, delay);
  };
  try {
    await startRunner();
  } catch (error) {
    await queuePool.end().catch(() => {});
    throw error;
  }

  // Every worker sweeps; `skip locked` in the sweep keeps them from doing the same run twice.
  let sweeping: Promise<void> | null = null;
  const sweep = () => {
    if (sweeping) return;
    sweeping = sweepLostRuns({ heartbeatTimeoutSeconds: options.heartbeatTimeoutSeconds })
      .then((result) => {
        for (const [outcome, ids] of Object.entries(result))
          if (ids.length) log(`lost runs ${outcome}: ${ids.join(', ')}`);
      })
      .catch((error) => log(`sweep failed: ${(error as Error).message}`))
      .finally(() => (sweeping = null));
  };
  sweep();
  const sweeper = setInterval(sweep, (options.sweepIntervalSeconds ?? 10) * 1000);
  const stopTicker = startScheduleTicker(log);
  const side = startSideRunner(
    queuePool,
    {
      'schedule-run': scheduleRunTask(log),
      'webhook-deliver': webhookDeliverTask(log),
      'failure-notice': failureNoticeTask(log),
      [RETENTION_TASK]: retentionTask(retention, log),
    },
    log,
    2,
    RETENTION_CRONTAB,
  );

  let stopped: Promise<void> | null = null;
  const stop = async () => {
    stopping = true;
    untrackSlots();
    clearInterval(sweeper);
    await stopTicker();
    await side.stop();
    clearTimeout(restartTimer);
    await restarting;
    // no new jobs; resolves when the running tasks have returned
    const queueStopped = Promise.all([
      runner?.stop().catch(() => {}),
      ...[...retired].map((old) => old.kill().catch(() => {})),
    ]);
    const grace = new Promise<void>((resolve) =>
      setTimeout(resolve, (options.shutdownGraceSeconds ?? 20) * 1000).unref(),
    );
    await Promise.race([Promise.allSettled([...tasks]), grace]);
    for (const abort of active.values()) abort('shutdown');
    await queueStopped;
    await recorder.flush();
    await sweeping;
    await queuePool.end();
  };

  return { workerId, stop: () => (stopped ??= stop()) };
}
