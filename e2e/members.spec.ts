import { randomUUID } from 'node:crypto';
import { expect, test } from './support/test';
import { signIn } from './support/auth';
import { hydrated } from './support/hydration';
import { invite, joinAsNewPerson } from './support/members';

// Settings > Members: an owner invites a person by link, who joins with their own password; what a viewer
// may do follows the role; a role change asks first, takes effect and is in the audit log.

test('an owner invites a member, who joins; a confirmed role change takes effect and is audited', async ({
  page,
  browser,
}) => {
  const email = `${randomUUID().slice(0, 8)}-member@example.com`;
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Members', level: 1 })).toBeVisible();

  // The schema's rule, beside the field.
  await page.getByLabel('Email').fill('not-an-email');
  await hydrated(page);
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(page.getByText('Enter a valid email address')).toBeVisible();

  const { link } = await invite(page, email, 'viewer');
  await expect(page.getByRole('cell', { name: email, exact: true })).toBeVisible(); // pending

  const context = await browser.newContext();
  const member = await context.newPage();
  await joinAsNewPerson(member, link, 'first-password-123');
  // The link works once.
  await member.goto(link);
  await expect(member.getByRole('heading', { name: 'This invitation cannot be used' })).toBeVisible();

  // As a viewer: keys are listed, nothing can be created, members cannot be managed.
  await member.goto('/integrations/api-keys');
  await expect(member.getByRole('heading', { name: 'Api Keys', level: 1 })).toBeVisible();
  await expect(member.getByRole('link', { name: 'Create API key' })).toHaveCount(0);
  await member.goto('/settings/members');
  await expect(member.getByRole('button', { name: 'Invite', exact: true })).toHaveCount(0);

  // Made an editor (after confirming), the same person may create keys.
  await page.goto('/settings/members');
  const role = page.getByLabel(`Role of ${email}`);
  await expect(role).toHaveValue('viewer');
  await role.selectOption('editor');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`Make ${email} editor?`);
  await dialog.getByRole('button', { name: 'Change role' }).click();
  await expect(page.getByText('Role changed.')).toBeVisible();
  await member.goto('/integrations/api-keys/new');
  await expect(member.getByRole('button', { name: 'Create API key' })).toBeVisible();
  await context.close();

  await page.goto('/audit?action=members');
  await expect(
    page.getByRole('row').filter({ hasText: email }).filter({ hasText: 'Member invited' }),
  ).toBeVisible();
  await expect(
    page.getByRole('row').filter({ hasText: email }).filter({ hasText: 'Member joined' }),
  ).toBeVisible();
  await expect(
    page.getByRole('row').filter({ hasText: email }).filter({ hasText: 'viewer → editor' }),
  ).toBeVisible();
});
