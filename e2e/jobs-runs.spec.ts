import { expect, test, type Page } from './support/test';
import { adminCli } from './support/admin-cli';
import { signIn } from './support/auth';

// The console's jobs and runs in a real browser against real workers: Run now with params, a live log
// that follows a countdown until it is cancelled, a failing job's exit code, creating a job through the
// form, and what a viewer may not do.

const SAMPLE_JOBS = ['hello-world', 'countdown', 'always-fails'];

/** Opens a job's page from the jobs list (by its link). */
async function openJob(page: Page, name: string): Promise<void> {
  await page.goto('/jobs');
  await page.getByRole('main').getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/**
 * Fills "Params (JSON)" and presses "Run now"; lands on the new run's page. A job that runs one at a
 * time may be busy with another test's run (the API tests start countdown too): then it tries again.
 */
async function runNow(page: Page, params: string): Promise<string> {
  const runUrl = /\/runs\/([0-9a-f-]{36})$/;
  const busy = page.getByRole('alert').filter({ hasText: 'already queued or running' });
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    await page.getByLabel('Params (JSON)').fill(params);
    await page.getByRole('button', { name: 'Run now' }).click();
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      const match = runUrl.exec(new URL(page.url()).pathname);
      if (match) return match[1];
      if (await busy.isVisible()) break;
      await page.waitForTimeout(200);
    }
    await page.waitForTimeout(2_000);
    await page.reload();
  }
  throw new Error('Run now did not open a run (the job stayed busy with another run?)');
}

const log = (page: Page) => page.getByRole('log', { name: 'Run log' });
/** A log line of that stream whose text is exactly `text`. */
const line = (page: Page, stream: 'stdout' | 'stderr', text: string) =>
  log(page)
    .locator(`[data-stream="${stream}"]`)
    .filter({ has: page.locator('[data-line-text]', { hasText: new RegExp(`^${text}$`) }) });
const summary = (page: Page) => page.getByTestId('run-summary');

test('the jobs list shows the three sample jobs with their type', async ({ page }) => {
  await signIn(page);
  await page.goto('/jobs');
  await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible();
  const table = page.getByRole('table', { name: /Jobs of this organisation/ });
  for (const name of SAMPLE_JOBS) {
    const row = table.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
    await expect(row).toBeVisible();
    await expect(row.getByText('Command', { exact: true })).toBeVisible();
  }
  await expect(page.getByRole('link', { name: 'Create job' })).toBeVisible();
});

test('Run now on hello-world with {"name":"Ada"}: the run succeeds and its log says hello, Ada', async ({
  page,
}) => {
  await signIn(page);
  await openJob(page, 'hello-world');
  const runId = await runNow(page, '{"name":"Ada"}');

  await expect(summary(page)).toContainText('Succeeded', { timeout: 30_000 });
  await expect(log(page).locator('[data-stream="stdout"]').filter({ hasText: 'hello, Ada' })).toBeVisible();
  await expect(page.getByTestId('exit-code')).toHaveText('0');
  await expect(page.getByTestId('run-params')).toContainText('"name": "Ada"');
  await expect(page.getByTestId('log-connection')).toHaveAttribute('data-connection', 'done');
  // Who started it: the console, by the signed-in owner.
  await expect(page.getByText('Started by').locator('..')).toContainText('Console');

  // The runs list shows it, and its filters find it.
  await page.goto('/runs?status=succeeded&trigger=console');
  await expect(page.locator(`[data-run-id="${runId}"]`)).toBeVisible();
  await page.goto('/runs?status=failed');
  await expect(page.locator(`[data-run-id="${runId}"]`)).toHaveCount(0);
});

test('params that do not fit the job’s schema are refused beside the params field', async ({ page }) => {
  await signIn(page);
  await openJob(page, 'hello-world');
  const params = page.getByLabel('Params (JSON)');

  await params.fill('{"name": ');
  await page.getByRole('button', { name: 'Run now' }).click();
  await expect(page.getByText(/Not valid JSON/)).toBeVisible();
  await expect(params).toHaveAttribute('aria-invalid', 'true');

  await params.fill('{"name": 5, "extra": true}');
  await page.getByRole('button', { name: 'Run now' }).click();
  await expect(page.getByText(/name: must be string/)).toBeVisible();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
});

