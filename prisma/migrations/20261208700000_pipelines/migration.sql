-- AlterEnum
ALTER TYPE "JobType" ADD VALUE 'pipeline';

-- AlterTable
ALTER TABLE "JobRun" ADD COLUMN     "pipelineRunId" UUID;

-- CreateTable
CREATE TABLE "PipelineRun" (
    "runId" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "definition" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PipelineRun_pkey" PRIMARY KEY ("runId")
);

-- CreateTable
CREATE TABLE "PipelineStepRun" (
    "pipelineRunId" UUID NOT NULL,
    "stepId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "runId" UUID,
    "status" TEXT,
    "error" TEXT,
    "superseded" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PipelineStepRun_pkey" PRIMARY KEY ("pipelineRunId","stepId","attempt")
);

-- CreateIndex
CREATE UNIQUE INDEX "PipelineStepRun_runId_key" ON "PipelineStepRun"("runId");

-- CreateIndex
CREATE INDEX "JobRun_pipelineRunId_idx" ON "JobRun"("pipelineRunId");

-- AddForeignKey
ALTER TABLE "JobRun" ADD CONSTRAINT "JobRun_pipelineRunId_fkey" FOREIGN KEY ("pipelineRunId") REFERENCES "JobRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PipelineRun" ADD CONSTRAINT "PipelineRun_runId_fkey" FOREIGN KEY ("runId") REFERENCES "JobRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PipelineStepRun" ADD CONSTRAINT "PipelineStepRun_pipelineRunId_fkey" FOREIGN KEY ("pipelineRunId") REFERENCES "JobRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PipelineStepRun" ADD CONSTRAINT "PipelineStepRun_runId_fkey" FOREIGN KEY ("runId") REFERENCES "JobRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Written by hand from here (functions and triggers are outside schema.prisma).
--
-- Pipelines are advanced by the database, in the transaction that records a step's end, so no process
-- has to survive between two steps and none can start a step twice:
-- * a run of a pipeline job, when inserted (etl_start_runs, whoever called it: the API, the console, a
--   schedule), gets its PipelineRun (the definition it runs), becomes 'running' and starts its first steps;
-- * a step's run that ends (worker, sweeper, cancel) advances its pipeline: the pipeline run's row is
--   locked, so two steps ending at once are decided one after the other, each seeing the other's end;
-- * a step is started by inserting its (pipelineRunId, stepId, attempt) row first: a second try conflicts
--   and starts nothing. Its run is an ordinary run started by etl_start_runs (queue entry and NOTIFY in
--   the same transaction, so a worker picks it up at once).
-- The definition's steps carry job ids (server/pipelines resolves names when the pipeline is saved).

CREATE FUNCTION etl_try_uuid(p text) RETURNS uuid
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN p::uuid END
$$;

-- Each step's current state: its newest row that was not superseded by a start again; the row's own
-- status (skipped, failed to start) or else its run's.
CREATE FUNCTION etl_pipeline_states(p_run uuid) RETURNS jsonb
LANGUAGE sql AS $$
  SELECT coalesce(jsonb_object_agg(c."stepId", jsonb_build_object(
    'state', c.state, 'attempt', c.attempt, 'runId', c."runId", 'error', c.error)), '{}')
  FROM (
    SELECT DISTINCT ON (s."stepId") s."stepId", s.attempt, s."runId",
      coalesce(s.status, r.status::text, CASE WHEN s."runId" IS NULL THEN 'queued' ELSE 'failed' END) AS state,
      coalesce(s.error, r.error) AS error
    FROM "PipelineStepRun" s LEFT JOIN "JobRun" r ON r.id = s."runId"
    WHERE s."pipelineRunId" = p_run AND NOT s.superseded
    ORDER BY s."stepId", s.attempt DESC
  ) c
$$;

-- A step's params: fixed values, and {"$param": name} taken from the pipeline run's params (left out
-- when the pipeline run has no such param).
CREATE FUNCTION etl_pipeline_params(p_step jsonb, p_given jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_object_agg(e.key, CASE WHEN r.name IS NULL THEN e.value ELSE p_given -> r.name END), '{}')
  FROM jsonb_each(coalesce(p_step, '{}')) AS e
  LEFT JOIN LATERAL (
    SELECT e.value ->> '$param' AS name WHERE jsonb_typeof(e.value) = 'object' AND e.value ? '$param'
  ) r ON true
  WHERE r.name IS NULL OR coalesce(p_given, '{}') ? r.name
$$;

