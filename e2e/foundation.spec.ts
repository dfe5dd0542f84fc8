import { expect, test } from './support/test';
import { signIn, submitLogin } from './support/auth';
import { ADMIN_EMAIL } from './support/env';

// The foundation in a real browser: health, sign-in as the seeded owner, the sample jobs, the
// round trip through /login for a signed-out visitor, and sign-out.

const SAMPLE_JOBS = ['hello-world', 'countdown', 'always-fails'];

test('GET /api/health: 200 {"status":"ok"}', async ({ request }) => {
  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });
});

test('the seeded owner signs in and sees the three sample jobs on /jobs', async ({ page }) => {
  await signIn(page);
  await page.goto('/jobs');
  await expect(page).toHaveURL(/\/jobs$/);
  const main = page.getByRole('main');
  for (const name of SAMPLE_JOBS) await expect(main.getByText(name, { exact: true }).first()).toBeVisible();
});

test('a wrong password is refused with a message, and stays on /login', async ({ page }) => {
  await page.goto('/login');
  await submitLogin(page, ADMIN_EMAIL, 'not-the-password');
  await expect(page.getByText('Incorrect email or password.')).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test('a signed-out visit to /jobs lands on /login and returns to /jobs after signing in', async ({
  page,
}) => {
  await page.goto('/jobs');
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fjobs$/);
  await submitLogin(page);
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
});

test('sign out ends the session', async ({ page }) => {
  await signIn(page);
  await page.goto('/jobs');
  await page.getByRole('button', { name: ADMIN_EMAIL }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  // The console is closed again.
  await page.goto('/jobs');
  await expect(page).toHaveURL(/\/login/);
});
