-- CreateTable
CREATE TABLE "RunQuotaWait" (
    "runId" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "since" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RunQuotaWait_pkey" PRIMARY KEY ("runId")
);

-- CreateIndex
CREATE INDEX "RunQuotaWait_orgId_since_idx" ON "RunQuotaWait"("orgId", "since");

-- Written by hand from here on (functions are outside schema.prisma).

-- Fair share without waste (issue 22). graphile-worker fetches entries by priority, then run_at. Each run's
-- entry gets its organisation's rank as priority: the queue's head (the lowest priority still waiting)
-- plus the organisation's runs already queued or running, plus its place among the runs queued with it.
-- An organisation alone then takes every slot, while several organisations' entries interleave: a flood
-- of 160 gets head..head+159, and a second organisation's first run, queued after, gets about head, so it
-- is fetched next. Starting from the head (not 0) keeps a newcomer from going ahead of entries that
-- have waited, so no organisation's old entries can be starved by another's steady trickle.
-- smallint-sized: graphile's priority range ends at 32767, where order falls back to run_at (FIFO).
CREATE FUNCTION etl_enqueue_runs(p_runs uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_head int;
BEGIN
  SELECT j.priority INTO v_head FROM graphile_worker._private_jobs j
  WHERE j.is_available AND j.run_at <= now()
    AND j.task_id = (SELECT t.id FROM graphile_worker._private_tasks t WHERE t.identifier = 'execute-run')
  ORDER BY j.priority LIMIT 1;

  PERFORM graphile_worker.add_jobs(ARRAY(
    WITH q AS (
      SELECT q.id, q.n, r."orgId" FROM unnest(p_runs) WITH ORDINALITY AS q(id, n) JOIN "JobRun" r ON r.id = q.id
    ), o AS (
      -- the organisation's runs queued or running besides these (counted up to the range's end)
      SELECT g."orgId", (SELECT count(*) FROM (
          SELECT 1 FROM "JobRun" x WHERE x."orgId" = g."orgId" AND x.status IN ('queued', 'running') LIMIT 32767
        ) c)::int - count(*)::int AS before
      FROM q g GROUP BY g."orgId"
    )
    SELECT ROW('execute-run', json_build_object('runId', q.id::text), NULL, NULL, 1, NULL,
      least(32767, coalesce(v_head, 0) + greatest(o.before, 0)
        + row_number() OVER (PARTITION BY q."orgId" ORDER BY q.n) - 1), NULL)::graphile_worker.job_spec
    FROM q JOIN o ON o."orgId" = q."orgId" ORDER BY q.n));
END
$$;

-- etl_start_runs as in 20261203120000_start_runs_batch, its queue entries now written by etl_enqueue_runs.
CREATE OR REPLACE FUNCTION etl_start_runs(p_starts jsonb) RETURNS TABLE (i int, run_id uuid, active_run_id uuid)
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
    PERFORM etl_enqueue_runs(ARRAY(
      SELECT r.id FROM unnest(v_run) WITH ORDINALITY AS r(id, n) WHERE r.id IS NOT NULL ORDER BY r.n));
  END IF;

  RETURN QUERY SELECT * FROM unnest(v_i, v_run, v_blocker);
END
$$;

-- The operator's quota (ORG_MAX_CONCURRENT_RUNS): a run the claim refused waits here, with a queue
-- entry delayed by p_fallback seconds in case no wake comes (its organisation's run ended on a worker
-- that died). No attempt is used.
CREATE FUNCTION etl_wait_for_quota(p_run uuid, p_fallback int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "RunQuotaWait" ("runId", "orgId")
  SELECT r.id, r."orgId" FROM "JobRun" r WHERE r.id = p_run AND r.status = 'queued'
  ON CONFLICT DO NOTHING;
  IF FOUND OR EXISTS (SELECT 1 FROM "RunQuotaWait" w WHERE w."runId" = p_run) THEN
    PERFORM graphile_worker.add_job('execute-run', json_build_object('runId', p_run::text),
      run_at => now() + make_interval(secs => p_fallback), max_attempts => 1);
  END IF;
END
$$;

-- A run of p_org ended: its longest-waiting run over the quota is queued again now (skipping waiters
-- whose run went meanwhile: taken through its fallback entry, or cancelled). Two ends wake two runs.
CREATE FUNCTION etl_wake_quota_waiter(p_org uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_run uuid;
BEGIN
  LOOP
    DELETE FROM "RunQuotaWait" w WHERE w."runId" = (
      SELECT x."runId" FROM "RunQuotaWait" x WHERE x."orgId" = p_org ORDER BY x.since, x."runId"
      LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING w."runId" INTO v_run;
    EXIT WHEN v_run IS NULL;
    IF EXISTS (SELECT 1 FROM "JobRun" r WHERE r.id = v_run AND r.status = 'queued') THEN
      PERFORM etl_enqueue_runs(ARRAY[v_run]);
      EXIT;
    END IF;
  END LOOP;
END
$$;
