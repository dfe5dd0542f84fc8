import { randomUUID } from 'node:crypto';
import { expect, test, type Browser, type Page } from './support/test';
import { adminCli } from './support/admin-cli';
import { signIn } from './support/auth';
import { expectOrgShown } from './support/org';
import { ADMIN_EMAIL } from './support/env';

// What a person can do before the page's JavaScript has run (a slow link, a busy phone): here with
// JavaScript off altogether. The invitation banner answers through plain form posts, and a form that
// needs JavaScript never puts what was typed into the address bar, the history or a server's access log.

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Signs in with JavaScript, then hands the session to a page that runs none. */
async function signedInWithoutJavaScript(browser: Browser, email: string, password: string): Promise<Page> {
  const withScripts = await browser.newContext();
  await signIn(await withScripts.newPage(), email, password);
  const storageState = await withScripts.storageState();
  await withScripts.close();
  const context = await browser.newContext({ storageState, javaScriptEnabled: false });
  return context.newPage();
}

test('without JavaScript, the invitation banner accepts one invitation (switching there) and declines another', async ({
  browser,
}) => {
  const [home, other] = [unique('home'), unique('other')];
  const person = `${unique('person')}@example.com`;
  const password = 'person-password-123';
  for (const slug of [home, other]) await adminCli(['org', 'create', slug, '--name', `Org ${slug}`]);
  await adminCli(['user', 'create', person, '--org', home, '--role', 'owner', '--password', password]);
  await adminCli(['member', 'invite', '--org', 'demo', person, '--role', 'editor']);
  await adminCli(['member', 'invite', '--org', other, person, '--role', 'viewer']);

  const page = await signedInWithoutJavaScript(browser, person, password);
  await page.goto('/jobs');
  await expectOrgShown(page, `Org ${home}`);
  const banner = page.getByRole('region', { name: 'Invitations' });
  const fromOther = banner.getByRole('status').filter({ hasText: `Org ${other}` });
  await fromOther.getByRole('button', { name: 'Decline' }).click();
  await expect(banner).not.toContainText(`Org ${other}`);
  await expect(banner).toContainText('You are invited to join Demo as editor.');

  await banner.getByRole('button', { name: 'Accept' }).click();
  await expect(page).toHaveURL(/\/jobs$/);
  await expectOrgShown(page, 'Demo');
  await expect(banner).toHaveCount(0);
  await page.goto('/settings/members');
  await expect(page.getByRole('row').filter({ hasText: ADMIN_EMAIL })).toHaveCount(1);
  await page.context().close();
});

test('a sign-in submitted before JavaScript runs keeps the email and password out of the address', async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill('a-password-typed-too-early');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(page.url()).not.toContain('password');
  expect(page.url()).not.toContain(encodeURIComponent(ADMIN_EMAIL));
  await context.close();
});
