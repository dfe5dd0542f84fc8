-- Operators decide who runs code, and an address is proven before it owns anything (issue 23).

-- The operator's grant for command jobs: the lowest role that may save them in this organisation
-- (null: none). The first organisation (the one the first start seeded) keeps command jobs on an upgrade;
-- every other one waits for `npm run admin -- org grant-commands <slug>`.
ALTER TABLE "Organization" ADD COLUMN "commandJobsRole" "Role";
UPDATE "Organization" SET "commandJobsRole" = 'admin'
  WHERE id = (SELECT id FROM "Organization" ORDER BY "createdAt", id LIMIT 1);

-- An address is proven by a mailed link, SSO with a verified email, or the operator's CLI. Accounts made
-- before this release prove theirs the same way (their existing memberships stay).
ALTER TABLE "User" ADD COLUMN "emailVerifiedAt" TIMESTAMP(3),
  ADD COLUMN "oidcIssuer" TEXT,
  ADD COLUMN "oidcSubject" TEXT,
  ADD COLUMN "failureNotices" BOOLEAN NOT NULL DEFAULT true;
CREATE UNIQUE INDEX "User_oidcIssuer_oidcSubject_key" ON "User"("oidcIssuer", "oidcSubject");

-- Failure notices: who made the job, whether its failures are mailed, and to which other members.
ALTER TABLE "Job" ADD COLUMN "createdById" UUID,
  ADD COLUMN "notifyOnFailure" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "notifyEmails" TEXT[] DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "Job" ADD CONSTRAINT "Job_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Single-use links mailed to an account (password reset); only the SHA-256 digest is stored.
CREATE TABLE "EmailToken" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    CONSTRAINT "EmailToken_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "EmailToken_digest_key" ON "EmailToken"("digest");
CREATE INDEX "EmailToken_userId_idx" ON "EmailToken"("userId");
ALTER TABLE "EmailToken" ADD CONSTRAINT "EmailToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One notice per failed run, written with its recipients by the trigger below (the worker, which may
-- not read users or memberships, only sends what is here).
CREATE TABLE "FailureNotice" (
    "runId" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "jobName" TEXT NOT NULL,
    "recipients" TEXT[],
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    CONSTRAINT "FailureNotice_pkey" PRIMARY KEY ("runId")
);
ALTER TABLE "FailureNotice" ADD CONSTRAINT "FailureNotice_runId_fkey" FOREIGN KEY ("runId") REFERENCES "JobRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Watchers: the job's creator and the listed emails, while they are members and have not opted out.
-- SECURITY DEFINER: it runs inside whatever failed the run (the worker, the sweeper), and neither role
-- may read users or memberships.
CREATE OR REPLACE FUNCTION etl_run_failure_notice() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_job "Job";
  v_to text[];
BEGIN
  SELECT * INTO v_job FROM "Job" WHERE id = NEW."jobId";
  IF NOT FOUND OR NOT v_job."notifyOnFailure" THEN RETURN NULL; END IF;
  SELECT array_agg(DISTINCT u.email ORDER BY u.email) INTO v_to
    FROM "User" u JOIN "Membership" m ON m."userId" = u.id AND m."orgId" = NEW."orgId"
    WHERE u."failureNotices" AND u."emailVerifiedAt" IS NOT NULL
      AND (u.id = v_job."createdById" OR u.email = ANY (coalesce(v_job."notifyEmails", ARRAY[]::text[])));
  IF v_to IS NULL THEN RETURN NULL; END IF;
  INSERT INTO "FailureNotice" ("runId", "orgId", "jobName", recipients, error)
    VALUES (NEW.id, NEW."orgId", v_job.name, v_to, left(NEW.error, 2000))
    ON CONFLICT ("runId") DO NOTHING;
  IF FOUND THEN
    PERFORM graphile_worker.add_job('failure-notice', json_build_object('runId', NEW.id::text),
      max_attempts => 10, job_key => 'failure-notice:' || NEW.id::text);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER run_failure_notice AFTER UPDATE OF status ON "JobRun"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status = 'failed')
  EXECUTE FUNCTION etl_run_failure_notice();
