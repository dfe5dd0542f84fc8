import type { RunStatusValue } from '@/components/ui/badge';

/** A run as the console's live log endpoint answers it (times as ISO strings). */
export interface RunSnapshot {
  id: string;
  jobId: string;
  status: RunStatusValue;
  params: unknown;
  trigger: string;
  jobid: string | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  error: string | null;
  attempt: number;
  cancelRequestedAt: string | null;
}

export interface LogLine {
  seq: number;
  stream: 'stdout' | 'stderr' | 'system';
  text: string;
  at: string;
}

export const LOG_PAGE = 500;

export const isFinished = (status: RunStatusValue) =>
  status === 'succeeded' || status === 'failed' || status === 'cancelled';
