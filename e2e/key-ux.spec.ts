import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from './support/test';
import { call, expectJson, expectProblem } from './support/api';
import { signIn } from './support/auth';
import { ROOT } from './support/env';

// Issue 14 in a real browser: a token is a secret on screen (masked until Reveal, each act audited once,
// visits record nothing), usage and the request log per key, and every snippet client run as pasted.

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.FORCE_COLOR;
    execFile(command, args, { cwd, timeout: 90_000, env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Creates a key with the form; the page it lands on holds the token once, right after creation. */
async function createKey(page: Page, name: string): Promise<{ id: string; token: string }> {
  await page.goto('/integrations/api-keys/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Selector').fill(`${name}-uid`);
  await page.getByRole('button', { name: 'Create API key' }).click();
  await expect(page).toHaveURL(/\/integrations\/api-keys\/[0-9a-f-]{36}$/);
  await expect(page.getByText('Key created.')).toBeVisible();
  const id = page.url().match(/api-keys\/([0-9a-f-]{36})/)![1];
  const token = await page.getByLabel('API key', { exact: true }).inputValue();
  expect(token.split('.')).toHaveLength(3);
  return { id, token };
}

const historyRows = (page: Page) =>
  page.getByRole('table', { name: 'History of this key' }).locator('tbody tr');

test('the token is not in the page until Reveal; visits record nothing, one Reveal and one Copy one event each', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page);
  const { id, token } = await createKey(page, unique('e2e-secret'));
  await expect(historyRows(page)).toHaveCount(1); // Key created

  for (let visit = 0; visit < 3; visit++) {
    await page.goto(`/integrations/api-keys/${id}`);
    await expect(page.getByLabel('API key', { exact: true })).toHaveValue(
      `${id.slice(0, 8)}…${token.slice(-4)}`,
    );
    await expect(page.getByText('Key created.')).toHaveCount(0);
    expect(await page.content()).not.toContain(token.split('.')[2]);
  }
  for (const headers of [{}, { RSC: '1' }] as Record<string, string>[]) {
    expect(await (await page.request.get(`/integrations/api-keys/${id}`, { headers })).text()).not.toContain(
      token.split('.')[2],
    );
  }
  await expect(historyRows(page)).toHaveCount(1);
  // The snippets hold a placeholder until then.
  await expect(page.locator('pre[data-snippet="curl"]')).toContainText('YOUR_API_KEY');

  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByLabel('API key', { exact: true })).toHaveValue(token);
  await expect(page.locator('pre[data-snippet="curl"]')).toContainText(token);
  await page.getByRole('button', { name: 'Hide' }).click();
  await expect(page.getByLabel('API key', { exact: true })).not.toHaveValue(token);

  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(page.getByText('API key copied to the clipboard')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  await page.reload();
  await expect(historyRows(page)).toHaveCount(3);
  await expect(historyRows(page).filter({ hasText: 'Key revealed' })).toHaveCount(1);
  await expect(historyRows(page).filter({ hasText: 'Key copied' })).toHaveCount(1);
});

test('after 5 accepted and 3 refused (404) requests, the usage and the request log show 5 and 3 with their codes', async ({
  page,
  request,
}) => {
  await signIn(page);
  const { id, token } = await createKey(page, unique('e2e-usage'));
  for (let i = 0; i < 5; i++)
    await expectJson(await call(request, { key: token, body: { id: 'hello-world', dryRun: true } }), 200);
  for (let i = 0; i < 3; i++)
    await expectProblem(
      await call(request, { key: token, body: { id: 'no-such-job' } }),
      404,
      'job_not_found',
    );

  // Written in batches within a second or so.
  await expect
    .poll(async () => {
      await page.goto(`/integrations/api-keys/${id}`);
      return page.getByTestId('request-log').locator('li').count();
    })
    .toBe(8);
  const totals = page.getByTestId('usage-totals');
  await expect(totals.locator('[data-outcome="accepted"]')).toHaveText('5');
  await expect(totals.locator('[data-outcome="404"]')).toHaveText('3');
  await expect(totals.locator('[data-outcome="total"]')).toHaveText('8');

  await page
    .getByRole('navigation', { name: 'Filter requests by outcome' })
    .getByRole('link', { name: '404', exact: true })
    .click();
  await expect(page).toHaveURL(/outcome=404/);
  const refused = page.getByTestId('request-log').locator('li');
  await expect(refused).toHaveCount(3);
  for (const row of await refused.all()) {
    await expect(row).toContainText('404');
    await expect(row).toContainText('job_not_found');
    await expect(row).toContainText('no-such-job');
  }
  await page.getByRole('navigation', { name: 'Usage period' }).getByRole('link', { name: '7 days' }).click();
  await expect(totals.locator('[data-outcome="accepted"]')).toHaveText('5');

  // The organisation's view has them too, each naming its key.
  await page.goto('/integrations/usage?outcome=404');
  await expect(
    page.getByTestId('request-log').locator('li').filter({ hasText: 'no-such-job' }).first(),
  ).toBeVisible();
});

