import { unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import { AppError, fieldErrors, type FieldError } from '../errors';
import { logger } from '../observability/logger';

// What the console's server actions answer a form. One shape and one way to turn an error into it.

/** A failed action: a message, errors to put beside the fields, and the active run for job_already_running. */
export type ActionFailure = {
  ok: false;
  message: string;
  errors: FieldError[];
  activeRunId?: string;
  /** The error's code, for the few answers a form acts on (reauthentication_required). */
  code?: string;
};
export type ActionResult<T = object> = ({ ok: true } & T) | ActionFailure;

/** The answer for an error an action caught; Next's redirects and notFound pass through. */
export function actionFailure(error: unknown): ActionFailure {
  unstable_rethrow(error);
  if (error instanceof AppError) {
    const activeRunId = typeof error.extra?.runId === 'string' ? error.extra.runId : undefined;
    return {
      ok: false,
      message: error.message,
      errors: error.errors ?? [],
      code: error.code,
      ...(activeRunId ? { activeRunId } : {}),
    };
  }
  // An id argument that is not one (the actions parse ids with zod): nothing by that id.
  if (error instanceof z.ZodError) return { ok: false, message: 'Not found.', errors: [] };
  logger().error({ err: error }, 'console action failed');
  return { ok: false, message: 'Something went wrong on our side. Please try again.', errors: [] };
}

/** The answer for input that failed its schema. */
export function invalidInput(
  issues: Parameters<typeof fieldErrors>[0],
  message = 'Check the highlighted fields.',
): ActionFailure {
  return { ok: false, message, errors: fieldErrors(issues) };
}
