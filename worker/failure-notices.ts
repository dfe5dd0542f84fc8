import type { Task } from 'graphile-worker';
import { sendFailureNotice } from '../server/runs/failure-notice';

/** The queue task that mails a failed run's notice; throwing hands it back to graphile-worker's backoff. */
export function failureNoticeTask(log: (line: string) => void): Task {
  return async (payload) => {
    const runId = (payload as { runId?: unknown } | null)?.runId;
    if (typeof runId !== 'string') return;
    if ((await sendFailureNotice(runId)) === 'sent') log(`failure notice of run ${runId} mailed`);
  };
}
