import { describe, expect, it } from 'vitest';
import type { RunSnapshot } from '@/lib/validations/run';
import { attemptText, durationText, failureSuffix, retryDelay, showsError, timelineSteps } from './run-facts';

const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const run = (over: Partial<RunSnapshot>): RunSnapshot => ({
  id: 'r',
  jobId: 'j',
  status: 'queued',
  params: {},
  trigger: 'api',
  apiKeyId: null,
  scheduleId: null,
  jobid: null,
  queuedAt: iso(t0),
  startedAt: null,
  finishedAt: null,
  exitCode: null,
  error: null,
  attempt: 1,
  cancelRequestedAt: null,
  ...over,
});

describe('timelineSteps', () => {
  it('shows a queued run waiting, with how long so far', () => {
    const [queued, start, end] = timelineSteps(run({}), t0 + 5_000);
    expect(queued).toMatchObject({ done: true, title: 'Queued', note: undefined });
    expect(start).toMatchObject({
      done: false,
      current: true,
      title: 'Waiting for a worker',
      note: 'for 5.0 s',
    });
    expect(end).toMatchObject({ done: false, current: false, title: 'Finished', note: undefined });
  });

  it('shows a running run with its wait, and Stopping once cancel was asked', () => {
    const r = run({ status: 'running', startedAt: iso(t0 + 2_000) });
    const [, start, end] = timelineSteps(r, t0 + 62_000);
    expect(start).toMatchObject({ done: true, title: 'Started', note: 'waited 2.0 s' });
    expect(end).toMatchObject({ done: false, current: true, title: 'Running', note: 'for 1 min 00 s' });
    expect(timelineSteps({ ...r, cancelRequestedAt: iso(t0) }, t0)[2].title).toBe('Stopping');
  });

  it('ends a finished run in its status and tone, with how long it ran', () => {
    const r = run({ status: 'failed', startedAt: iso(t0), finishedAt: iso(t0 + 42_000), attempt: 2 });
    const [queued, , end] = timelineSteps(r, t0);
    expect(queued.note).toBe('attempt 2');
    expect(end).toMatchObject({ done: true, tone: 'danger', title: 'Failed', note: 'ran 42 s' });
  });

  it('says a run cancelled while queued never started', () => {
    const r = run({ status: 'cancelled', finishedAt: iso(t0 + 1_000) });
    const [, start, end] = timelineSteps(r, t0);
    expect(start).toMatchObject({ done: false, current: false, title: 'Never started', note: undefined });
    expect(end).toMatchObject({ done: true, tone: 'neutral', title: 'Cancelled', note: undefined });
  });
});

describe('the run’s words', () => {
  it('counts attempts only when there can be several', () => {
    expect(attemptText(1, 1)).toBe('');
    expect(attemptText(2, 3)).toBe(' · attempt 2 of 3');
    expect(attemptText(2, null)).toBe(' · attempt 2');
  });

  it('does not repeat the exit code in a failure', () => {
    expect(failureSuffix({ error: 'exited with code 3', exitCode: 3 })).toBe('.');
    expect(failureSuffix({ error: 'timed out after 60 s', exitCode: null })).toBe(': timed out after 60 s');
    expect(failureSuffix({ error: null, exitCode: 1 })).toBe('.');
  });

  it('hides a cancelled run’s plain "cancelled"', () => {
    expect(showsError({ status: 'cancelled', error: 'cancelled' })).toBe(false);
    expect(showsError({ status: 'cancelled', error: 'worker lost' })).toBe(true);
    expect(showsError({ status: 'succeeded', error: null })).toBe(false);
  });

  it('explains a missing duration', () => {
    expect(durationText('queued', null)).toBe('not started yet');
    expect(durationText('cancelled', null)).toBe('never started');
    expect(durationText('running', 4_200)).toBe('4.2 s');
  });

  it('backs off polling up to 10 s', () => {
    expect([1, 2, 3, 4, 10].map(retryDelay)).toEqual([2000, 4000, 8000, 10_000, 10_000]);
  });
});
