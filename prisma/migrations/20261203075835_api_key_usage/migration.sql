-- CreateTable
CREATE TABLE "ApiKeyRequest" (
    "id" BIGSERIAL NOT NULL,
    "orgId" UUID NOT NULL,
    "apiKeyId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "status" INTEGER NOT NULL,
    "code" TEXT,
    "job" TEXT,
    "runId" UUID,
    "ip" TEXT,
    "requestId" TEXT NOT NULL,

    CONSTRAINT "ApiKeyRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKeyUsage" (
    "apiKeyId" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "status" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "ApiKeyUsage_pkey" PRIMARY KEY ("apiKeyId","hour","status")
);

-- CreateIndex
CREATE INDEX "ApiKeyRequest_orgId_apiKeyId_at_idx" ON "ApiKeyRequest"("orgId", "apiKeyId", "at" DESC);

-- CreateIndex
CREATE INDEX "ApiKeyRequest_orgId_at_idx" ON "ApiKeyRequest"("orgId", "at" DESC);

-- CreateIndex
CREATE INDEX "ApiKeyRequest_at_idx" ON "ApiKeyRequest"("at");

-- CreateIndex
CREATE INDEX "ApiKeyUsage_orgId_hour_idx" ON "ApiKeyUsage"("orgId", "hour");

-- AddForeignKey
ALTER TABLE "ApiKeyRequest" ADD CONSTRAINT "ApiKeyRequest_apiKeyId_fkey" FOREIGN KEY ("apiKeyId") REFERENCES "ApiKey"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKeyUsage" ADD CONSTRAINT "ApiKeyUsage_apiKeyId_fkey" FOREIGN KEY ("apiKeyId") REFERENCES "ApiKey"("id") ON DELETE CASCADE ON UPDATE CASCADE;
