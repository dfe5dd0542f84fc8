import type { RunnerOptions } from 'graphile-worker';

/**
 * How a worker reads the queue (graphile-worker's settings), shared with the bench's floor.
 * - localQueue: one query locks and fetches a batch of entries that the run slots then take without a
 *   round trip each (not one get_job per run). Entries wait there at most 10 s (and at most half the
 *   sweeper's heartbeat timeout) before going back, so a live worker's batch never looks stranded; a killed
 *   worker's batch is queued again by the sweeper (server/runs/sweep-lost-runs.ts).
 * - Completions are batched (even with no delay: those of one tick share a statement), and stop()
 *   flushes them; unbatched completion is fire-and-forget in graphile-worker 0.17 and can be lost at
 *   shutdown, leaving a finished entry locked.
 * - New entries arrive at once through LISTEN/NOTIFY; pollInterval is the fallback.
 */
export function queueOptions(
  concurrency: number,
  pollInterval = 1000,
  heartbeatTimeoutSeconds = 30,
): Pick<RunnerOptions, 'pollInterval' | 'preset'> {
  return {
    pollInterval,
    preset: {
      worker: {
        localQueue: { size: concurrency * 2, ttl: Math.min(10_000, heartbeatTimeoutSeconds * 500) },
        completeJobBatchDelay: 0,
        failJobBatchDelay: 0,
      },
    },
  };
}
