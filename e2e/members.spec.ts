import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { signIn } from './support/auth';

// Settings > Members: an admin adds a member with a first password and changes roles; the member signs
// in with it; what a viewer may do follows the role; every change is in the audit log.

test('an owner adds a member, who signs in; a role change takes effect and is audited', async ({ page, browser }) => {
  const email = `${randomUUID().slice(0, 8)}-member@example.com`;
  const password = 'first-password-123';
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Members', level: 1 })).toBeVisible();

  // The schema's rules, beside the fields.
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('First password').fill('short');
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByText('Enter a valid email address')).toBeVisible();
  await expect(page.getByText('At least 12 characters', { exact: true })).toBeVisible();

  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Name', { exact: true }).fill('Vera Viewer');
  await page.getByLabel('Role', { exact: true }).selectOption('viewer');
  await page.getByLabel('First password').fill(password);
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByText(`${email} was added`)).toBeVisible();
  const role = page.getByLabel(`Role of ${email}`);
  await expect(role).toHaveValue('viewer');

  // Adding the same person again is refused beside the email.
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('First password').fill(password);
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByText(`${email} is already a member of this organisation`)).toBeVisible();

  // As a viewer: keys are listed, nothing can be created, members cannot be managed.
  const context = await browser.newContext();
  const member = await context.newPage();
  await signIn(member, email, password);
  await member.goto('/integrations/api-keys');
  await expect(member.getByRole('heading', { name: 'Api Keys', level: 1 })).toBeVisible();
  await expect(member.getByRole('link', { name: 'Create API key' })).toHaveCount(0);
  await member.goto('/integrations/api-keys/new');
  await expect(member.getByText('Viewers cannot create API keys')).toBeVisible();
  await member.goto('/settings/members');
  await expect(member.getByRole('button', { name: 'Add member' })).toHaveCount(0);

  // Made an editor, the same person may create keys.
  await role.selectOption('editor');
  await expect(page.getByText('Role changed.')).toBeVisible();
  await member.goto('/integrations/api-keys/new');
  await expect(member.getByRole('button', { name: 'Create API key' })).toBeVisible();
  await context.close();

  await page.goto('/audit?action=members');
  await expect(page.getByRole('row').filter({ hasText: email }).filter({ hasText: 'Member added' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: email }).filter({ hasText: 'viewer → editor' })).toBeVisible();
});
