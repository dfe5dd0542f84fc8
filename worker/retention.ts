import type { Task } from 'graphile-worker';
import { pruneOnce, type RetentionSettings } from '../server/retention/prune';

export const RETENTION_TASK = 'retention-prune';
/**
 * Every minute on the side runner (graphile-worker's cron: one job a tick across all workers). A pass
 * works at most 30 s in 1,000-row transactions; a backlog is taken over the next passes.
 */
export const RETENTION_CRONTAB = `* * * * * ${RETENTION_TASK} ?max=1`;

/** The queue task of one retention pass; another worker's pass still running makes it a no-op. */
export function retentionTask(settings: RetentionSettings, log: (line: string) => void): Task {
  return async () => {
    const result = await pruneOnce(settings);
    const { runs, logLines, idempotencyRecords, auditEvents } = result;
    if (runs + logLines + idempotencyRecords + auditEvents > 0)
      log(
        `retention: deleted ${runs} runs, ${logLines} log lines, ${idempotencyRecords} idempotency records, ${auditEvents} audit events`,
      );
  };
}