-- The steps as the API shows them (GET /etl-mgr/api/runs/{id}, the pipeline.* webhooks).
CREATE FUNCTION etl_pipeline_steps(p_run uuid) RETURNS jsonb
LANGUAGE sql AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object(
      'id', s.value ->> 'id', 'job', s.value ->> 'job', 'jobName', j.name,
      'parents', coalesce(s.value -> 'parents', '[]'), 'condition', coalesce(s.value ->> 'condition', 'succeeded'),
      'status', coalesce(m.states -> (s.value ->> 'id') ->> 'state', 'pending'),
      'runId', m.states -> (s.value ->> 'id') -> 'runId',
      'attempt', m.states -> (s.value ->> 'id') -> 'attempt',
      'error', m.states -> (s.value ->> 'id') -> 'error') ORDER BY s.n), '[]')
  FROM "PipelineRun" p
  CROSS JOIN LATERAL (SELECT etl_pipeline_states(p_run) AS states) m
  CROSS JOIN LATERAL jsonb_array_elements(p.definition -> 'steps') WITH ORDINALITY AS s(value, n)
  LEFT JOIN "Job" j ON j.id = etl_try_uuid(s.value ->> 'job')
  WHERE p."runId" = p_run
$$;

CREATE FUNCTION etl_pipeline_public(p_run uuid) RETURNS json
LANGUAGE sql AS $$
  SELECT (etl_public_run(r)::jsonb || jsonb_build_object('steps', etl_pipeline_steps(r.id)))::json
  FROM "JobRun" r WHERE r.id = p_run
$$;

-- Starts every step whose parents are done and whose condition holds, skips those whose condition cannot
-- hold any more, and ends the pipeline run when every step is done. Does nothing unless the pipeline run
-- is running (a stopped pipeline starts nothing).
CREATE FUNCTION etl_pipeline_advance(p_run uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_run "JobRun";
  v_pipeline_name text;
  v_steps jsonb;
  v_step jsonb;
  v_states jsonb;
  v_changed boolean := true;
  v_open int;
  v_bad int;
  v_id text;
  v_attempt int;
  v_job "Job";
  v_new uuid;
  v_active uuid;
  v_failed text;
BEGIN
  SELECT * INTO v_run FROM "JobRun" WHERE id = p_run FOR UPDATE;
  IF NOT FOUND OR v_run.status <> 'running' OR v_run."cancelRequestedAt" IS NOT NULL THEN
    RETURN;
  END IF;
  SELECT p.definition -> 'steps' INTO v_steps FROM "PipelineRun" p WHERE p."runId" = p_run;
  IF v_steps IS NULL THEN
    RETURN;
  END IF;
  SELECT j.name INTO v_pipeline_name FROM "Job" j WHERE j.id = v_run."jobId";

  WHILE v_changed LOOP
    v_changed := false;
    v_states := etl_pipeline_states(p_run);
    FOR v_step IN SELECT value FROM jsonb_array_elements(v_steps) LOOP
      v_id := v_step ->> 'id';
      CONTINUE WHEN v_states ? v_id;
      SELECT count(*) FILTER (WHERE NOT (v_states ? p.id) OR v_states -> p.id ->> 'state' IN ('queued', 'running')),
             count(*) FILTER (WHERE v_states -> p.id ->> 'state' IS DISTINCT FROM 'succeeded')
        INTO v_open, v_bad
        FROM jsonb_array_elements_text(coalesce(v_step -> 'parents', '[]')) AS p(id);
      CONTINUE WHEN v_open > 0;
      v_changed := true;
      SELECT coalesce(max(s.attempt), 0) + 1 INTO v_attempt
        FROM "PipelineStepRun" s WHERE s."pipelineRunId" = p_run AND s."stepId" = v_id;
      IF coalesce(v_step ->> 'condition', 'succeeded') = 'succeeded' AND v_bad > 0 THEN
        INSERT INTO "PipelineStepRun" ("pipelineRunId", "stepId", attempt, status, error)
          VALUES (p_run, v_id, v_attempt, 'skipped', 'a parent did not succeed') ON CONFLICT DO NOTHING;
        CONTINUE;
      END IF;
      -- The step's start is claimed first: any second try conflicts here and starts nothing.
      INSERT INTO "PipelineStepRun" ("pipelineRunId", "stepId", attempt)
        VALUES (p_run, v_id, v_attempt) ON CONFLICT DO NOTHING;
      CONTINUE WHEN NOT FOUND;
      SELECT * INTO v_job FROM "Job" j
        WHERE j.id = etl_try_uuid(v_step ->> 'job') AND j."orgId" = v_run."orgId" AND j.type::text <> 'pipeline';
      IF NOT FOUND THEN
        UPDATE "PipelineStepRun" SET status = 'failed', error = 'the step''s job no longer exists'
          WHERE "pipelineRunId" = p_run AND "stepId" = v_id AND attempt = v_attempt;
        CONTINUE;
      END IF;
      SELECT s.run_id, s.active_run_id INTO v_new, v_active FROM etl_start_runs(jsonb_build_array(jsonb_build_object(
        'i', 0, 'runId', gen_random_uuid(), 'orgId', v_run."orgId", 'jobId', v_job.id,
        'params', etl_pipeline_params(v_step -> 'params', v_run.params), 'trigger', 'pipeline',
        'apiKeyId', v_run."apiKeyId", 'userId', v_run."userId", 'externalRef', NULL, 'scheduleId', NULL,
        'single', v_job.concurrency = 'single', 'actor', 'system', 'actorName', 'pipeline ' || v_pipeline_name,
        'ip', NULL, 'jobName', v_job.name))) AS s;
      IF v_new IS NULL THEN
        UPDATE "PipelineStepRun" SET status = 'failed',
            error = format('the job "%s" runs one at a time and run %s was queued or running', v_job.name, v_active)
          WHERE "pipelineRunId" = p_run AND "stepId" = v_id AND attempt = v_attempt;
      ELSE
        UPDATE "JobRun" SET "pipelineRunId" = p_run WHERE id = v_new;
        UPDATE "PipelineStepRun" SET "runId" = v_new
          WHERE "pipelineRunId" = p_run AND "stepId" = v_id AND attempt = v_attempt;
      END IF;
    END LOOP;
  END LOOP;

  -- Done when every step is: succeeded, unless a step failed (or was cancelled) and not every one of its
  -- children runs under "finished" (a flow built to go on past it).
  IF EXISTS (
    SELECT 1 FROM jsonb_array_elements(v_steps) AS s
    WHERE NOT (v_states ? (s.value ->> 'id')) OR v_states -> (s.value ->> 'id') ->> 'state' IN ('queued', 'running')
  ) THEN
    RETURN;
  END IF;
  SELECT s.value ->> 'id' INTO v_failed
  FROM jsonb_array_elements(v_steps) WITH ORDINALITY AS s(value, n)
  WHERE v_states -> (s.value ->> 'id') ->> 'state' IN ('failed', 'cancelled')
    AND NOT (
      EXISTS (SELECT 1 FROM jsonb_array_elements(v_steps) c WHERE c.value -> 'parents' ? (s.value ->> 'id'))
      AND NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements(v_steps) c
        WHERE c.value -> 'parents' ? (s.value ->> 'id') AND coalesce(c.value ->> 'condition', 'succeeded') <> 'finished'))
  ORDER BY s.n LIMIT 1;
  UPDATE "JobRun" SET
      status = CASE WHEN v_failed IS NULL THEN 'succeeded' ELSE 'failed' END::"RunStatus",
      "finishedAt" = now() AT TIME ZONE 'utc',
      error = CASE WHEN v_failed IS NOT NULL
        THEN format('step "%s" %s', v_failed, v_states -> v_failed ->> 'state') END
    WHERE id = p_run;
  PERFORM etl_emit_webhook(v_run."orgId", CASE WHEN v_failed IS NULL THEN 'pipeline.succeeded' ELSE 'pipeline.failed' END,
    v_run."jobId", etl_pipeline_public(p_run));
