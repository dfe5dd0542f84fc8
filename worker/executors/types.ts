import type { ClaimedRun } from '../../server/runs/claim-run';
import type { WorkerSettings } from '../settings';

export type { LogStream } from '../../server/runs/record-runs';
import type { LogStream } from '../../server/runs/record-runs';

export interface ExecuteContext {
  run: ClaimedRun;
  job: ClaimedRun['job'];
  params: unknown;
  /** The timeout in force (the job's, capped for command jobs by COMMAND_MAX_TIMEOUT_SECONDS; 0: none). */
  timeoutSeconds: number;
  settings: WorkerSettings;
  /** Aborted on cancel, timeout or shutdown: stop promptly and return. The lifecycle decides the status. */
  signal: AbortSignal;
  log(stream: LogStream, text: string): void;
}

export interface ExecuteResult {
  status: 'succeeded' | 'failed';
  exitCode?: number;
  error?: string;
}

/** One kind of job (command, http, ...). Report failures as a result; throwing counts as a failure too. */
export interface Executor {
  execute(ctx: ExecuteContext): Promise<ExecuteResult>;
}
