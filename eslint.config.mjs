import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';
import house from './eslint-rules/house.mjs';

// Database clients are made in server/db only; benchmarks and the chaos suite measure raw drivers on purpose.
const databaseClients = [
  { name: 'pg', message: 'Database clients are made in server/db only: import { pool, db } from server/db.' },
  { name: '@prisma/adapter-pg', message: 'The Prisma client is made in server/db only.' },
];

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  {
    plugins: { house },
    rules: { 'house/no-server-in-client': 'error' },
  },
  {
    files: ['components/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['@/server/*', '**/server/*'], message: 'Components never import server/: pages and actions hand them data.' }],
      }],
    },
  },
  {
    files: ['worker/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: databaseClients,
        patterns: [{ group: ['@/app/*', '**/app/*', '@/components/*', '**/components/*'], message: 'The worker shares server/ only, never app/ or components/.' }],
      }],
    },
  },
  {
    files: ['app/**', 'lib/**', 'scripts/**', 'prisma/**', 'server/**'],
    ignores: ['server/db/**', '**/*.test.ts', '**/test-support.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: databaseClients }] },
  },
  globalIgnores([
    '.next/**',
    'out/**',
    'build/**',
    'next-env.d.ts',
    'server/db/generated/**',
    '.data/**',
    '.data-*/**',
    'test-results/**',
    'playwright-report/**',
  ]),
]);
