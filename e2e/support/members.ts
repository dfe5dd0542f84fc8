import { expect, type Page } from '@playwright/test';
import { hydrated } from './hydration';

/** On Settings > Members: invites an email with a role; returns the answer's text and the link it shows. */
export async function invite(
  page: Page,
  email: string,
  role: string,
): Promise<{ message: string; link: string }> {
  await page.goto('/settings/members');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await hydrated(page);
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  const link = page.getByLabel('Invitation link');
  await expect(link).toBeVisible();
  const message =
    (await page
      .getByRole('status')
      .filter({ hasText: 'Invitation for' })
      .locator('p')
      .first()
      .textContent()) ?? '';
  return { message, link: ((await link.textContent()) ?? '').trim() };
}

/** Opens an invitation link signed out, sets a password and lands in the console as the new member. */
export async function joinAsNewPerson(page: Page, link: string, password: string): Promise<void> {
  await page.goto(link);
  await page.getByLabel('Choose a password').fill(password);
  await page.getByLabel('The password again').fill(password);
  await page.getByRole('button', { name: 'Create account and join' }).click();
  await expect(page).toHaveURL(/\/jobs$/);
}
