import type { RunSnapshot } from '@/lib/validations/run';
import { formatDuration } from '../format';

// Pure helpers of the run page: what the timeline, the summary and the details say about a run.

export type StepTone = 'success' | 'danger' | 'neutral';

export interface TimelineStep {
  done: boolean;
  current?: boolean;
  tone?: StepTone;
  title: string;
  time: string | null;
  note?: string;
}

const END_LABELS = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  queued: 'Finished',
  running: 'Finished',
} as const;

function startStep(run: RunSnapshot, queued: number, started: number | null, now: number): TimelineStep {
  const waiting = run.status === 'queued';
  return {
    done: started !== null,
    current: waiting,
    title: started !== null ? 'Started' : waiting ? 'Waiting for a worker' : 'Never started',
    time: run.startedAt,
    note:
      started !== null
        ? `waited ${formatDuration(started - queued)}`
        : waiting
          ? `for ${formatDuration(now - queued)}`
          : undefined,
  };
}

function endStep(run: RunSnapshot, started: number | null, now: number): TimelineStep {
  const finished = run.finishedAt ? Date.parse(run.finishedAt) : null;
  const running = run.status === 'running';
  let note: string | undefined;
  if (finished !== null) note = started !== null ? `ran ${formatDuration(finished - started)}` : undefined;
  else if (running && started !== null) note = `for ${formatDuration(now - started)}`;
  return {
    done: finished !== null,
    current: running,
    tone: run.status === 'succeeded' ? 'success' : run.status === 'failed' ? 'danger' : 'neutral',
    title:
      finished !== null
        ? END_LABELS[run.status]
        : running
          ? run.cancelRequestedAt
            ? 'Stopping'
            : 'Running'
          : 'Finished',
    time: run.finishedAt,
    note,
  };
}

/** Queued, started, finished: each step done, in progress or still to come, with its time and a note. */
export function timelineSteps(run: RunSnapshot, now: number): TimelineStep[] {
  const queued = Date.parse(run.queuedAt);
  const started = run.startedAt ? Date.parse(run.startedAt) : null;
  return [
    {
      done: true,
      title: 'Queued',
      time: run.queuedAt,
      note: run.attempt > 1 ? `attempt ${run.attempt}` : undefined,
    },
    startStep(run, queued, started, now),
    endStep(run, started, now),
  ];
}

/** " · attempt 2 of 3" when the job retries, " · attempt 2" for a retried run, else nothing. */
export function attemptText(attempt: number, maxAttempts: number | null): string {
  if (maxAttempts && maxAttempts > 1) return ` · attempt ${attempt} of ${maxAttempts}`;
  return attempt > 1 ? ` · attempt ${attempt}` : '';
}

/** A failed run's error after its exit code, unless it only repeats the code. */
export function failureSuffix(run: Pick<RunSnapshot, 'error' | 'exitCode'>): string {
  if (!run.error || (run.exitCode !== null && run.error === `exited with code ${run.exitCode}`)) return '.';
  return `: ${run.error}`;
}

/** Whether the details show the run's error (a cancelled run's plain "cancelled" says nothing new). */
export const showsError = (run: Pick<RunSnapshot, 'error' | 'status'>) =>
  Boolean(run.error) && !(run.status === 'cancelled' && run.error === 'cancelled');

/** The duration detail: how long it ran, or why it has none. */
export function durationText(status: RunSnapshot['status'], duration: number | null): string {
  if (duration !== null) return formatDuration(duration);
  return status === 'queued' ? 'not started yet' : 'never started';
}

/** The wait before polling again after `failures` failed polls in a row: 2 s, 4 s, 8 s, then 10 s. */
export const retryDelay = (failures: number) => Math.min(1000 * 2 ** failures, 10_000);
