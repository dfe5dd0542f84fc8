import AxeBuilder from '@axe-core/playwright';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { adminCli } from './support/admin-cli';
import { signIn } from './support/auth';
import { E2E_DATA_DIR, E2E_PORT, ROOT } from './support/env';
import { hydrated } from './support/hydration';
import { expect, test, type Browser, type BrowserContext, type Page } from './support/test';

// Integrations > Connections as people use it, in an organisation of its own: Alice (admin) saves a
// shared and a personal connection and runs a job that prints the secret; the log shows ***. Bob (admin)
// neither sees nor may use Alice's personal one; Vera (viewer) sees names, never values.

const suffix = randomUUID().slice(0, 8);
const ORG = `conn-${suffix}`;
const PASSWORD = 'connections-e2e-password';
const alice = `alice-${suffix}@example.com`;
const bob = `bob-${suffix}@example.com`;
const vera = `vera-${suffix}@example.com`;
const SECRET = `wh-${suffix}-S3cr3t/+=`;
const PERSONAL_SECRET = `tok-${suffix}-personal`;
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  await adminCli(['org', 'create', ORG, '--name', 'Connections e2e']);
  // Its job is a command job: an operator's grant (issue 23).
  await adminCli(['org', 'grant-commands', ORG]);
  await Promise.all(
    [
      [alice, 'admin'],
      [bob, 'admin'],
      [vera, 'viewer'],
    ].map(([email, role]) =>
      adminCli(['user', 'create', email, '--org', ORG, '--role', role, '--password', PASSWORD]),
    ),
  );
});

const item = (page: Page, name: string) => page.locator(`[data-connection="${name}"]`);

async function saveConnection(page: Page, fill: () => Promise<void>, name: string) {
  await page.getByLabel('Name', { exact: true }).fill(name);
  await fill();
  await page.getByRole('button', { name: 'Save connection' }).click();
  await expect(page.getByText(`Saved "${name}".`)).toBeVisible();
  await expect(item(page, name)).toBeVisible();
}

async function createJob(page: Page, name: string, script: string, pw: string) {
  await page.goto('/jobs/new');
  await hydrated(page);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Executable', { exact: true }).fill('node');
  await page.getByRole('button', { name: 'Add argument' }).click();
  await page.getByLabel('Argument 1', { exact: true }).fill('-e');
  await page.getByRole('button', { name: 'Add argument' }).click();
  await page.getByLabel('Argument 2', { exact: true }).fill(script);
  await page.getByRole('button', { name: 'Add variable' }).click();
  await page.getByLabel('Variable name 1', { exact: true }).fill('PW');
  await page.getByLabel('Variable value 1', { exact: true }).fill(pw);
  await page.getByLabel('Timeout (seconds)').fill('60');
  await page.getByRole('button', { name: 'Create job' }).click();
}

