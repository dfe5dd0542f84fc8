import { commandConfigSchema } from '../lib/validations/job';
import { commandRunRefusal } from '../server/jobs/job-policy';
import { commandJobsGrant } from '../server/members/command-grant';
import { claimRun, ORG_BUSY, type ClaimedRun } from '../server/runs/claim-run';
import { handBackRun } from '../server/runs/hand-back-run';
import { metrics } from '../server/observability/metrics';
import type { RunOutcome } from '../server/runs/record-runs';
import { withConnections } from './connections';
import { executors, type ExecuteContext, type ExecuteResult } from './executors';
import { Heartbeats } from './heartbeats';
import { retrying } from './retry';
import { RunLog } from './run-log';
import { RunRecorder } from './run-recorder';
import { commandTimeoutSeconds, loadWorkerSettings, type WorkerSettings } from './settings';

/** Why a run was stopped before its executor finished. */
export type StopReason = 'cancel' | 'timeout' | 'shutdown' | 'lost';

export interface ExecuteRunOptions {
  workerId: string;
  commandJobs: boolean;
  /** Sandbox and limits of command runs (default: read from the environment). */
  settings?: WorkerSettings;
  /** Runs in progress on this worker, so a stopping worker can stop them. */
  active: Map<string, (reason: StopReason) => void>;
  /** The worker's log and end writer, shared by its runs (default: one for this run). */
  recorder?: RunRecorder;
  /** The worker's heartbeat, shared by its runs (default: one for this run). */
  heartbeats?: Heartbeats;
  report?: (line: string) => void;
}

/** Claims a queued run and executes it; nothing when it is no longer queued (cancelled, or taken). */
export async function executeRun(runId: string, options: ExecuteRunOptions): Promise<void> {
  const run = await claimRun(runId, options.workerId);
  if (run && run !== ORG_BUSY) await executeClaimedRun(run, options);
}

/** Executes a run this worker claimed, heartbeating, and records how it ended. */
export async function executeClaimedRun(run: ClaimedRun, options: ExecuteRunOptions): Promise<void> {
  const controller = new AbortController();
  options.active.set(run.id, (reason) => controller.abort(reason));
  const heartbeats = options.heartbeats ?? new Heartbeats(options.workerId, 2_000, options.report);
  heartbeats.add(run.id, (news) => controller.abort(news));
  try {
    await supervise(run, controller, heartbeats, {
      ...options,
      recorder: options.recorder ?? new RunRecorder(),
    });
  } finally {
    heartbeats.remove(run.id);
    options.active.delete(run.id);
  }
}

async function supervise(
  run: ClaimedRun,
  controller: AbortController,
  heartbeats: Heartbeats,
  options: ExecuteRunOptions & { recorder: RunRecorder },
): Promise<void> {
  const { workerId } = options;
  const { job } = run;
  const log = new RunLog(options.recorder, run.id, run.log);
  log.write('system', `attempt ${run.attempt} started on worker ${workerId}`);
  metrics().runsStarted.labels(job.type).inc();
  const finished = (outcome: string) => metrics().runsFinished.labels(job.type, outcome).inc();

  const settings = options.settings ?? loadWorkerSettings();
  const timeoutSeconds =
    job.type === 'command' ? commandTimeoutSeconds(job.timeoutSeconds, settings) : job.timeoutSeconds;
  const timeout =
    timeoutSeconds > 0 ? setTimeout(() => controller.abort('timeout'), timeoutSeconds * 1000) : undefined;

  const ctx: ExecuteContext = {
    run,
    job,
    params: run.params,
    timeoutSeconds,
    settings,
    signal: controller.signal,
    log: (stream, text) => log.write(stream, text),
  };
  let result: ExecuteResult;
  try {
    result = await withConnections(ctx, log, (resolved) => execute(resolved, options.commandJobs));
  } catch (error) {
    result = { status: 'failed', error: (error as Error).message || String(error) };
  } finally {
    heartbeats.remove(run.id);
    clearTimeout(timeout);
  }

  const reason = controller.signal.aborted ? (controller.signal.reason as StopReason) : null;
  if (reason === 'lost') {
    // A sweeper gave the run away (our heartbeats did not reach the database in time): its decision stands.
    log.write('system', `worker ${workerId} no longer owns this run; stopped its attempt ${run.attempt}`);
    finished('lost');
    await log.close();
    return;
  }
  if (reason === 'shutdown') {
    log.write('system', `worker ${workerId} is stopping; run handed back`);
    await log.close();
    await handBackRun(run.id, workerId);
    finished('handed_back');
    return;
  }
  const outcome = finalOutcome(result, reason, timeoutSeconds);
  log.write(
    'system',
    outcome.status === 'succeeded'
      ? 'run succeeded'
      : `run ${outcome.status}${outcome.error ? `: ${outcome.error}` : ''}`,
  );
  // The end goes with the log's last lines. Again while the database is away (a restart), within the
  // sweepers' heartbeat timeout: the outcome is known.
  await retrying(() => log.end(workerId, outcome), 20_000);
  finished(reason === 'timeout' ? 'timed_out' : outcome.status);
}

async function execute(ctx: ExecuteContext, commandJobs: boolean): Promise<ExecuteResult> {
  const executor = executors[ctx.job.type];
  if (!executor) return { status: 'failed', error: `no executor for job type "${ctx.job.type}"` };
  if (ctx.job.type === 'command' && !commandJobs) {
    return { status: 'failed', error: 'command jobs are disabled on this worker (COMMAND_JOBS=off)' };
  }
  if (ctx.job.type === 'command') {
    // Saved earlier or under other settings (or the organisation lost its grant): the rules hold anyway.
    const config = commandConfigSchema.safeParse(ctx.job.config);
    const refusal = config.success
      ? commandRunRefusal(config.data, await commandJobsGrant(ctx.run.orgId))
      : null;
    if (refusal) return { status: 'failed', error: refusal };
  }
  return executor.execute(ctx);
}

function finalOutcome(
  result: ExecuteResult,
  reason: 'cancel' | 'timeout' | null,
  timeoutSeconds: number,
): RunOutcome {
  if (reason === 'cancel') return { status: 'cancelled', exitCode: result.exitCode, error: null };
  if (reason === 'timeout')
    return { status: 'failed', exitCode: result.exitCode, error: `timed out after ${timeoutSeconds}s` };
  return {
    status: result.status,
    exitCode: result.exitCode,
    error: result.status === 'failed' ? (result.error ?? 'failed') : null,
  };
}
