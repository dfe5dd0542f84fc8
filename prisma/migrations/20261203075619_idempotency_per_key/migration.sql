-- Idempotency records become per API key. Records made before this cannot say which key made them; they
-- are a 24-hour replay cache, so they are dropped rather than guessed.
DELETE FROM "IdempotencyRecord";

-- AlterTable
ALTER TABLE "IdempotencyRecord" DROP CONSTRAINT "IdempotencyRecord_pkey",
ADD COLUMN     "keyId" UUID NOT NULL,
ADD CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("orgId", "keyId", "key");
