-- Written by hand (functions and triggers are outside schema.prisma).

-- etl_start_run also records who started the run in the audit log, in the same transaction and the
-- same round trip.
DROP FUNCTION IF EXISTS etl_start_run(uuid, uuid, uuid, jsonb, text, uuid, uuid, text, boolean);

CREATE FUNCTION etl_start_run(
  p_run_id uuid, p_org_id uuid, p_job_id uuid, p_params jsonb, p_trigger text,
  p_api_key_id uuid, p_user_id uuid, p_external_ref text, p_single boolean,
  p_actor text, p_actor_name text, p_ip text, p_job_name text
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
  INSERT INTO "AuditEvent" ("orgId", actor, "actorName", action, target, ip, details)
    VALUES (p_org_id, p_actor, p_actor_name, 'job.started', 'run:' || p_run_id::text, p_ip,
            jsonb_build_object('job', p_job_name, 'jobId', p_job_id, 'runId', p_run_id, 'trigger', p_trigger));
  RETURN QUERY SELECT p_run_id, NULL::uuid;
END
$$;

-- Instances cache jobs by id and name; any change to a job drops those caches.
CREATE OR REPLACE FUNCTION etl_notify_job_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('job_changed', COALESCE(NEW.id, OLD.id)::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER job_changed AFTER UPDATE OR DELETE ON "Job" FOR EACH ROW EXECUTE FUNCTION etl_notify_job_change();
