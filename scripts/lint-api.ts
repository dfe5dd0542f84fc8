// npm run lint:api: writes the OpenAPI document to a temporary file and lints it with Redocly's
// recommended-strict rules (every warning an error). Exits with Redocly's status.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { openApiDocument } from '../server/http/openapi';

const dir = mkdtempSync(path.join(os.tmpdir(), 'openapi-lint-'));
const file = path.join(dir, 'openapi.json');
// A production-like origin: the served document names the installation's own PUBLIC_URL.
writeFileSync(file, JSON.stringify(openApiDocument('https://jobs.acme.dev'), null, 2));
const redocly = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
const result = spawnSync(
  process.execPath,
  [redocly, 'lint', file, '--extends', 'recommended-strict', '--format', 'stylish'],
  {
    stdio: 'inherit',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  },
);
rmSync(dir, { recursive: true, force: true });
process.exit(result.status ?? 1);