test('every snippet client runs as pasted: curl, Python urllib and requests, fetch and axios, HttpClient and OkHttp', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page);
  const { token } = await createKey(page, unique('e2e-clients'));
  // The job select starts on a job that succeeds.
  await expect(page.getByLabel('Job', { exact: true })).toHaveValue('hello-world');
  // Inside the repository, so that `import axios` finds node_modules as it would in a project.
  const dir = await mkdtemp(path.join(ROOT, '.e2e-snippets-'));
  const clients: [string, string | null, string, string, string[]][] = [
    ['cURL', null, 'start.sh', 'bash', ['start.sh']],
    ['Python', 'Standard library', 'start_job.py', 'python3', ['start_job.py']],
    ['Python', 'requests', 'start_job.py', '/usr/bin/python3', ['start_job.py']],
    ['JavaScript', 'fetch', 'start-job.mjs', process.execPath, ['start-job.mjs']],
    ['JavaScript', 'axios', 'start-job.mjs', process.execPath, ['start-job.mjs']],
    ['Java', 'HttpClient', 'StartJob.java', 'java', ['StartJob.java']],
    [
      'Java',
      'OkHttp',
      'StartJob.java',
      'java',
      ['-cp', '/usr/share/java/okhttp.jar:/usr/share/java/okio.jar', 'StartJob.java'],
    ],
  ];
  let previous = '';
  try {
    for (const [tab, client, file, command, args] of clients) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
      if (client) await page.getByRole('radio', { name: client }).check();
      // Copy puts the whole token in; what is pasted is what the clipboard holds.
      await page
        .getByRole('tabpanel')
        .getByRole('button', { name: /^Copy .* snippet/ })
        .click();
      // The browser's clipboard is shared with other tests: wait for this copy (this key's token, a new text).
      let code = '';
      await expect
        .poll(async () => {
          code = await page.evaluate(() => navigator.clipboard.readText());
          return code !== previous && code.includes(token);
        })
        .toBe(true);
      previous = code;
      expect(code).not.toContain('YOUR_API_KEY');
      await writeFile(path.join(dir, file), code);
      const result = await run(command, args, dir);
      expect(result.code, `${tab} ${client ?? ''}: ${result.stderr}`).toBe(0);
      expect(result.stdout, `${tab} ${client ?? ''}`).toMatch(/"message":"job started"/);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('screenshots: the key page on a desktop and a phone, and the usage view (e2e/screenshots/)', async ({
  browser,
}) => {
  const shots = path.join(ROOT, 'e2e', 'screenshots');
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await desktop.newPage();
  await signIn(page);
  const { id, token } = await createKey(page, unique('pipeline'));
  for (let i = 0; i < 5; i++)
    await call(page.request, { key: token, body: { id: 'hello-world', dryRun: true } });
  for (let i = 0; i < 3; i++) await call(page.request, { key: token, body: { id: 'no-such-job' } });
  await call(page.request, { key: token, body: { id: 'hello-world' } });
  await expect
    .poll(async () => {
      await page.goto(`/integrations/api-keys/${id}`);
      return page.getByTestId('request-log').locator('li').count();
    })
    .toBe(9);
  await page.screenshot({ path: path.join(shots, 'key-page-desktop.png'), fullPage: true });
  await page.goto('/integrations/usage');
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: path.join(shots, 'usage-desktop.png'), fullPage: true });

  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    storageState: await desktop.storageState(),
  });
  const small = await phone.newPage();
  await small.goto(`/integrations/api-keys/${id}`);
  await small.waitForLoadState('networkidle');
  await small.screenshot({ path: path.join(shots, 'key-page-phone.png'), fullPage: true });
  await small.goto('/integrations/usage');
  await small.waitForLoadState('networkidle');
  await small.screenshot({ path: path.join(shots, 'usage-phone.png'), fullPage: true });
  await desktop.close();
  await phone.close();
});