END
$$;

-- A pipeline run starts as it is inserted (one statement of etl_start_runs may insert many runs).
CREATE FUNCTION etl_pipeline_runs_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v record;
BEGIN
  FOR v IN
    SELECT n.id, n."orgId", j.config FROM new_runs n JOIN "Job" j ON j.id = n."jobId"
    WHERE j.type::text = 'pipeline' AND n.status = 'queued' ORDER BY n.id
  LOOP
    INSERT INTO "PipelineRun" ("runId", "orgId", definition) VALUES (v.id, v."orgId", v.config);
    -- Running from here on: no worker claims it (its queue entry finds it no longer queued).
    UPDATE "JobRun" SET status = 'running', "startedAt" = now() AT TIME ZONE 'utc' WHERE id = v.id;
    PERFORM etl_pipeline_advance(v.id);
  END LOOP;
  RETURN NULL;
END
$$;

CREATE TRIGGER pipeline_runs_inserted AFTER INSERT ON "JobRun"
  REFERENCING NEW TABLE AS new_runs FOR EACH STATEMENT EXECUTE FUNCTION etl_pipeline_runs_inserted();

-- A step's run that ended advances its pipeline, in the same transaction. Statement-level, so the
-- pipelines of a batch of ends are locked in id order (two workers' batches cannot deadlock on them).
CREATE FUNCTION etl_pipeline_steps_ended() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v uuid;
BEGIN
  FOR v IN
    SELECT DISTINCT n."pipelineRunId" FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n."pipelineRunId" IS NOT NULL AND n.status IN ('succeeded', 'failed', 'cancelled')
      AND o.status IS DISTINCT FROM n.status
    ORDER BY 1
  LOOP
    PERFORM etl_pipeline_advance(v);
  END LOOP;
  RETURN NULL;
END
$$;

CREATE TRIGGER pipeline_steps_ended AFTER UPDATE ON "JobRun"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION etl_pipeline_steps_ended();

-- Stops a pipeline run: it is cancelled at once, its queued steps too, its running steps are asked to
-- stop (their workers see it on their next heartbeat), and no further step starts.
CREATE FUNCTION etl_pipeline_cancel(p_run uuid) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_run "JobRun";
BEGIN
  SELECT * INTO v_run FROM "JobRun" WHERE id = p_run FOR UPDATE;
  IF NOT FOUND OR v_run.status NOT IN ('queued', 'running') THEN
    RETURN 'already_finished';
  END IF;
  UPDATE "JobRun" SET status = 'cancelled', "cancelRequestedAt" = coalesce("cancelRequestedAt", now() AT TIME ZONE 'utc'),
      "finishedAt" = now() AT TIME ZONE 'utc', error = 'stopped'
    WHERE id = p_run;
  UPDATE "JobRun" SET
      status = CASE WHEN status = 'queued' THEN 'cancelled'::"RunStatus" ELSE status END,
      "finishedAt" = CASE WHEN status = 'queued' THEN now() AT TIME ZONE 'utc' ELSE "finishedAt" END,
      "cancelRequestedAt" = coalesce("cancelRequestedAt", now() AT TIME ZONE 'utc')
    WHERE "pipelineRunId" = p_run AND status IN ('queued', 'running');
  PERFORM etl_emit_webhook(v_run."orgId", 'pipeline.cancelled', v_run."jobId", etl_pipeline_public(p_run));
  RETURN 'cancelled';
END
$$;

-- Starts a finished step of a pipeline run again, and with it the flow after it: the step's and its
-- descendants' rows are superseded, the pipeline run is running again, and the step starts (its next
-- attempt). Refused (the outcome says why) while the step or a descendant is queued or running, for a
-- skipped step, or when the step's condition cannot hold.
CREATE FUNCTION etl_pipeline_restart_step(p_run uuid, p_org uuid, p_step text)
RETURNS TABLE (outcome text, run_id uuid)
LANGUAGE plpgsql AS $$
DECLARE
  v_run "JobRun";
  v_steps jsonb;
  v_step jsonb;
  v_states jsonb;
  v_family text[];
