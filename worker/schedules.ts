import type { Task } from 'graphile-worker';
import { catchUpMs } from '../server/schedules/catch-up';
import { enqueueDueTicks, type TickPayload } from '../server/schedules/enqueue-due-ticks';
import { runScheduleTick } from '../server/schedules/run-schedule-tick';

/** How often each worker looks for due schedules; a tick starts at most this late. */
const POLL_MS = 5_000;

/** The queue task that turns one tick into a run (one entry per schedule and tick: see enqueueDueTicks). */
export function scheduleRunTask(log: (line: string) => void): Task {
  const catchUp = catchUpMs();
  return async (payload) => {
    const result = await runScheduleTick(payload as TickPayload, catchUp);
    const p = payload as TickPayload;
    if (result.outcome === 'started') log(`schedule ${p.scheduleId} tick ${p.tick}: run ${result.runId}`);
    if (result.outcome === 'skipped')
      log(`schedule ${p.scheduleId} tick ${p.tick} skipped: ${result.reason}`);
  };
}

/** Every worker ticks; the queue's job keys keep the ticks of several workers from doubling. */
export function startScheduleTicker(log: (line: string) => void): () => Promise<void> {
  const catchUp = catchUpMs();
  let ticking: Promise<void> | null = null;
  const tick = () => {
    if (ticking) return;
    ticking = enqueueDueTicks(catchUp)
      .then(
        ({ skipped }) =>
          void (
            skipped && log(`schedules: ${skipped} missed tick(s) skipped (older than SCHEDULE_CATCH_UP)`)
          ),
      )
      .catch((error) => log(`schedule tick failed: ${(error as Error).message}`))
      .finally(() => (ticking = null));
  };
  tick();
  const timer = setInterval(tick, POLL_MS);
  return async () => {
    clearInterval(timer);
    await ticking;
  };
}
