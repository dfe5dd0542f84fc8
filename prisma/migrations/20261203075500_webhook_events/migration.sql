-- Written by hand (functions and triggers are outside schema.prisma).

-- Webhook events are written by triggers, so every path that changes a run's status (worker, cancel,
-- sweeper) or revokes a key queues its deliveries in its own transaction: an event is never lost
-- and never sent for a change that rolled back, and the change itself never waits for a delivery.

CREATE OR REPLACE FUNCTION etl_iso(t timestamp(3)) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

-- The run resource as GET /etl-mgr/api/runs/{id} shows it (server/runs/public-run.ts; a test keeps
-- the two equal).
CREATE OR REPLACE FUNCTION etl_public_run(r "JobRun") RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', r.id, 'jobId', r."jobId", 'status', r.status, 'params', r.params, 'trigger', r.trigger,
    'apiKeyId', r."apiKeyId", 'scheduleId', r."scheduleId", 'jobid', r."externalRef",
    'queuedAt', etl_iso(r."queuedAt"), 'startedAt', etl_iso(r."startedAt"), 'finishedAt', etl_iso(r."finishedAt"),
    'exitCode', r."exitCode", 'error', r.error, 'attempt', r.attempt)
$$;

-- One delivery (and its queue entry) per enabled endpoint that wants the event, for the job when given.
-- graphile-worker retries a failed delivery with exponential backoff: 14 attempts span about a day.
-- SECURITY DEFINER: it runs inside whatever changed the run or key (the worker finishing a run, the web
-- revoking a key), and none of those roles needs rights on the webhook tables for it.
CREATE OR REPLACE FUNCTION etl_emit_webhook(p_org uuid, p_type text, p_job uuid, p_data json) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_endpoint uuid;
  v_id uuid;
  v_payload text;
BEGIN
  FOR v_endpoint IN
    SELECT e.id FROM "WebhookEndpoint" e
    WHERE e."orgId" = p_org AND e.enabled AND p_type = ANY (e.events)
      AND (p_job IS NULL OR cardinality(e."jobIds") = 0 OR p_job = ANY (e."jobIds"))
  LOOP
    v_id := gen_random_uuid();
    v_payload := json_build_object('type', p_type, 'timestamp', etl_iso((now() AT TIME ZONE 'utc')::timestamp(3)), 'data', p_data)::text;
    INSERT INTO "WebhookDelivery" (id, "messageId", "endpointId", "orgId", "eventType", payload, "nextAttemptAt")
      VALUES (v_id, 'msg_' || replace(v_id::text, '-', ''), v_endpoint, p_org, p_type, v_payload, now() AT TIME ZONE 'utc');
    PERFORM graphile_worker.add_job('webhook-deliver', json_build_object('deliveryId', v_id::text),
      max_attempts => 14, job_key => 'webhook:' || v_id::text);
  END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION etl_run_webhook_event() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_type text := CASE NEW.status
    WHEN 'running' THEN 'run.started' WHEN 'succeeded' THEN 'run.succeeded'
    WHEN 'failed' THEN 'run.failed' WHEN 'cancelled' THEN 'run.cancelled' END;
BEGIN
  IF v_type IS NOT NULL THEN
    PERFORM etl_emit_webhook(NEW."orgId", v_type, NEW."jobId", etl_public_run(NEW));
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER run_webhook_event AFTER UPDATE OF status ON "JobRun"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION etl_run_webhook_event();

CREATE OR REPLACE FUNCTION etl_key_webhook_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM etl_emit_webhook(NEW."orgId", 'key.revoked', NULL, json_build_object(
    'id', NEW.id, 'name', NEW.name, 'selector', NEW.selector, 'revokedAt', etl_iso(NEW."revokedAt")));
  RETURN NULL;
END
$$;

CREATE TRIGGER key_webhook_event AFTER UPDATE OF "revokedAt" ON "ApiKey"
  FOR EACH ROW WHEN (OLD."revokedAt" IS NULL AND NEW."revokedAt" IS NOT NULL) EXECUTE FUNCTION etl_key_webhook_event();
