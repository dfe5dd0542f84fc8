-- Written by hand: functions and triggers that schema.prisma cannot describe (Prisma's diff leaves them alone).

-- Starts a run in one statement and one transaction: the run row and its queue entry are written
-- together or not at all. A "single" job takes a transaction-scoped lock on the job, so two concurrent
-- starts cannot both see it idle; the caller gets the active run's id instead of a new run.
CREATE OR REPLACE FUNCTION etl_start_run(
  p_run_id uuid, p_org_id uuid, p_job_id uuid, p_params jsonb, p_trigger text,
  p_api_key_id uuid, p_user_id uuid, p_external_ref text, p_single boolean
) RETURNS TABLE (run_id uuid, active_run_id uuid)
LANGUAGE plpgsql AS $$
DECLARE
  v_active uuid;
BEGIN
  IF p_single THEN
    PERFORM pg_advisory_xact_lock(hashtextextended(p_job_id::text, 0));
    SELECT r.id INTO v_active FROM "JobRun" r
      WHERE r."jobId" = p_job_id AND r.status IN ('queued', 'running') LIMIT 1;
    IF v_active IS NOT NULL THEN
      RETURN QUERY SELECT NULL::uuid, v_active;
      RETURN;
    END IF;
  END IF;
  INSERT INTO "JobRun" (id, "orgId", "jobId", params, trigger, "apiKeyId", "userId", "externalRef")
    VALUES (p_run_id, p_org_id, p_job_id, p_params, p_trigger, p_api_key_id, p_user_id, p_external_ref);
  PERFORM graphile_worker.add_job('execute-run', json_build_object('runId', p_run_id::text), max_attempts => 1);
  RETURN QUERY SELECT p_run_id, NULL::uuid;
END
$$;

-- Every change that can make a key refuse requests is announced, whoever makes it (app, CLI, SQL), so
-- each instance drops its cached copy at once.
CREATE OR REPLACE FUNCTION etl_notify_api_key_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('api_key_changed', COALESCE(NEW.id, OLD.id)::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER api_key_changed
  AFTER UPDATE OF "revokedAt", "expiresAt", "graceUntil", "jobIds", "rateLimit", "digest", "orgId" OR DELETE
  ON "ApiKey" FOR EACH ROW EXECUTE FUNCTION etl_notify_api_key_change();
