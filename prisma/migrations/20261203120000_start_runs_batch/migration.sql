-- Written by hand (functions are outside schema.prisma).

-- etl_start_runs starts many runs in one round trip and one transaction (group commit): the starts that
-- arrived together, as a jsonb array of named fields (server/runs/start-runs.ts writes it), become their
-- run rows, their "job.started" audit events (one statement) and their queue entries (one call of
-- graphile-worker's add_jobs). It replaces etl_start_run and its 13 positional arguments.
--
-- Each start: {"i", "runId", "orgId", "jobId", "params", "trigger", "apiKeyId", "userId", "externalRef",
-- "scheduleId", "single", "actor", "actorName", "ip", "jobName"}; one row back per start, by "i":
-- run_id when it started, else active_run_id, the run that keeps a "single" job busy.
--
-- "single" jobs: a transaction-scoped lock per job, taken in job id order, so two batches that share
-- jobs (on one instance or many) cannot deadlock. A job with a run queued or running refuses every start
-- of the batch; of several starts of one idle job in one batch the first starts and the others name it.
DROP FUNCTION IF EXISTS etl_start_run(uuid, uuid, uuid, jsonb, text, uuid, uuid, text, boolean, text, text, text, text);

CREATE FUNCTION etl_start_runs(p_starts jsonb) RETURNS TABLE (i int, run_id uuid, active_run_id uuid)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_job uuid;
  v_i int[];
  v_run uuid[];
  v_blocker uuid[];
BEGIN
  FOR v_job IN
    SELECT DISTINCT s."jobId" FROM jsonb_to_recordset(p_starts) AS s("jobId" uuid, single boolean)
    WHERE s.single ORDER BY 1
  LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended(v_job::text, 0));
  END LOOP;

  -- One statement (a fresh snapshot, taken after the locks): decide, then write runs and audit events.
  WITH s AS (
    SELECT * FROM jsonb_to_recordset(p_starts) AS s(
      i int, "runId" uuid, "orgId" uuid, "jobId" uuid, params jsonb, trigger text, "apiKeyId" uuid,
      "userId" uuid, "externalRef" text, "scheduleId" uuid, single boolean, actor text, "actorName" text,
      ip text, "jobName" text)
  ), d AS MATERIALIZED (
    SELECT s.*, CASE WHEN s.single THEN COALESCE(
      (SELECT r.id FROM "JobRun" r WHERE r."jobId" = s."jobId" AND r.status IN ('queued', 'running') LIMIT 1),
      NULLIF(first_value(s."runId") OVER (PARTITION BY s."jobId", s.single ORDER BY s.i), s."runId"))
    END AS blocker
    FROM s
  ), runs AS (
    INSERT INTO "JobRun" (id, "orgId", "jobId", params, trigger, "apiKeyId", "userId", "externalRef", "scheduleId")
    SELECT d."runId", d."orgId", d."jobId", COALESCE(d.params, '{}'), d.trigger, d."apiKeyId", d."userId",
           d."externalRef", d."scheduleId"
    FROM d WHERE d.blocker IS NULL ORDER BY d.i
  ), audit AS (
    INSERT INTO "AuditEvent" ("orgId", actor, "actorName", action, target, ip, details)
    SELECT d."orgId", d.actor, d."actorName", 'job.started', 'run:' || d."runId"::text, d.ip,
           jsonb_build_object('job', d."jobName", 'jobId', d."jobId", 'runId', d."runId", 'trigger', d.trigger)
    FROM d WHERE d.blocker IS NULL ORDER BY d.i
  )
  SELECT array_agg(d.i ORDER BY d.i),
         array_agg(CASE WHEN d.blocker IS NULL THEN d."runId" END ORDER BY d.i),
         array_agg(d.blocker ORDER BY d.i)
  INTO v_i, v_run, v_blocker FROM d;

  IF EXISTS (SELECT 1 FROM unnest(v_run) AS r(id) WHERE r.id IS NOT NULL) THEN
    PERFORM graphile_worker.add_jobs(ARRAY(
      SELECT ROW('execute-run', json_build_object('runId', r.id::text), NULL, NULL, 1, NULL, NULL, NULL)::graphile_worker.job_spec
      FROM unnest(v_run) WITH ORDINALITY AS r(id, n) WHERE r.id IS NOT NULL ORDER BY r.n));
  END IF;

  RETURN QUERY SELECT * FROM unnest(v_i, v_run, v_blocker);
END
$$;
