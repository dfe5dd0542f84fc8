import { Logger, run, type Runner, type TaskList } from 'graphile-worker';
import type pg from 'pg';

/**
 * A second queue runner for short tasks (scheduled ticks, webhook deliveries) with slots of its own, so
 * they are not held up while every run slot of the worker executes a long job. graphile-worker gives a
 * runner only the tasks in its task list. When it loses the database it is replaced, as the main one is.
 */
export function startSideRunner(
  pgPool: pg.Pool,
  taskList: TaskList,
  log: (line: string) => void,
  concurrency = 2,
  /** Recurring tasks (graphile-worker crontab lines), e.g. retention. */
  crontab?: string,
): { stop(): Promise<void> } {
  let stopping = false;
  let current: Runner | undefined;
  let timer: NodeJS.Timeout | undefined;
  let starting: Promise<void> | undefined;
  const start = async () => {
    timer = undefined;
    if (stopping) return;
    let started: Runner;
    try {
      started = await run({
        pgPool,
        taskList,
        crontab,
        concurrency,
        noHandleSignals: true,
        pollInterval: 1000,
        preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
        logger: new Logger(() => (level, message) => {
          // One line: a failed delivery attempt is expected and retried; its stack says nothing.
          if (level === 'error' || level === 'warning')
            log(`[side queue] ${level}: ${message.split('\n')[0]}`);
        }),
      });
    } catch (error) {
      log(`side queue runner could not start (${(error as Error).message}); trying again`);
      timer = setTimeout(() => (starting = start()), 5_000);
      return;
    }
    current = started;
    const lost = () => {
      if (stopping || current !== started) return;
      current = undefined;
      setTimeout(() => started.kill().catch(() => {}), 30_000).unref();
      timer = setTimeout(() => (starting = start()), 2_000);
    };
    started.events.on('pool:gracefulShutdown', lost);
    started.promise.then(lost, lost);
  };
  starting = start();
  return {
    async stop() {
      stopping = true;
      clearTimeout(timer);
      // A stop right after the start must wait for the runner being started, or it would outlive us.
      await starting;
      await current?.stop().catch(() => {});
    },
  };
}
