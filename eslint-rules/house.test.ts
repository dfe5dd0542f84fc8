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
