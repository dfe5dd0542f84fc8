import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';
import house from './eslint-rules/house.mjs';

// Database clients are made in server/db only; benchmarks and the chaos suite measure raw drivers on purpose.
// Types may be imported anywhere.
const databaseClients = [
  {
    name: 'pg',
    message: 'Database clients are made in server/db only: import { pool, db } from server/db.',
    allowTypeImports: true,
  },
  {
    name: '@prisma/adapter-pg',
    message: 'The Prisma client is made in server/db only.',
    allowTypeImports: true,
  },
];

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  {
    plugins: { house },
    rules: {
      'house/no-server-in-client': 'error',
      // `const { dropped: _x, ...kept } = value` is how a field is left out.
      '@typescript-eslint/no-unused-vars': ['warn', { ignoreRestSiblings: true, varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['components/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/server/*', '**/server/*'],
              message: 'Components never import server/: pages and actions hand them data.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['worker/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: databaseClients }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/app/*', '**/app/*', '@/components/*', '**/components/*'],
              message: 'The worker shares server/ only, never app/ or components/.',
            },
          ],
        },
      ],
    },
  },
  {
    // One instance of every piece of state a process, however many times server/ is evaluated.
    files: ['server/**'],
    // The migration engine and the embedded Postgres run in the launcher and the CLI, never in the web process.
    ignores: [
      '**/*.test.ts',
      '**/test-support.ts',
      'server/db/generated/**',
      'server/db/migrate.ts',
      'server/runtime/embedded-postgres.ts',
    ],
    rules: { 'house/process-wide-state': 'error' },
  },
  {
    files: ['app/**', 'lib/**', 'scripts/**', 'prisma/**', 'server/**'],
    ignores: ['server/db/**', '**/*.test.ts', '**/test-support.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: databaseClients }] },
  },
  {
    // Short files and short functions in product code (the house's size rule; tests and tools are exempt).
    files: ['app/**', 'components/**', 'lib/**', 'server/**', 'worker/**', 'scripts/**', 'proxy.ts'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', '**/test-support.ts', 'server/db/generated/**'],
    rules: {
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // The e2e suite reads the JSON answers it checks field by field.
    files: ['e2e/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  globalIgnores([
    '.next/**',
    'out/**',
    'build/**',
    'next-env.d.ts',
    'server/db/generated/**',
    'examples/etl-mgr-api.d.ts',
    '.data/**',
    '.data-*/**',
    'test-results/**',
    'playwright-report/**',
  ]),
]);
