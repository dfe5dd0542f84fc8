import AxeBuilder from '@axe-core/playwright';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Browser, type Page } from './support/test';
import { adminCli, createKey } from './support/admin-cli';
import { call, expectJson, waitForRun } from './support/api';
import { signIn } from './support/auth';
import { hydrated } from './support/hydration';

// A person builds a pipeline with a fan-out and a fan-in in the console; a program starts it with a key
// scoped to the pipeline; the run page draws it live; a failing step fails the pipeline while its
// sibling finishes; the person fixes the job and starts the failed step again; the flow finishes.
// Its own organisation and owner, so it runs beside the other specs.

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const node = process.execPath;
const org = `pipe-${randomUUID().slice(0, 8)}`;
const email = `${org}@example.test`;
const password = 'pipeline-password-123';
const jobIds: Record<string, string> = {};

async function job(name: string, script: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pipe-e2e-'));
  const file = path.join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      type: 'command',
      concurrency: 'parallel',
      timeoutSeconds: 60,
      config: { command: node, args: ['-e', script] },
    }),
  );
  const { stdout } = await adminCli(['job', 'create', '--org', org, '--file', file]);
  jobIds[name] = (JSON.parse(stdout.slice(stdout.indexOf('{'))) as { id: string }).id;
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await adminCli(['org', 'create', org, '--name', 'Pipelines Org']);
  // Its steps are command jobs: an operator's grant (issue 23).
  await adminCli(['org', 'grant-commands', org]);
  await Promise.all([
    adminCli(['user', 'create', email, '--org', org, '--role', 'admin', '--password', password]),
    job('extract', "console.log('extracted')"),
    job('orders', "console.error('orders: source table missing'); process.exit(1)"),
    job('customers', "setTimeout(() => console.log('customers loaded'), 2500)"),
    job('report', "console.log('report written')"),
  ]);
});

async function session(browser: Browser, width: number, colorScheme: 'light' | 'dark' = 'light') {
  const context = await browser.newContext({
    viewport: { width, height: width > 500 ? 900 : 844 },
    colorScheme,
  });
  const page = await context.newPage();
  await signIn(page, email, password);
  return page;
}

async function axe(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
}

/** Step i of the form: its id, its job, the steps it runs after. */
async function fillStep(page: Page, i: number, id: string, parents: string[] = []) {
  const step = page.getByTestId(`step-${i}`);
  await step.getByLabel('Step id').fill(id);
  await step.getByLabel('Job').selectOption({ label: id });
  for (const parent of parents) await step.getByLabel(parent, { exact: true }).check();
}

const stepNode = (page: Page, id: string) =>
  page.getByTestId('pipeline-graph').locator(`[data-step="${id}"] [data-step-status]`);

test('a pipeline built in the console, started with a key, followed live, and started again at its failed step', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const page = await session(browser, 1440);

  // Build it: extract → (orders, customers) → report.
  await page.goto('/jobs/new');
  await hydrated(page);
  await page.getByLabel('Name', { exact: true }).fill('nightly');
  await page.getByRole('radio', { name: /^Pipeline/ }).check();
  await fillStep(page, 0, 'extract');
  for (const [i, id, parents] of [
    [1, 'orders', ['extract']],
    [2, 'customers', ['extract']],
    [3, 'report', ['orders', 'customers']],
  ] as const) {
    await page.getByRole('button', { name: 'Add step' }).click();
    await fillStep(page, i, id, [...parents]);
  }
  await page.getByTestId('step-3').getByLabel('Params (JSON)').fill('{"day": {"$param": "day"}}');
  await axe(page);
  await page.screenshot({ path: 'e2e/screenshots/pipeline-form-desktop.png', fullPage: true });
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}(\?|$)/);
  const pipelineId = new URL(page.url()).pathname.split('/').pop()!;

  // A program starts it with a key scoped to the pipeline alone.
  const key = await createKey({ name: 'nightly-key', org, owner: email, jobs: [pipelineId] });
  const started = await expectJson(
    await call(page.request, { key, body: { id: 'nightly', params: { day: '2026-12-08' } } }),
    202,
  );
  const runId = started.runId as string;

  // Followed live: orders fails, its sibling customers goes on and finishes, report is skipped.
  await page.goto(`/runs/${runId}`);
  await hydrated(page);
  await expect(stepNode(page, 'orders')).toHaveAttribute('data-step-status', 'failed', { timeout: 30_000 });
  await expect(stepNode(page, 'customers')).toHaveAttribute('data-step-status', 'succeeded', {
    timeout: 30_000,
  });
  await expect(stepNode(page, 'report')).toHaveAttribute('data-step-status', 'skipped');
  await expect(page.getByTestId('run-summary')).toContainText(/failed/i);
  const failed = await waitForRun(page.request, key, runId);
  expect(failed.status).toBe('failed');
  expect(failed.steps.map((s: { id: string; status: string }) => `${s.id}:${s.status}`)).toEqual([
    'extract:succeeded',
    'orders:failed',
    'customers:succeeded',
    'report:skipped',
  ]);
  await axe(page);
  await page.screenshot({ path: 'e2e/screenshots/pipeline-failed-desktop.png', fullPage: true });

  // The step's log is an ordinary run's log.
  await stepNode(page, 'orders').getByRole('link', { name: 'Log of step orders' }).click();
  await expect(page.getByText('orders: source table missing')).toBeVisible({ timeout: 15_000 });

  // Fix the job, then start the failed step again: the flow goes on from there.
  await page.goto(`/jobs/${jobIds.orders}/edit`);
  await hydrated(page);
  await page.getByRole('textbox', { name: 'Argument 2' }).fill("console.log('orders loaded')");
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${jobIds.orders}(\\?|$)`));
  await page.goto(`/runs/${runId}`);
  await hydrated(page);
  await stepNode(page, 'orders').getByRole('button', { name: 'Start orders again' }).click();
  await expect(stepNode(page, 'report')).toHaveAttribute('data-step-status', 'succeeded', {
    timeout: 30_000,
  });
  await expect(stepNode(page, 'orders')).toContainText('attempt 2');
  await expect(page.getByTestId('run-summary')).toContainText(/succeeded/i, { timeout: 15_000 });
  const done = await waitForRun(page.request, key, runId);
  expect(done.status).toBe('succeeded');
  expect(done.steps.find((s: { id: string }) => s.id === 'orders')).toMatchObject({ attempt: 2 });
  await page.screenshot({ path: 'e2e/screenshots/pipeline-succeeded-desktop.png', fullPage: true });

  // Dark, and on a 390 px phone: a list instead of the graph.
  const dark = await session(browser, 1440, 'dark');
  await dark.goto(`/runs/${runId}`);
  await expect(dark.getByTestId('pipeline-graph')).toBeVisible();
  await axe(dark);
  await dark.screenshot({ path: 'e2e/screenshots/pipeline-succeeded-desktop-dark.png', fullPage: true });
  for (const scheme of ['light', 'dark'] as const) {
    const phone = await session(browser, 390, scheme);
    await phone.goto(`/runs/${runId}`);
    await expect(phone.getByTestId('pipeline-graph')).toBeHidden();
    const list = phone.getByTestId('pipeline-list');
    await expect(list.locator('li')).toHaveCount(4);
    await expect(list.locator('[data-step="report"] [data-step-status]')).toHaveAttribute(
      'data-step-status',
      'succeeded',
    );
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await axe(phone);
    await phone.screenshot({ path: `e2e/screenshots/pipeline-phone-${scheme}.png`, fullPage: true });
  }
});
