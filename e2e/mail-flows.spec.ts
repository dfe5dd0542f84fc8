import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { htmlPartOf, outboxMailsTo } from '../server/email/test-support';
import { adminCli } from './support/admin-cli';
import { signIn } from './support/auth';
import { ADMIN_EMAIL, E2E_DATA_DIR, ROOT } from './support/env';
import { hydrated } from './support/hydration';
import { linkIn, waitForMail } from './support/mail';
import { invite, joinAsNewPerson } from './support/members';
import { expect, test, type Browser, type Page } from './support/test';

// The mail flows of a server without SMTP (mail goes to DATA_DIR/outbox, as after `npm start`): an
// invitation accepted by someone new, "Forgot password", and a failed run's notice. Each screen and each
// mail is checked with axe and photographed at 1440 and 390 px, light and dark (e2e/screenshots/, ignored).

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const VIEWS = {
  desktop: { width: 1440, height: 900 },
  phone: { width: 390, height: 844 },
} as const;
const SHOTS = path.join(ROOT, 'e2e', 'screenshots');
const unique = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Opens a screen in each size and colour scheme: no axe violation, no sideways scroll, a screenshot. */
async function photograph(browser: Browser, name: string, open: (page: Page) => Promise<void>) {
  mkdirSync(SHOTS, { recursive: true });
  for (const [view, viewport] of Object.entries(VIEWS))
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport, colorScheme });
      const page = await context.newPage();
      await open(page);
      const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
      expect(violations.map((v) => `${name} ${view} ${colorScheme}: ${v.id}`)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        viewport.width,
      );
      await page.screenshot({
        path: path.join(SHOTS, `mail-${name}-${view}-${colorScheme}.png`),
        fullPage: true,
      });
      await context.close();
    }
}

/** A mail's HTML part shown as a page, with a title and language so it reads as a document. */
const showMail = (mail: string) => async (page: Page) => {
  const html = htmlPartOf(mail)
    .replace('<html>', '<html lang="en">')
    .replace('<head>', '<head><title>Mail</title>');
  await page.setContent(html);
};

test('an invitation is mailed, never shown to the inviter; someone new accepts from the mail', async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  const email = `${unique('invitee')}@example.com`;
  await signIn(page);
  const { message, link } = await invite(page, email, 'viewer');
  expect(message).toBe(`Invitation mailed to ${email}. Its link works once, for 7 days.`);
  expect(message).not.toContain('/invite/');
  await expect(page.getByText('/invite/')).toHaveCount(0);
  await page.setViewportSize(VIEWS.desktop);
  await page.screenshot({ path: path.join(SHOTS, 'mail-invite-sent-desktop-light.png') });

  const [mail] = await outboxMailsTo(path.join(ROOT, E2E_DATA_DIR), email);
  expect(mail).toMatch(/^Subject: You are invited to Demo$/m);
  await photograph(browser, 'invitation-mail', showMail(mail));
  await photograph(browser, 'invitation-page', async (p) => {
    await p.goto(link);
    await expect(p.getByRole('heading', { name: 'Join Demo' })).toBeVisible();
  });

  const context = await browser.newContext();
  const invitee = await context.newPage();
  await joinAsNewPerson(invitee, link, 'invitee-password-123');
  await expect(invitee.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
  await context.close();
});

test('forgot password: the same answer for any address, a mailed single-use link, then signed in with the new password', async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  const email = `${unique('forgetful')}@example.com`;
  await adminCli([
    'user',
    'create',
    email,
    '--org',
    'demo',
    '--role',
    'viewer',
    '--password',
    'old-password-1234',
  ]);

  const ask = async (p: Page, address: string) => {
    await p.goto('/login');
    await p.getByRole('link', { name: 'Forgot your password?' }).click();
    await expect(p.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
    await p.getByLabel('Email').fill(address);
    await hydrated(p);
    await p.getByRole('button', { name: 'Mail me a link' }).click();
    const answer = p.getByRole('status').filter({ hasText: 'has an account here' });
    await expect(answer).toBeVisible();
    return ((await answer.textContent()) ?? '').replace(address, '<email>');
  };
  const nobody = `${unique('nobody')}@example.com`;
  expect(await ask(page, email)).toBe(await ask(page, nobody));
  const mail = await waitForMail(email);
  expect(mail).toMatch(/^Subject: Choose a new password$/m);
  const link = linkIn(mail, 'reset-password');
  expect(await outboxMailsTo(path.join(ROOT, E2E_DATA_DIR), nobody)).toEqual([]);

  await photograph(browser, 'forgot-page', async (p) => {
    await ask(p, nobody);
  });
  await photograph(browser, 'reset-mail', showMail(mail));
  await photograph(browser, 'reset-page', async (p) => {
    await p.goto(link);
    await expect(p.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  });

  const context = await browser.newContext();
  const person = await context.newPage();
  await person.goto(link);
  await person.getByLabel('New password', { exact: true }).fill('new-password-5678');
  await person.getByLabel('The new password again').fill('new-password-5678');
  await hydrated(person);
  await person.getByRole('button', { name: 'Save and sign in' }).click();
  await expect(person).toHaveURL(/\/jobs$/);
  // The link works once.
  await person.goto(link);
  await expect(person.getByRole('heading', { name: 'This link cannot be used' })).toBeVisible();
  await context.close();
});

test('a failing run of a job with "notify on failure" mails its creator once', async ({ page, browser }) => {
  test.setTimeout(240_000);
  const name = unique('fails-loudly');
  await signIn(page);
  await page.goto('/jobs/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Executable', { exact: true }).fill('node');
  await hydrated(page);
  await page.getByRole('button', { name: 'Add argument' }).click();
  await page.getByLabel('Argument 1', { exact: true }).fill('-e');
  await page.getByRole('button', { name: 'Add argument' }).click();
  await page.getByLabel('Argument 2', { exact: true }).fill("console.error('disk full'); process.exit(3)");
  await page.getByLabel('Mail the watchers when a run fails').check();
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

  await page.getByRole('button', { name: 'Run now' }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const runId = new URL(page.url()).pathname.split('/').pop()!;

  const subject = `Subject: Run of ${name} failed`;
  let notices: string[] = [];
  await expect
    .poll(
      async () =>
        (notices = (await outboxMailsTo(path.join(ROOT, E2E_DATA_DIR), ADMIN_EMAIL)).filter((m) =>
          m.includes(subject),
        )).length,
      { timeout: 60_000, message: 'the failure notice' },
    )
    .toBe(1);
  expect(notices[0]).toContain(`/runs/${runId}`);
  expect(notices[0]).toContain('exited with code 3');
  await photograph(browser, 'failure-notice', showMail(notices[0]));
});
