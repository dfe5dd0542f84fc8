-- Written by hand (functions are outside schema.prisma).

-- A worker's claim of a queued run in one round trip: the run (queued -> running), the job it runs and
-- where its log stands (an earlier attempt's lines), or nothing when it is no longer queued (cancelled,
-- or another worker took it). With p_org_max > 0 (fair share), claims of one organisation take a
-- transaction-scoped lock first and return busy = true when the organisation already has p_org_max
-- running runs. plpgsql takes a new snapshot for each statement, so the count after the lock sees the
-- claims committed before it (what two statements in one transaction did before).
CREATE OR REPLACE FUNCTION etl_claim_run(p_run uuid, p_worker text, p_org_max int)
RETURNS TABLE (
  busy boolean, id uuid, "orgId" uuid, "jobId" uuid, params jsonb, attempt int,
  "jobType" text, "jobConfig" jsonb, "timeoutSeconds" int, "logSeq" int, "logLines" int, "logBytes" bigint
)
LANGUAGE plpgsql AS $$
DECLARE
  v_org uuid;
BEGIN
  IF p_org_max > 0 THEN
    SELECT r."orgId" INTO v_org FROM "JobRun" r WHERE r.id = p_run AND r.status = 'queued';
    IF v_org IS NULL THEN RETURN; END IF;
    -- 0x45544c31: the class of "claims of one organisation" (two-int keys: apart from the job locks).
    PERFORM pg_advisory_xact_lock(1163152433, hashtext(v_org::text));
    IF (SELECT count(*) FROM "JobRun" r WHERE r."orgId" = v_org AND r.status = 'running') >= p_org_max THEN
      RETURN QUERY SELECT true, NULL::uuid, NULL::uuid, NULL::uuid, NULL::jsonb, NULL::int,
        NULL::text, NULL::jsonb, NULL::int, NULL::int, NULL::int, NULL::bigint;
      RETURN;
    END IF;
  END IF;
  RETURN QUERY
    WITH claimed AS (
      UPDATE "JobRun" r SET status = 'running', "startedAt" = now() AT TIME ZONE 'utc', "workerId" = p_worker,
        "heartbeatAt" = now() AT TIME ZONE 'utc'
      WHERE r.id = p_run AND r.status = 'queued'
      RETURNING r.id, r."orgId", r."jobId", r.params, r.attempt
    )
    SELECT false, c.id, c."orgId", c."jobId", c.params, c.attempt, j.type::text, j.config, j."timeoutSeconds",
      coalesce(l.seq, 0), coalesce(l.lines, 0), coalesce(l.bytes, 0)
    FROM claimed c
    JOIN "Job" j ON j.id = c."jobId"
    LEFT JOIN LATERAL (
      SELECT max(g.seq) AS seq, count(*)::int AS lines, sum(octet_length(g.text))::bigint AS bytes
      FROM "RunLog" g WHERE g."runId" = c.id
    ) l ON true;
END
$$;

-- A run changes status twice per run (claim, end) and most organisations have no endpoint that wants
-- the event: look for one before building the run's JSON (etl_emit_webhook finds the same endpoints).
-- SECURITY DEFINER, as etl_emit_webhook: whoever changes the run needs no rights on the endpoints.
CREATE OR REPLACE FUNCTION etl_run_webhook_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_type text := CASE NEW.status
    WHEN 'running' THEN 'run.started' WHEN 'succeeded' THEN 'run.succeeded'
    WHEN 'failed' THEN 'run.failed' WHEN 'cancelled' THEN 'run.cancelled' END;
BEGIN
  IF v_type IS NOT NULL AND EXISTS (
    SELECT 1 FROM "WebhookEndpoint" e WHERE e."orgId" = NEW."orgId" AND e.enabled AND v_type = ANY (e.events)
  ) THEN
    PERFORM etl_emit_webhook(NEW."orgId", v_type, NEW."jobId", etl_public_run(NEW));
  END IF;
  RETURN NULL;
END
$$;
