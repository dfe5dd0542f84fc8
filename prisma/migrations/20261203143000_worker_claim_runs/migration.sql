-- Written by hand (functions are outside schema.prisma).

-- A worker's claims of queued runs, many in one statement (group commit: the claims a worker's run slots
-- make together share one round trip, one lock per organisation and one commit). Replaces
-- etl_claim_run (kept below for now), which took one run a statement: at a worker's concurrency its claims of one
-- organisation queued behind each other's commit on the fair-share lock.
--
-- p_runs[i] is claimed for p_workers[i]. One row a run that is claimed (busy = false, with its job and
-- where its log stands) or deferred (busy = true: fair share); none for a run that is no longer queued
-- (cancelled, or another worker took it): one conditional UPDATE, so two workers never both win. With
-- p_org_max > 0, each organisation of the batch is locked in turn (in uuid order, so two batches cannot
-- deadlock) and gets at most p_org_max running runs; its runs beyond that, in the batch's order, are
-- deferred. plpgsql takes a new snapshot for each statement, so the count after the lock sees the claims
-- committed before it.
CREATE OR REPLACE FUNCTION etl_claim_runs(p_runs uuid[], p_workers text[], p_org_max int)
RETURNS TABLE (
  busy boolean, id uuid, "orgId" uuid, "jobId" uuid, params jsonb, attempt int,
  "jobType" text, "jobConfig" jsonb, "timeoutSeconds" int, "logSeq" int, "logLines" int, "logBytes" bigint
)
LANGUAGE plpgsql AS $$
DECLARE
  v_org uuid;
  v_room int;
  v_busy uuid[] := '{}';
BEGIN
  IF p_org_max > 0 THEN
    FOR v_org IN
      SELECT DISTINCT r."orgId" FROM "JobRun" r WHERE r.id = ANY (p_runs) AND r.status = 'queued' ORDER BY 1
    LOOP
      -- 0x45544c31: the class of "claims of one organisation" (two-int keys: apart from the job locks).
      PERFORM pg_advisory_xact_lock(1163152433, hashtext(v_org::text));
      v_room := p_org_max - (SELECT count(*) FROM "JobRun" r WHERE r."orgId" = v_org AND r.status = 'running');
      v_busy := v_busy || ARRAY(
        SELECT r.id FROM unnest(p_runs) WITH ORDINALITY AS q(id, n) JOIN "JobRun" r ON r.id = q.id
        WHERE r."orgId" = v_org AND r.status = 'queued' ORDER BY q.n OFFSET greatest(v_room, 0));
    END LOOP;
  END IF;
  RETURN QUERY
    SELECT true, b, NULL::uuid, NULL::uuid, NULL::jsonb, NULL::int, NULL::text, NULL::jsonb, NULL::int,
      NULL::int, NULL::int, NULL::bigint
    FROM unnest(v_busy) AS b;
  RETURN QUERY
    WITH claimed AS (
      UPDATE "JobRun" r SET status = 'running', "startedAt" = now() AT TIME ZONE 'utc', "workerId" = q.worker,
        "heartbeatAt" = now() AT TIME ZONE 'utc'
      FROM unnest(p_runs, p_workers) AS q(id, worker)
      WHERE r.id = q.id AND r.status = 'queued' AND r.id <> ALL (v_busy)
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

-- etl_claim_run stays for now: workers of the previous release call it until they are replaced (a rolling
-- upgrade), and the worker bench's baseline (BENCH_WORKER_BASELINE) runs such a worker. A later migration drops it.
