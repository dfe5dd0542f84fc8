import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../errors';
import { actionFailure, invalidInput } from './action-result';

describe('actionFailure', () => {
  it('passes an AppError’s message and field errors to the form', () => {
    const error = new AppError('validation_failed', 'Check it', {
      errors: [{ path: 'name', message: 'Taken' }],
    });
    expect(actionFailure(error)).toEqual({
      ok: false,
      code: 'validation_failed',
      message: 'Check it',
      errors: [{ path: 'name', message: 'Taken' }],
    });
  });

  it('names the active run of job_already_running', () => {
    const error = new AppError('job_already_running', 'Busy', { extra: { runId: 'r-1' } });
    expect(actionFailure(error)).toMatchObject({ ok: false, activeRunId: 'r-1' });
  });

  it('answers an id that is not one as not found', () => {
    const parsed = z.uuid().safeParse('nope');
    expect(actionFailure(parsed.error)).toEqual({ ok: false, message: 'Not found.', errors: [] });
  });

  it('hides anything unexpected behind a generic message', () => {
    const failure = actionFailure(new Error('connect ECONNREFUSED 10.0.0.1:5432'));
    expect(failure.message).toBe('Something went wrong on our side. Please try again.');
    expect(JSON.stringify(failure)).not.toContain('ECONNREFUSED');
  });

  it('puts schema issues beside their fields', () => {
    const parsed = z.object({ name: z.string().min(1, 'Give a name') }).safeParse({ name: '' });
    expect(invalidInput(parsed.error!.issues)).toEqual({
      ok: false,
      message: 'Check the highlighted fields.',
      errors: [{ path: 'name', message: 'Give a name' }],
    });
  });
});
