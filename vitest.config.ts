import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // tsconfig's "@/*" paths, so tests can call the real route handlers of app/.
  resolve: { alias: [{ find: /^@\//, replacement: fileURLToPath(new URL('./', import.meta.url)) }] },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules', 'e2e/**', '.next/**'],
    testTimeout: 60000,
    hookTimeout: 120000,
    pool: 'forks',
  },
});
