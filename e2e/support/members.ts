import { expect, type Page } from '@playwright/test';
import path from 'node:path';
import { outboxMailsTo } from '../../server/email/test-support';
import { E2E_DATA_DIR, ROOT } from './env';
import { hydrated } from './hydration';
import { linkIn, waitForMail } from './mail';

/**
 * On Settings > Members: invites an email with a role; returns the answer's text and the link mailed to
 * the address (the inviter never sees it; the e2e app's mail is in its outbox).
 */
export async function invite(
  page: Page,
  email: string,
  role: string,
): Promise<{ message: string; link: string }> {
  const before = (await outboxMailsTo(path.join(ROOT, E2E_DATA_DIR), email)).length;
  await page.goto('/settings/members');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await hydrated(page);
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  const notice = page.getByRole('status').filter({ hasText: 'Invitation mailed to' });
  await expect(notice).toBeVisible();
  await expect(page.getByLabel('Invitation link')).toHaveCount(0);
  const message = (await notice.locator('p').first().textContent()) ?? '';
  const mail = await waitForMail(email.trim().toLowerCase(), before + 1);
  return { message, link: linkIn(mail, 'invite') };
}

/** Opens an invitation link signed out, sets a password and lands in the console as the new member. */
export async function joinAsNewPerson(page: Page, link: string, password: string): Promise<void> {
  await page.goto(link);
  await page.getByLabel('Choose a password').fill(password);
  await page.getByLabel('The password again').fill(password);
  await page.getByRole('button', { name: 'Create account and join' }).click();
  await expect(page).toHaveURL(/\/jobs$/);
}
