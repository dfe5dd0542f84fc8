import { RuleTester } from 'eslint';
import { describe, it } from 'vitest';
import house from './house.mjs';

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester({ languageOptions: { ecmaVersion: 2024, sourceType: 'module' } });

tester.run('no-server-in-client', house.rules['no-server-in-client'], {
  valid: [
    { code: "import { db } from '@/server/db';" },
    { code: "'use client';\nimport { signInSchema } from '@/lib/validations/auth';" },
    { code: "'use client';\nimport { Button } from '../ui/button';" },
    { code: "'use client';\nimport { observer } from './observer-server-ish';" },
  ],
  invalid: [
    {
      code: "'use client';\nimport { signInSchema } from '@/server/auth/schemas';",
      errors: [{ messageId: 'serverImport' }],
    },
    { code: "'use client';\nimport { db } from '../../server/db';", errors: [{ messageId: 'serverImport' }] },
    { code: "'use client';\nexport { x } from '@/server/x';", errors: [{ messageId: 'serverImport' }] },
    {
      code: "'use client';\nconst m = import('@/server/keys/token');",
      errors: [{ messageId: 'serverImport' }],
    },
  ],
});

tester.run('process-wide-state', house.rules['process-wide-state'], {
  valid: [
    { code: "const state = processWide('cache', () => ({ cache: new Map() }));" },
    { code: "const LOADER_ENV = new Set(['LD_PRELOAD']);\nconst LIMIT = 10;" },
    { code: 'export const NAMES = Object.freeze([1]);' },
    { code: 'function f() {\n  let n = 0;\n  const m = new Map();\n  return [n, m];\n}' },
  ],
  invalid: [
    { code: 'let lastPrune = 0;', errors: [{ messageId: 'mutable' }] },
    { code: 'export let current;', errors: [{ messageId: 'mutable' }] },
    { code: 'var timer;', errors: [{ messageId: 'mutable' }] },
    { code: 'const cache = new Map();', errors: [{ messageId: 'mutable' }] },
    { code: 'const pending = [];', errors: [{ messageId: 'mutable' }] },
    {
      code: 'const seen = new WeakMap(), s = new Set();',
      errors: [{ messageId: 'mutable' }, { messageId: 'mutable' }],
    },
  ],
});