async function axe(page: Page, where: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  return violations.map((v) => `${where}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}

async function checkLayouts(
  browser: Browser,
  storageState: Awaited<ReturnType<BrowserContext['storageState']>>,
) {
  const problems: string[] = [];
  for (const [label, viewport] of [
    ['desktop', { width: 1440, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport, colorScheme, storageState });
      const page = await context.newPage();
      await page.goto('/integrations/connections');
      await hydrated(page);
      problems.push(...(await axe(page, `${label} ${colorScheme}`)));
      const { scroll, width } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        width: window.innerWidth,
      }));
      if (scroll > width) problems.push(`${label} ${colorScheme}: scroll width ${scroll} > ${width}`);
      await page.screenshot({
        path: path.join(ROOT, 'e2e', 'screenshots', `connections-${label}-${colorScheme}.png`),
        fullPage: true,
      });
      await page.getByRole('button', { name: 'Replace a value of warehouse' }).click();
      await expect(page.getByRole('dialog')).toBeVisible();
      problems.push(...(await axe(page, `${label} ${colorScheme} replace dialog`)));
      await context.close();
    }
  }
  expect(problems, problems.join('\n')).toEqual([]);
}

test('Alice saves a shared and a personal connection; a job prints the secret and its log shows ***', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  await signIn(page, alice, PASSWORD);
  await page.goto('/integrations/connections');
  await hydrated(page);
  await expect(page.getByText('No connections yet.')).toBeVisible();

  await saveConnection(
    page,
    async () => {
      await page.getByLabel('URL', { exact: true }).fill('jdbc:postgresql://warehouse.example:5432/dw');
      await page.getByLabel('User', { exact: true }).fill('etl_loader');
      await page.getByLabel(/^Password/).fill(SECRET);
    },
    'warehouse',
  );
  await saveConnection(
    page,
    async () => {
      await page.getByLabel('Type').selectOption('generic');
      await page.getByLabel(/^Personal/).check();
      await page.getByLabel('Field name').fill('token');
      await page.getByLabel(/^Value/).fill(PERSONAL_SECRET);
    },
    'alice-token',
  );
  await expect(item(page, 'warehouse')).toContainText('etl_loader');
  await expect(item(page, 'warehouse')).toContainText('secret, write-only');
  await expect(item(page, 'alice-token')).toContainText('Personal');
  expect(await page.content()).not.toContain(SECRET);
  expect(await page.content()).not.toContain(PERSONAL_SECRET);

  await checkLayouts(browser, await page.context().storageState());

  await createJob(
    page,
    `prints-secret-${suffix}`,
    "console.log('password is ' + process.env.PW); console.log('length ' + process.env.PW.length)",
    '{"connection":"warehouse","field":"password"}',
  );
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}\?created=1$/);
  await page.getByLabel('Params (JSON)').fill('{}');
  await page.getByRole('button', { name: 'Run now' }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('run-summary')).toContainText('Succeeded', { timeout: 30_000 });
  const log = page.getByRole('log', { name: 'Run log' });
  await expect(log.locator('[data-stream="stdout"]').filter({ hasText: 'password is ***' })).toBeVisible();
  await expect(
    log.locator('[data-stream="stdout"]').filter({ hasText: `length ${SECRET.length}` }),
  ).toBeVisible();
  expect(await page.content()).not.toContain(SECRET);

  await page.goto('/integrations/connections');
  await expect(item(page, 'warehouse')).not.toContainText('last used never');
});

test("Bob neither sees nor may use Alice's personal connection", async ({ page }) => {
  await signIn(page, bob, PASSWORD);
  await page.goto('/integrations/connections');
  await expect(item(page, 'warehouse')).toBeVisible();
  await expect(item(page, 'alice-token')).toHaveCount(0);
  expect(await page.content()).not.toContain('alice-token');

  await createJob(
    page,
    `uses-alice-${suffix}`,
    'console.log(process.env.PW)',
    '{"connection":"alice-token","field":"token"}',
  );
  await expect(page.getByText('No connection named "alice-token" that you may use').first()).toBeVisible();
  await expect(page).toHaveURL(/\/jobs\/new/);
});

test('Vera, a viewer, sees the names and never a value', async ({ page }) => {
  await signIn(page, vera, PASSWORD);
  await page.goto('/integrations/connections');
  await expect(item(page, 'warehouse')).toBeVisible();
  await expect(item(page, 'warehouse')).toContainText('hidden from viewers');
  await expect(item(page, 'alice-token')).toHaveCount(0);
  const html = await page.content();
  for (const value of [SECRET, 'etl_loader', 'warehouse.example']) expect(html).not.toContain(value);
  await expect(page.getByRole('button', { name: 'Save connection' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Replace a value/ })).toHaveCount(0);
  await expect(page.getByText('Adding connections needs the editor role or higher.')).toBeVisible();
});

/** Processes of this e2e app whose command line contains `marker`, by the DATA_DIR and PORT they run with. */
function appProcesses(marker: string): { pid: string; env: string }[] {
  const found: { pid: string; env: string }[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) continue;
      if (readlinkSync(`/proc/${pid}/cwd`) !== ROOT.replace(/\/$/, '')) continue;
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (env.split('\0').includes(`PORT=${E2E_PORT}`)) found.push({ pid, env });
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

test('the web server the launcher started holds no private key: not in its environment, not in the files it reads', () => {
  const web = appProcesses('web-server.mjs');
  expect(web.length).toBeGreaterThan(0);
  for (const { env } of web) {
    expect(env).not.toMatch(/PRIVATE KEY/);
    expect(env).not.toMatch(/CONNECTIONS_PRIVATE_KEY/);
  }
  // DATA_DIR: the public key is readable; the private one sits in a folder only its owner may enter.
  const dir = path.join(ROOT, E2E_DATA_DIR, 'connections');
  expect(readFileSync(path.join(dir, 'public.pem'), 'utf8')).toContain('PUBLIC KEY');
  expect(statSync(path.join(dir, 'worker')).mode & 0o777).toBe(0o700);
  const keys = readdirSync(path.join(dir, 'worker'));
  expect(keys).toHaveLength(1);
  expect(statSync(path.join(dir, 'worker', keys[0])).mode & 0o777).toBe(0o600);
  // No other file of DATA_DIR outside the database holds a private key.
  const others = readdirSync(path.join(ROOT, E2E_DATA_DIR)).filter((f) => f !== 'connections');
  for (const file of others) {
    const full = path.join(ROOT, E2E_DATA_DIR, file);
    if (statSync(full).isFile()) expect(readFileSync(full, 'utf8')).not.toMatch(/PRIVATE KEY/);
  }
});