test('countdown with seconds 20: lines arrive live, Cancel ends the run cancelled', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  await openJob(page, 'countdown');
  await runNow(page, '{"seconds": 20}');

  // A marker on the window: it survives only if the page is never reloaded.
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
  const stdout = log(page).locator('[data-stream="stdout"]');
  await expect(line(page, 'stdout', '20')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('log-connection')).toHaveAttribute('data-connection', 'live');
  const before = await stdout.count();
  await expect(line(page, 'stdout', '17')).toBeVisible({ timeout: 10_000 });
  expect(await stdout.count()).toBeGreaterThan(before);
  await expect(summary(page)).toContainText('Running');

  await page.getByRole('button', { name: 'Cancel run' }).click();
  // A confirmation first; after it the button stays disabled until the run has ended.
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel run' }).click();
  await expect(page.getByRole('button', { name: 'Cancelling…' }).first()).toBeDisabled();
  await expect(summary(page)).toContainText('Cancelled', { timeout: 10_000 });
  await expect(page.locator('header [data-status="cancelled"]')).toBeVisible();
  await expect(page.getByTestId('log-connection')).toHaveAttribute('data-connection', 'done');
  await expect(page.getByRole('button', { name: 'Cancel run' })).toHaveCount(0);
  // It ended well before the countdown could have: no line "1".
  await expect(line(page, 'stdout', '1')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
});

test('always-fails ends failed with exit code 1 and its stderr marked in the log', async ({ page }) => {
  await signIn(page);
  await openJob(page, 'always-fails');
  await runNow(page, '{}');

  await expect(summary(page)).toContainText('Failed with exit code 1', { timeout: 30_000 });
  await expect(page.getByTestId('exit-code')).toHaveText('1');
  const stderr = log(page)
    .locator('[data-stream="stderr"]')
    .filter({ hasText: 'error: this job always fails' });
  await expect(stderr).toBeVisible();
  await expect(stderr).toContainText('stderr:'); // the screen-reader label
  await expect(page.locator('header [data-status="failed"]')).toBeVisible();
});

test('a job created through the form is listed and runs', async ({ page }) => {
  const name = `console-made-${Date.now().toString(36)}`;
  await signIn(page);
  await page.goto('/jobs');
  await page.getByRole('link', { name: 'Create job' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Create job' })).toBeVisible();

  // An empty form is refused beside its fields.
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByText('Give the job a name')).toBeVisible();
  await expect(page.getByText('Give the executable to run')).toBeVisible();

  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Description').fill('Made by the console e2e test');
  await page.getByLabel('Executable', { exact: true }).fill('node');
  await page.getByRole('button', { name: 'Add argument' }).click();
  await page.getByLabel('Argument 1', { exact: true }).fill('-e');
  await page.getByRole('button', { name: 'Add argument' }).click();
  await page
    .getByLabel('Argument 2', { exact: true })
    .fill("console.log('made in the console'); console.error('a warning')");
  await page.getByLabel('In parallel').check();
  await page.getByLabel('Timeout (seconds)').fill('60');
  await page.getByRole('button', { name: 'Create job' }).click();

  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}\?created=1$/);
  await expect(page.getByText('Job created.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

  await page.goto('/jobs');
  await expect(page.getByRole('main').getByRole('link', { name, exact: true })).toBeVisible();

  // The same name again is refused beside the name field.
  await page.goto('/jobs/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Executable', { exact: true }).fill('node');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByText('Already used in this organisation')).toBeVisible();

  await openJob(page, name);
  await runNow(page, '{}');
  await expect(summary(page)).toContainText('Succeeded', { timeout: 30_000 });
  await expect(
    log(page).locator('[data-stream="stdout"]').filter({ hasText: 'made in the console' }),
  ).toBeVisible();
  await expect(log(page).locator('[data-stream="stderr"]').filter({ hasText: 'a warning' })).toBeVisible();
});

test('a viewer sees jobs and runs but cannot create, edit or run them', async ({ page }) => {
  const email = `viewer-${Date.now().toString(36)}@example.com`;
  await adminCli([
    'user',
    'create',
    email,
    '--org',
    'demo',
    '--role',
    'viewer',
    '--password',
    'viewer-password-123',
  ]);
  await signIn(page, email, 'viewer-password-123');
  await page.goto('/jobs');
  for (const name of SAMPLE_JOBS)
    await expect(page.getByRole('main').getByRole('link', { name, exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Create job' })).toHaveCount(0);

  await openJob(page, 'hello-world');
  await expect(page.getByRole('button', { name: 'Run now' })).toHaveCount(0);
  await expect(page.getByText('Running jobs needs the editor role')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Edit job' })).toHaveCount(0);

  await page.goto('/jobs/new');
  await expect(page.getByText('Creating jobs needs the editor role')).toBeVisible();
  await page.goto('/runs');
  await expect(page.getByRole('heading', { level: 1, name: 'Runs' })).toBeVisible();
});
