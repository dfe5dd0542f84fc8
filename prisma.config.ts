import { defineConfig } from 'prisma/config';

// The native schema engine cannot be downloaded on every machine; generate/validate/format do not
// need it, so point the CLI at a placeholder. Migrations go through scripts/db-migrate.ts (WASM engine).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= '/dev/null';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/unused' },
});
