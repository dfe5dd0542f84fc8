import path from 'node:path';
import { defineConfig } from 'vitest/config';

// npm run test:chaos: real processes (Postgres, two web instances, two workers) and faults, one file,
// in order. Its files end in .chaos.ts so `npm run test:unit` (**/*.test.ts) never picks them up.
export default defineConfig({
  test: {
    root: path.resolve(import.meta.dirname, '..'),
    include: ['chaos/**/*.chaos.ts'],
    pool: 'forks',
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 240_000,
    hookTimeout: 300_000,
    teardownTimeout: 120_000,
    reporters: ['verbose'],
  },
});
