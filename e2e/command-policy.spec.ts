import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from './support/test';
import { adminCli, createKey } from './support/admin-cli';
import { call } from './support/api';
import { signIn } from './support/auth';

// Who may define a command job, under the default COMMAND_JOBS=admins: an editor is refused beside the
// Executable field (and may still save an HTTP job), an admin saves the same job. The admin CLI is an
// operator: it passes the role rule (the global setup makes command jobs with it) but not the allowlists.

async function fillCommandJob(page: Page, name: string): Promise<void> {
  await page.goto('/jobs/new');
  await expect(page.getByRole('heading', { level: 1, name: 'Create job' })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Executable', { exact: true }).fill('/bin/echo');
  await page.getByRole('button', { name: 'Add argument' }).click();
  await page.getByLabel('Argument 1', { exact: true }).fill('hello');
}

test('an editor cannot save a command job and sees why beside the Executable field', async ({ page }) => {
  const email = `editor-${Date.now().toString(36)}@example.com`;
  await adminCli([
    'user',
    'create',
    email,
    '--org',
    'demo',
    '--role',
    'editor',
    '--password',
    'editor-password-123',
  ]);
  await signIn(page, email, 'editor-password-123');
  const name = `editor-command-${Date.now().toString(36)}`;
  await fillCommandJob(page, name);
  await expect(page.getByLabel('Network access')).not.toBeChecked();
  // Said up front beside the field, and again as the field's error when saved anyway.
  await expect(page.getByText(/^Only admins and owners may define command jobs/)).toBeVisible();
  await page.getByRole('button', { name: 'Create job' }).click();

  const executable = page.getByLabel('Executable', { exact: true });
  await expect(executable).toHaveAttribute('aria-invalid', 'true');
  const errorId = (await executable.getAttribute('aria-describedby'))!
    .split(' ')
    .find((id) => id.endsWith('-error'))!;
  await expect(page.locator(`[id="${errorId}"]`)).toContainText(
    'Only admins and owners may define command jobs in this organisation',
  );
  await expect(page).toHaveURL(/\/jobs\/new$/);

  // An HTTP job to an internal address is refused beside the URL; to a public one it is saved.
  await page.getByText('HTTP request', { exact: true }).click();
  const url = page.getByLabel('URL', { exact: true });
  await url.fill('http://169.254.169.254/latest/meta-data/');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(url).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/169\.254\.169\.254 is refused: link-local addresses/)).toBeVisible();
  await url.fill('https://etl.example.com/hooks/load');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}\?created=1$/);

  await page.goto('/jobs');
  await expect(page.getByRole('main').getByRole('link', { name, exact: true })).toBeVisible();
});

test('an admin saves the same command job', async ({ page }) => {
  const email = `admin-${Date.now().toString(36)}@example.com`;
  await adminCli([
    'user',
    'create',
    email,
    '--org',
    'demo',
    '--role',
    'admin',
    '--password',
    'admin-password-123',
  ]);
  await signIn(page, email, 'admin-password-123');
  const name = `admin-command-${Date.now().toString(36)}`;
  await fillCommandJob(page, name);
  await expect(page.getByText(/Only admins and owners may define command jobs/)).toHaveCount(0);
  await page.getByLabel('Network access').check();
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}\?created=1$/);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
});

test('the admin CLI refuses loader environment names and commands outside COMMAND_ALLOWLIST', async () => {
  const file = path.join(tmpdir(), `cli-job-${Date.now().toString(36)}.json`);
  const save = (config: object) => {
    writeFileSync(file, JSON.stringify({ name: `cli-${Date.now().toString(36)}`, type: 'command', config }));
    return adminCli(['job', 'create', '--org', 'demo', '--file', file]).then(
      () => 'saved',
      (error: Error) => error.message,
    );
  };
  expect(await save({ command: '/bin/echo', env: { LD_PRELOAD: '/tmp/x.so' } })).toMatch(
    /config\.env\.LD_PRELOAD: LD_PRELOAD changes how programs load .*\(env_not_allowed\)/,
  );
  process.env.COMMAND_ALLOWLIST = '/usr/bin/*';
  try {
    expect(await save({ command: '/bin/echo' })).toMatch(
      /config\.command: \/bin\/echo is not among the executables this server allows .*\(command_not_allowed\)/,
    );
    expect(await save({ command: '/usr/bin/echo' })).toBe('saved');
  } finally {
    delete process.env.COMMAND_ALLOWLIST;
  }
});

test('a catastrophic params pattern answers 422 at once, and /api/health is not held up', async ({
  request,
}) => {
  const file = path.join(tmpdir(), `redos-${Date.now().toString(36)}.json`);
  const name = `redos-${Date.now().toString(36)}`;
  writeFileSync(
    file,
    JSON.stringify({
      name,
      type: 'http',
      config: { url: 'https://etl.example.com/hook' },
      paramsSchema: { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } },
    }),
  );
  await adminCli(['job', 'create', '--org', 'demo', '--file', file]);
  const key = await createKey({ name: `redos-${Date.now().toString(36)}`, rateLimit: 0 });
  await call(request, { key, body: { id: name, params: { s: 'aaa' }, dryRun: true } }); // compiled once

  const started = Date.now();
  const timed = async (promise: Promise<{ status(): number }>) => {
    const res = await promise;
    return { status: res.status(), ms: Date.now() - started };
  };
  const [start, health] = await Promise.all([
    timed(call(request, { key, body: { id: name, params: { s: 'a'.repeat(40) + '!' } } })),
    timed(request.get('/api/health')),
  ]);
  console.log(
    `[redos] start answered ${start.status} in ${start.ms} ms, /api/health ${health.status} in ${health.ms} ms`,
  );
  expect(start.status).toBe(422);
  expect(health.status).toBe(200);
  // 40 characters took hours before (each one doubles it); a loaded CI machine still answers well within this.
  expect(Math.max(start.ms, health.ms)).toBeLessThan(1_000);
});
