import { namedSql } from '../db/named-sql';

// The run lifecycle's raw SQL, in one place: statements that must decide in one step (claim, cancel,
// finish) or lock rows the way Prisma cannot (skip locked, advisory locks). Each names its parameters.

// Timestamps are `timestamp(3)` without a zone, written by Prisma as UTC wall time. Raw SQL uses the
// database's clock in the same form, so heartbeats compare on one clock across machines.
export const NOW = "(now() at time zone 'utc')";

/** One `system` line after the run's last line; a worker still writing (wrongly thought lost) wins a tie. */
export const APPEND_SYSTEM_LOG = namedSql<{ runId: string; text: string }>(
  `insert into "RunLog" ("runId", seq, stream, text, at)
   select :runId::uuid, coalesce(max(seq), 0) + 1, 'system', :text, ${NOW} from "RunLog" where "runId" = :runId::uuid
   on conflict do nothing`,
);

/** Takes queued runs for workers with their jobs and where their logs stand (etl_claim_runs, one round trip). */
export const CLAIM_RUNS = namedSql<{ runIds: string[]; workerIds: string[]; orgMaxRunning: number }>(
  'select * from etl_claim_runs(:runIds::uuid[], :workerIds::text[], :orgMaxRunning::int)',
);

/** A queued run is cancelled at once, a running one is asked to stop; one statement decides. */
export const CANCEL_RUN = namedSql<{ runId: string; orgId: string }>(
  `update "JobRun" set
     status = case when status = 'queued' then 'cancelled'::"RunStatus" else status end,
     "finishedAt" = case when status = 'queued' then ${NOW} else "finishedAt" end,
     "cancelRequestedAt" = coalesce("cancelRequestedAt", ${NOW})
   where id = :runId::uuid and "orgId" = :orgId::uuid and status in ('queued', 'running')
   returning id, "jobId", status::text`,
);

const ORPHAN = `select r.id, r.attempt, j."maxAttempts", r."cancelRequestedAt"
   from "JobRun" r join "Job" j on j.id = r."jobId"`;

/** The worker's own running run, locked, to hand back. */
export const LOCK_OWN_RUN = namedSql<{ runId: string; workerId: string }>(
  `${ORPHAN}
   where r.id = :runId::uuid and r."workerId" = :workerId and r.status = 'running'
   for update of r`,
);

/** Running runs without a heartbeat for `timeout` seconds, locked (skipping those another sweeper has). */
export const LOCK_LOST_RUNS = namedSql<{ timeout: number; limit: number }>(
  `${ORPHAN}
   where r.status = 'running'
     and coalesce(r."heartbeatAt", r."startedAt", r."queuedAt") < ${NOW} - make_interval(secs => :timeout)
     and j.type <> 'pipeline' -- pipelines: no worker runs a pipeline run, its steps' ends advance it
   order by r."heartbeatAt" nulls first
   limit :limit
   for update of r skip locked`,
);

/** Queued runs whose queue entry is gone or held by a worker that died before claiming them. */
export const LOCK_STRANDED_RUNS = namedSql<{ timeout: number; limit: number }>(
  `select r.id from "JobRun" r
   where r.status = 'queued' and r."queuedAt" < ${NOW} - make_interval(secs => :timeout)
     and not exists (
       select 1 from graphile_worker._private_jobs q
       where q.payload->>'runId' = r.id::text
         and (q.locked_at is null or q.locked_at > now() - make_interval(secs => :timeout)))
   limit :limit
   for update of r skip locked`,
);

/** An orphaned run ends: `status` cancelled (a cancel was pending) or failed (no attempts left). */
export const END_ORPHAN = namedSql<{ runId: string; status: 'cancelled' | 'failed'; error: string }>(
  `update "JobRun" set status = :status::"RunStatus", error = :error, "finishedAt" = ${NOW}
   where id = :runId::uuid and status = 'running'`,
);

/** An orphaned run goes back to the queue as attempt `attempt`. */
export const REQUEUE_ORPHAN = namedSql<{ runId: string; attempt: number }>(
  `update "JobRun" set status = 'queued', attempt = :attempt, "workerId" = null, "heartbeatAt" = null,
     "startedAt" = null, "exitCode" = null, error = null
   where id = :runId::uuid and status = 'running'`,
);
