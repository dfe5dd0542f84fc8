import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from './support/test';
import { adminCli, createKey } from './support/admin-cli';
import { call, expectProblem } from './support/api';
import { signIn } from './support/auth';
import { expectOrgShown } from './support/org';
import { hydrated } from './support/hydration';
import { ADMIN_EMAIL } from './support/env';
import { invite, joinAsNewPerson } from './support/members';

// Accounts and tenancy as people meet them: invitations between organisations, the switcher, leaving,
// removal, sessions that end, keys that follow their owner, and one set of security headers.

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

async function switchTo(page: Page, email: string, orgName: string) {
  await hydrated(page);
  await page.getByRole('button', { name: email }).click();
  await page
    .getByRole('navigation', { name: 'Organisations' })
    .getByRole('button', { name: new RegExp(`^${orgName}`) })
    .click();
  await expectOrgShown(page, `${orgName}`);
}

test('admin of A invites B’s owner, who accepts, switches between A and B and leaves A; the inviter never learns whether the account existed', async ({
  page,
  browser,
}) => {
  const slug = unique('bravo');
  const bOwner = `${unique('owner')}@example.com`;
  const password = 'bravo-password-123';
  await adminCli(['org', 'create', slug, '--name', `Bravo ${slug}`]);
  await adminCli(['user', 'create', bOwner, '--org', slug, '--role', 'owner', '--password', password]);

  // A (Demo) invites B's owner, spelled differently, and someone with no account: the same answer.
  await signIn(page);
  const existing = await invite(page, bOwner.toUpperCase(), 'editor');
  const nobody = `${unique('nobody')}@example.com`;
  const stranger = await invite(page, nobody, 'editor');
  expect(existing.message.replace(bOwner, '<email>')).toBe(stranger.message.replace(nobody, '<email>'));
  const pending = page.getByRole('region', { name: 'Pending invitations' });
  for (const email of [bOwner, nobody])
    await expect(pending.getByRole('row').filter({ hasText: email })).toContainText('Editor');

  // B's owner signs in to B, sees the invitation, accepts: the console is now in A.
  const context = await browser.newContext();
  const b = await context.newPage();
  await signIn(b, bOwner, password);
  await expectOrgShown(b, `Bravo ${slug}`);
  const banner = b.getByRole('region', { name: 'Invitations' });
  await expect(banner).toContainText('You are invited to join Demo as editor.');
  await banner.getByRole('button', { name: 'Accept' }).click();
  await expectOrgShown(b, 'Demo');
  await expect(banner).toHaveCount(0);

  // The switcher goes back and forth; each page acts in the chosen organisation.
  await switchTo(b, bOwner, `Bravo ${slug}`);
  await b.goto('/settings/members');
  await expect(b.getByRole('row').filter({ hasText: bOwner })).toHaveCount(1);
  await expect(b.getByRole('row').filter({ hasText: ADMIN_EMAIL })).toHaveCount(0);
  await switchTo(b, bOwner, 'Demo');
  await b.goto('/settings/members');
  await expect(b.getByRole('row').filter({ hasText: ADMIN_EMAIL })).toHaveCount(1);

  // B's owner leaves A and is back in B.
  await hydrated(b);
  await b.getByRole('button', { name: 'Leave organisation' }).click();
  await b.getByRole('dialog').getByRole('button', { name: 'Leave' }).click();
  await expectOrgShown(b, `Bravo ${slug}`);
  await b.getByRole('button', { name: bOwner }).click();
  await expect(b.getByRole('navigation', { name: 'Organisations' }).getByRole('button')).toHaveCount(1);
  await context.close();

  await page.goto('/audit?action=members');
  await expect(
    page.getByRole('row').filter({ hasText: bOwner }).filter({ hasText: 'Member left' }),
  ).toBeVisible();
});

test('removing a member ends their access on their next click; the role select keeps its size at 390 px', async ({
  page,
  browser,
}) => {
  const email = `${unique('removed')}@example.com`;
  await signIn(page);
  const { link } = await invite(page, email, 'viewer');
  const context = await browser.newContext();
  const member = await context.newPage();
  await joinAsNewPerson(member, link, 'removed-password-123');
  await expect(member.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/settings/members');
  const select = page.getByLabel(`Role of ${email}`);
  await select.scrollIntoViewIfNeeded();
  const box = await select.boundingBox();
  expect(box!.width).toBeGreaterThanOrEqual(100);
  expect(box!.height).toBeGreaterThanOrEqual(32);

  await page.getByRole('button', { name: `Remove ${email}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByLabel(`Role of ${email}`)).toHaveCount(0);

  await member.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
  await expect(member).toHaveURL(/\/login\?error=NoMembership/);
  await context.close();
});

test('a session cookie copied before sign-out is refused after it', async ({ page, browser }) => {
  await signIn(page);
  const copied = await page.context().cookies();
  const thief = await browser.newContext();
  await thief.addCookies(copied);
  const stolen = await thief.newPage();
  await stolen.goto('/jobs');
  await expect(stolen.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();

  await page.goto('/jobs');
  await page.getByRole('button', { name: ADMIN_EMAIL }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);

  await stolen.goto('/jobs');
  await expect(stolen).toHaveURL(/\/login\?.*error=SessionExpired/);
  expect(
    (
      await stolen.request.get('/api/console/runs/00000000-0000-0000-0000-000000000000/logs', {
        maxRedirects: 0,
      })
    ).status(),
  ).not.toBe(200);
  await thief.close();
});

test('a demoted editor’s key answers 401 api_key_owner_inactive; back as editor, it works again', async ({
  request,
}) => {
  const email = `${unique('keyowner')}@example.com`;
  await adminCli([
    'user',
    'create',
    email,
    '--org',
    'demo',
    '--role',
    'editor',
    '--password',
    'key-owner-password-1',
  ]);
  const token = await createKey({ name: unique('e2e-owner'), owner: email });
  const status = { id: 'hello-world', action: 'status' };
  expect((await call(request, { key: token, body: status })).status()).toBe(200);
  await adminCli(['member', 'role', '--org', 'demo', email, '--role', 'viewer']);
  await expectProblem(
    await call(request, { key: token, body: { id: 'hello-world' } }),
    401,
    'api_key_owner_inactive',
  );
  await adminCli(['member', 'role', '--org', 'demo', email, '--role', 'editor']);
  expect((await call(request, { key: token, body: status })).status()).toBe(200);
});

test('hot-path answers carry the same security headers as a console page; openapi.json ignores a forged host', async ({
  request,
}) => {
  const names = [
    'strict-transport-security',
    'x-frame-options',
    'referrer-policy',
    'permissions-policy',
    'x-content-type-options',
    'cross-origin-opener-policy',
  ];
  const page = (await request.get('/login')).headers();
  const hot = (await call(request, { key: null, body: { id: 'hello-world' } })).headers();
  for (const name of names) {
    expect(page[name], name).toBeTruthy();
    expect(hot[name], name).toBe(page[name]);
  }
  const openapi = await request.get('/etl-mgr/api/openapi.json', {
    headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
  });
  expect(JSON.stringify((await openapi.json()).servers)).not.toContain('evil.example');
  expect(openapi.headers()['cache-control']).not.toMatch(/public/);
});
