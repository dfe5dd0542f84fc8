import http from 'node:http';
import { expect, test } from './support/test';
import { Webhook } from 'standardwebhooks';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { adminCli } from './support/admin-cli';
import { signIn } from './support/auth';
import { E2E_BASE_URL, WEBHOOK_RECEIVER_PORT } from './support/env';
import { state } from './support/state';

// A person schedules a job in the job form and sees the scheduled run appear; adds a webhook endpoint,
// copies its secret once, and redelivers a delivery that a local receiver verifies.

test('a schedule added in the job form shows its next times and makes a scheduled run', async ({ page }) => {
  test.setTimeout(150_000);
  const name = `e2e-scheduled-${Date.now()}`;
  await signIn(page);
  await page.goto('/jobs/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Executable', { exact: true }).fill('node');
  await page.getByRole('button', { name: 'Add argument' }).click();
  await page.getByLabel('Argument 1', { exact: true }).fill('-e');
  await page.getByRole('button', { name: 'Add argument' }).click();
  await page
    .getByLabel('Argument 2', { exact: true })
    .fill("console.log('scheduled', process.env.JOB_PARAMS)");

  await page.getByRole('button', { name: 'Add schedule' }).click();
  const schedule = page.getByRole('group', { name: 'Schedule 1' });
  await schedule.getByLabel('Cron expression').fill('30 2 * * *');
  await schedule.getByLabel('Time zone').fill('Europe/Berlin');
  await expect(schedule.getByTestId('schedule-reading')).toHaveText('At 02:30 AM, every day, Europe/Berlin');
  await expect(schedule.getByRole('list', { name: 'Next times' }).getByRole('listitem')).toHaveCount(5);
  await expect(
    schedule.getByRole('list', { name: 'Next times' }).getByRole('listitem').first(),
  ).toContainText('02:30');

  await schedule.getByLabel('Cron expression').fill('61 * * * *');
  await expect(schedule.getByTestId('schedule-reading')).toHaveCount(0);
  await schedule.getByLabel('Cron expression').fill('* * * * *');
  await schedule.getByLabel('Time zone').fill('UTC');
  await expect(schedule.getByTestId('schedule-reading')).toHaveText('Every minute, UTC');
  await schedule.getByLabel('Params (JSON, optional)').fill('{"from": "the schedule"}');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText('Every minute, UTC')).toBeVisible();

  // Within the next minute (plus the worker's 5 s look), a run started by the schedule appears.
  await expect(async () => {
    await page.goto('/runs?trigger=schedule');
    await expect(page.getByRole('main').getByRole('link', { name, exact: true }).first()).toBeVisible({
      timeout: 1_000,
    });
  }).toPass({ timeout: 80_000, intervals: [3_000] });
  const row = page
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name, exact: true }) })
    .first();
  await expect(row).toContainText('Schedule');
  await row.getByRole('link', { name: new RegExp(`^Run .* of ${name}$`) }).click();
  await expect(page.getByText('* * * * * (UTC)')).toBeVisible();

  // The edit form keeps the schedule; turning it off stops it.
  await page.goto('/jobs');
  await page.getByRole('main').getByRole('link', { name, exact: true }).click();
  await page.getByRole('link', { name: 'Edit job' }).click();
  await expect(page.getByRole('group', { name: 'Schedule 1' }).getByLabel('Cron expression')).toHaveValue(
    '* * * * *',
  );
  await page
    .getByRole('group', { name: 'Schedule 1' })
    .getByRole('checkbox', { name: 'On', exact: true })
    .uncheck();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Changes saved')).toBeVisible();
  await expect(page.getByText('Off', { exact: true })).toBeVisible();
});

test('a webhook endpoint: secret copied once, deliveries verified, a delivery redelivered', async ({
  page,
  context,
}) => {
  test.setTimeout(90_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: E2E_BASE_URL });
  const received: { headers: Record<string, string>; body: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(WEBHOOK_RECEIVER_PORT, '127.0.0.1', resolve));
  try {
    await signIn(page);
    await page.goto('/integrations/webhooks');
    await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
    const url = `http://127.0.0.1:${WEBHOOK_RECEIVER_PORT}/hook/${Date.now()}`;
    await page.getByLabel('Endpoint URL').fill(url);
    await page.getByLabel('run.started').uncheck();
    await page.getByLabel('run.failed').uncheck();
    await page.getByLabel('run.succeeded').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();

    const secretText = page.getByLabel('Signing secret', { exact: true });
    await expect(secretText).toHaveText(/^whsec_/);
    const secret = (await secretText.textContent())!;
    await page.getByRole('button', { name: 'Copy the signing secret' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    // Shown once: gone after a reload.
    await page.reload();
    await expect(page.getByLabel('Signing secret', { exact: true })).toHaveCount(0);
    await expect(page.getByRole('link', { name: url })).toBeVisible();

    const { keys, jobs } = state();
    const res = await fetch(`${E2E_BASE_URL}/etl-mgr/api/apijob`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': keys.main },
      body: JSON.stringify({ id: jobs.threeLines }),
    });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    const mine = () => received.filter((r) => JSON.parse(r.body).data?.id === runId);
    await expect.poll(() => mine().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    const event = new Webhook(secret).verify(mine()[0].body, mine()[0].headers) as {
      type: string;
      data: { id: string; status: string };
    };
    expect(event).toMatchObject({ type: 'run.succeeded', data: { id: runId, status: 'succeeded' } });

    await page.getByRole('link', { name: url }).click();
    const delivery = page.getByRole('row').filter({ hasText: 'run.succeeded' }).first();
    await expect(delivery).toContainText('succeeded');
    await expect(delivery).toContainText('200');
    await delivery.getByRole('button', { name: 'Redeliver' }).click();
    await expect(delivery.getByRole('status')).toHaveText('Queued');
    await expect.poll(() => mine().length, { timeout: 30_000 }).toBe(2);
    expect(mine()[1].headers['webhook-id']).toBe(mine()[0].headers['webhook-id']);
    expect(() => new Webhook(secret).verify(mine()[1].body, mine()[1].headers)).not.toThrow();
  } finally {
    receiver.close();
  }
});

test('the admin CLI: a job file with schedules, and webhook create printing the secret alone on the last line', async ({
  page,
}) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'e2e-schedules-'));
  try {
    const name = `e2e-cli-scheduled-${Date.now()}`;
    const file = path.join(dir, 'job.json');
    writeFileSync(
      file,
      JSON.stringify({
        name,
        type: 'command',
        config: { command: 'node', args: ['-e', ''] },
        schedules: [{ cron: '30 2 * * *', timezone: 'Europe/Berlin', params: {}, enabled: true }],
      }),
    );
    await adminCli(['job', 'create', '--org', 'demo', '--file', file]);
    const { lastLine } = await adminCli([
      'webhook',
      'create',
      '--org',
      'demo',
      '--url',
      'https://hooks.example.com/etl',
      '--events',
      'run.succeeded,run.failed',
    ]);
    expect(lastLine).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await expect(
      adminCli([
        'webhook',
        'create',
        '--org',
        'demo',
        '--url',
        'https://hooks.example.com/etl',
        '--events',
        'run.finished',
      ]),
    ).rejects.toThrow(/events/);

    await signIn(page);
    await page.goto('/jobs');
    await page.getByRole('main').getByRole('link', { name, exact: true }).click();
    await expect(page.getByText('At 02:30 AM, every day, Europe/Berlin')).toBeVisible();
    await page.goto('/integrations/webhooks');
    await expect(page.getByRole('link', { name: 'https://hooks.example.com/etl' }).first()).toBeVisible();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
