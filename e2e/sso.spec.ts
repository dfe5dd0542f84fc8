import { expect, test, type Page } from './support/test';
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { adminCli } from './support/admin-cli';
import {
  E2E_BASE_URL,
  OIDC_CLIENT_ID,
  OIDC_CLIENT_SECRET,
  OIDC_ISSUER,
  OIDC_NAME,
  OIDC_PORT,
} from './support/env';

// Single sign-on through a real OpenID Connect provider (oidc-provider) on localhost: its development
// login form accepts any login, which becomes the account's subject and (verified) email.
const INVITED = `invited-${Date.now()}@sso.test`;
const STRANGER = `stranger-${Date.now()}@sso.test`;
const ORG_NAME = 'SSO Org';
let server: Server;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const provider = new Provider(OIDC_ISSUER, {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        client_secret: OIDC_CLIENT_SECRET,
        redirect_uris: [`${E2E_BASE_URL}/api/auth/callback/oidc`],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // The email in the ID token, as Google, Keycloak and Entra ID put it there.
    conformIdTokenClaims: false,
    findAccount: (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: () => ({ sub, email: sub, email_verified: true, name: sub.split('@')[0] }),
    }),
    cookies: { keys: ['e2e-cookie-key-0123456789'] },
  });
  server = provider.listen(OIDC_PORT);
  await adminCli(['org', 'create', 'sso-org', '--name', ORG_NAME]);
  // Made by the operator for single sign-on (no password): the first SSO sign-in binds it to its subject.
  await adminCli(['user', 'create', INVITED, '--org', 'sso-org', '--role', 'viewer', '--sso-only']);
});

test.afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** From /login through the provider's login and consent forms; returns at the app's callback. */
async function signInThroughProvider(page: Page, login: string) {
  await page.goto('/login');
  await page.getByRole('button', { name: `Continue with ${OIDC_NAME}` }).click();
  await expect(page).toHaveURL(new RegExp(`^${OIDC_ISSUER}/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('an invited person lands in their organisation', async ({ page }) => {
  await signInThroughProvider(page, INVITED);
  await expect(page).toHaveURL(/\/jobs/);
  await expect(page.getByText(ORG_NAME).first()).toBeVisible();
});

test('an uninvited person is turned away and gets no account', async ({ page }) => {
  await signInThroughProvider(page, STRANGER);
  await expect(page).toHaveURL(/\/login\/not-invited/);
  await expect(page.getByText('Ask an admin of your organisation for an invitation')).toBeVisible();
  await page.goto('/jobs');
  await expect(page).toHaveURL(/\/login/);
  // No account was made: the CLI can create one with that email (it refuses an existing one).
  await adminCli([
    'user',
    'create',
    STRANGER,
    '--org',
    'sso-org',
    '--role',
    'viewer',
    '--password',
    'unused-password-123',
  ]);
});

test('a tampered state is refused', async ({ page }) => {
  // The state is changed on its way to the provider, which hands it back to the app's callback (a
  // redirect hop, which page.route cannot rewrite). The app's own copy sits in its state cookie.
  let tampered = 0;
  await page.route(
    (url) => url.origin === OIDC_ISSUER && url.pathname === '/auth' && url.searchParams.has('state'),
    (route) => {
      const url = new URL(route.request().url());
      url.searchParams.set('state', `${url.searchParams.get('state')}x`);
      tampered++;
      return route.continue({ url: url.toString() });
    },
  );
  await signInThroughProvider(page, INVITED);
  await expect.poll(() => tampered).toBe(1);
  await expect(page).toHaveURL(/\/login\?.*error=OAuthCallback/);
  await expect(page.getByRole('alert')).toContainText('Single sign-on failed');
  await page.goto('/jobs');
  await expect(page).toHaveURL(/\/login/);
});
