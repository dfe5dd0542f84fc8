-- AlterTable
ALTER TABLE "Job" ALTER COLUMN "paramsSchema" SET DATA TYPE JSON;
