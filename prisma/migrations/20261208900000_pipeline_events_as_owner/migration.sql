-- Pipelines emit webhook events (pipeline.*) through etl_emit_webhook, which no role may call itself
-- (20261208400100_definer_functions_execute): the pipeline's triggers run as the owner, as the run's and the
-- key's do, and the cancel event moves from etl_pipeline_cancel (called by the web role) to a trigger.
ALTER FUNCTION etl_pipeline_runs_inserted() SECURITY DEFINER SET search_path = public, pg_temp;

ALTER FUNCTION etl_pipeline_steps_ended() SECURITY DEFINER SET search_path = public, pg_temp;

CREATE OR REPLACE FUNCTION etl_pipeline_cancel(p_run uuid) RETURNS text
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
  -- pipeline.cancelled: by the trigger below, as the owner.
  RETURN 'cancelled';
END
$$;

CREATE FUNCTION etl_pipeline_cancelled_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v record;
BEGIN
  FOR v IN
    SELECT n.id, n."orgId", n."jobId" FROM new_rows n JOIN old_rows o ON o.id = n.id
    JOIN "PipelineRun" p ON p."runId" = n.id
    WHERE n.status = 'cancelled' AND o.status IS DISTINCT FROM n.status
    ORDER BY n.id
  LOOP
    PERFORM etl_emit_webhook(v."orgId", 'pipeline.cancelled', v."jobId", etl_pipeline_public(v.id));
  END LOOP;
  RETURN NULL;
END
$$;

CREATE TRIGGER pipeline_cancelled_event AFTER UPDATE ON "JobRun"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION etl_pipeline_cancelled_event();

REVOKE EXECUTE ON FUNCTION etl_pipeline_runs_inserted() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION etl_pipeline_steps_ended() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION etl_pipeline_cancelled_event() FROM PUBLIC;
