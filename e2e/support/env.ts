import { fileURLToPath } from 'node:url';

// The fixed facts of the e2e environment, shared by playwright.config.ts and the tests.
/** 3100 unless E2E_PORT says otherwise (two checkouts testing at once on one machine). */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;
/** The app's DATA_DIR during the e2e run: removed and recreated by the web server command. */
export const E2E_DATA_DIR = '.data-e2e';
export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'e2e-password-123';
/** The rate limit every key gets unless it has its own (RATE_LIMIT_PER_MINUTE of the web server). */
export const DEFAULT_RATE_LIMIT = 600;

/** The repository root (where package.json and .data-e2e are). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The port of the webhook receiver the schedules-webhooks spec runs; the app may reach it (HTTP_JOBS_ALLOWED_HOSTS). */
export const WEBHOOK_RECEIVER_PORT = E2E_PORT + 7;
/** The OpenID Connect provider that e2e/sso.spec.ts starts; the app is configured for it. */
export const OIDC_PORT = E2E_PORT + 1;
export const OIDC_ISSUER = `http://localhost:${OIDC_PORT}`;
export const OIDC_CLIENT_ID = 'etl-e2e';
export const OIDC_CLIENT_SECRET = 'etl-e2e-client-secret-0123456789';
export const OIDC_NAME = 'Test SSO';
/** /metrics on the app's port needs this bearer token (METRICS_TOKEN of the web server). */
export const METRICS_TOKEN = 'e2e-metrics-token-0123456789';