BEGIN
  SELECT * INTO v_run FROM "JobRun" r WHERE r.id = p_run AND r."orgId" = p_org FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'run_not_found', NULL::uuid;
    RETURN;
  END IF;
  SELECT p.definition -> 'steps' INTO v_steps FROM "PipelineRun" p WHERE p."runId" = p_run;
  SELECT s.value INTO v_step FROM jsonb_array_elements(coalesce(v_steps, '[]')) s WHERE s.value ->> 'id' = p_step;
  IF v_step IS NULL THEN
    RETURN QUERY SELECT 'step_not_found', NULL::uuid;
    RETURN;
  END IF;
  v_states := etl_pipeline_states(p_run);
  IF coalesce(v_states -> p_step ->> 'state', 'pending') NOT IN ('succeeded', 'failed', 'cancelled') THEN
    RETURN QUERY SELECT 'step_not_finished', NULL::uuid;
    RETURN;
  END IF;
  IF coalesce(v_step ->> 'condition', 'succeeded') = 'succeeded' AND EXISTS (
    SELECT 1 FROM jsonb_array_elements_text(coalesce(v_step -> 'parents', '[]')) p(id)
    WHERE v_states -> p.id ->> 'state' IS DISTINCT FROM 'succeeded'
  ) THEN
    RETURN QUERY SELECT 'parents_not_succeeded', NULL::uuid;
    RETURN;
  END IF;
  WITH RECURSIVE d(id) AS (
    SELECT p_step
    UNION
    SELECT c.value ->> 'id' FROM d JOIN jsonb_array_elements(v_steps) c ON c.value -> 'parents' ? d.id
  )
  SELECT array_agg(d.id) INTO v_family FROM d;
  IF EXISTS (SELECT 1 FROM unnest(v_family) f(id) WHERE v_states -> f.id ->> 'state' IN ('queued', 'running')) THEN
    RETURN QUERY SELECT 'descendants_running', NULL::uuid;
    RETURN;
  END IF;
  UPDATE "PipelineStepRun" s SET superseded = true
    WHERE s."pipelineRunId" = p_run AND s."stepId" = ANY (v_family) AND NOT s.superseded;
  UPDATE "JobRun" r SET status = 'running', "finishedAt" = NULL, error = NULL, "cancelRequestedAt" = NULL
    WHERE r.id = p_run;
  PERFORM etl_pipeline_advance(p_run);
  RETURN QUERY SELECT 'restarted', s."runId" FROM "PipelineStepRun" s
    WHERE s."pipelineRunId" = p_run AND s."stepId" = p_step AND NOT s.superseded
    ORDER BY s.attempt DESC LIMIT 1;
END
$$;
