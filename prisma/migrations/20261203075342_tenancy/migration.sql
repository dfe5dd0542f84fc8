-- CreateTable
CREATE TABLE "UserSession" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "orgId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "UserSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Invitation" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "digest" TEXT NOT NULL,
    "inviterId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignInFailure" (
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "lastAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignInFailure_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "UserSession_userId_idx" ON "UserSession"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_digest_key" ON "Invitation"("digest");

-- CreateIndex
CREATE INDEX "Invitation_orgId_createdAt_idx" ON "Invitation"("orgId", "createdAt");

-- CreateIndex
CREATE INDEX "Invitation_email_idx" ON "Invitation"("email");

-- AddForeignKey
ALTER TABLE "UserSession" ADD CONSTRAINT "UserSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserSession" ADD CONSTRAINT "UserSession_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_inviterId_fkey" FOREIGN KEY ("inviterId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Written by hand from here on.

-- Counters need no durability: skip the WAL.
ALTER TABLE "SignInFailure" SET UNLOGGED;

-- Emails are stored trimmed and lower-case and compared by equality. Existing rows are normalised
-- (a row whose normalised spelling is already taken is left as it is for an operator to merge); the
-- constraint holds for every new or changed row (NOT VALID skips only the check of old rows).
UPDATE "User" u SET email = lower(btrim(u.email))
  WHERE u.email <> lower(btrim(u.email))
    AND NOT EXISTS (SELECT 1 FROM "User" o WHERE o.id <> u.id AND o.email = lower(btrim(u.email)));
ALTER TABLE "User" ADD CONSTRAINT "User_email_normalised" CHECK (email = lower(btrim(email))) NOT VALID;
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_email_normalised" CHECK (email = lower(btrim(email)));

-- A key works only while its owner may start jobs: a change of the owner's membership (role changed,
-- removed, added again) announces each of the owner's keys in that organisation on the channel the key
-- caches listen to, whoever makes the change (app, CLI, SQL).
CREATE OR REPLACE FUNCTION etl_notify_membership_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_org uuid := COALESCE(NEW."orgId", OLD."orgId");
  v_user uuid := COALESCE(NEW."userId", OLD."userId");
BEGIN
  PERFORM pg_notify('api_key_changed', k.id::text)
    FROM "ApiKey" k WHERE k."orgId" = v_org AND k."ownerId" = v_user;
  RETURN NULL;
END
$$;

CREATE TRIGGER membership_changed
  AFTER INSERT OR UPDATE OF role, "orgId", "userId" OR DELETE
  ON "Membership" FOR EACH ROW EXECUTE FUNCTION etl_notify_membership_change();
