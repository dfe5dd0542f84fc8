import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  DEFAULT_RATE_LIMIT,
  E2E_BASE_URL,
  E2E_DATA_DIR,
  E2E_PORT,
  METRICS_TOKEN,
  OIDC_CLIENT_ID,
  OIDC_CLIENT_SECRET,
  OIDC_ISSUER,
  OIDC_NAME,
  WEBHOOK_RECEIVER_PORT,
} from './e2e/support/env';

// Playwright tests of the production build (`npm run test:e2e` builds first) against a fresh embedded
// database in .data-e2e, in Debian's Chromium when it is there (Playwright cannot download its own
// browsers on every machine); Playwright's own Chromium is the fallback elsewhere.
const executablePath =
  process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH ??
  (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/support/global-setup.ts',
  workers: 2,
  retries: 0,
  // The whole API suite runs in a few seconds a test; the slowest wait for a key to expire.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  // The list on the console; the HTML report (playwright-report/, git-ignored) never opens by itself.
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: E2E_BASE_URL,
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: '**/db-outage.spec.ts',
      // Freezes the database, so it runs after every other test, whatever their results.
      teardown: 'db-outage',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
    {
      name: 'db-outage',
      testMatch: '**/db-outage.spec.ts',
    },
  ],
  webServer: {
    command: `rm -rf ${E2E_DATA_DIR} && npm start`,
    url: `${E2E_BASE_URL}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    env: {
      DATA_DIR: E2E_DATA_DIR,
      PORT: String(E2E_PORT),
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      WORKER_CONCURRENCY: '8',
      // e2e/schedules-webhooks.spec.ts waits for an every-minute schedule's run (the default is 5 minutes).
      SCHEDULE_MIN_INTERVAL_SECONDS: '60',
      RATE_LIMIT_PER_MINUTE: String(DEFAULT_RATE_LIMIT),
      // Only the webhook receiver of e2e/schedules-webhooks.spec.ts: loopback stays closed otherwise.
      HTTP_JOBS_ALLOWED_HOSTS: `127.0.0.1:${WEBHOOK_RECEIVER_PORT}`,
      // Single sign-on through the provider e2e/sso.spec.ts starts (discovery happens at sign-in).
      OIDC_ISSUER,
      OIDC_CLIENT_ID,
      OIDC_CLIENT_SECRET,
      OIDC_NAME,
      METRICS_TOKEN,
    },
    stdout: 'pipe',
    // npm start stops the web server, the worker and the embedded Postgres on SIGTERM.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
  },
});
