-- Keyset-paged lists (issue 13): each list's order and filters get an index; searches (ILIKE '%text%')
-- use trigram indexes. pg_trgm ships with PostgreSQL (embedded-postgres too) and is a trusted extension:
-- the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- DropIndex
DROP INDEX "ApiKey_orgId_createdAt_idx";

-- DropIndex
DROP INDEX "AuditEvent_orgId_at_idx";

-- DropIndex
DROP INDEX "JobRun_jobId_status_idx";

-- DropIndex
DROP INDEX "JobRun_orgId_queuedAt_idx";

-- CreateIndex
CREATE INDEX "ApiKey_orgId_createdAt_id_idx" ON "ApiKey"("orgId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "ApiKey_ownerId_idx" ON "ApiKey"("ownerId");

-- CreateIndex
CREATE INDEX "ApiKey_orgId_expiresAt_idx" ON "ApiKey"("orgId", "expiresAt");

-- CreateIndex
CREATE INDEX "ApiKey_orgId_graceUntil_idx" ON "ApiKey"("orgId", "graceUntil");

-- CreateIndex
CREATE INDEX "ApiKey_orgId_revokedAt_idx" ON "ApiKey"("orgId", "revokedAt");

-- CreateIndex
CREATE INDEX "ApiKey_name_trgm_idx" ON "ApiKey" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "ApiKey_selector_trgm_idx" ON "ApiKey" USING GIN ("selector" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "ApiKey_description_trgm_idx" ON "ApiKey" USING GIN ("description" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "AuditEvent_orgId_at_id_idx" ON "AuditEvent"("orgId", "at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_orgId_action_at_id_idx" ON "AuditEvent"("orgId", "action", "at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_orgId_target_idx" ON "AuditEvent"("orgId", "target");

-- CreateIndex
CREATE INDEX "AuditEvent_orgId_actor_idx" ON "AuditEvent"("orgId", "actor");

-- CreateIndex
CREATE INDEX "AuditEvent_details_idx" ON "AuditEvent" USING GIN ("details" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "AuditEvent_actorName_trgm_idx" ON "AuditEvent" USING GIN ("actorName" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "JobRun_orgId_queuedAt_id_idx" ON "JobRun"("orgId", "queuedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "JobRun_orgId_status_queuedAt_id_idx" ON "JobRun"("orgId", "status", "queuedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "JobRun_orgId_trigger_queuedAt_id_idx" ON "JobRun"("orgId", "trigger", "queuedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "JobRun_jobId_queuedAt_id_idx" ON "JobRun"("jobId", "queuedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "JobRun_jobId_status_queuedAt_id_idx" ON "JobRun"("jobId", "status", "queuedAt" DESC, "id" DESC);
