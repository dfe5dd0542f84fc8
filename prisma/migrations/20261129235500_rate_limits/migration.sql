-- CreateTable
CREATE TABLE "RateLimitWindow" (
    "keyId" UUID NOT NULL,
    "windowStart" BIGINT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RateLimitWindow_pkey" PRIMARY KEY ("keyId","windowStart")
);

-- Counters need no durability: skip the WAL.
ALTER TABLE "RateLimitWindow" SET UNLOGGED;
