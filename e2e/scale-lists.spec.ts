import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './support/test';
import pg from 'pg';
import { signIn } from './support/auth';
import { E2E_DATA_DIR, ROOT } from './support/env';

// Lists that page by cursor, in a real browser: the Runs page's Older and Newer (the cursor in the URL),
// and a run with a long log opening at its end with earlier lines on demand. The rows are written
// straight into the e2e database (a job of their own, so other tests' runs do not move the pages).

async function owner(): Promise<pg.Client> {
  const dir = path.join(ROOT, E2E_DATA_DIR);
  const { password } = JSON.parse(readFileSync(path.join(dir, 'postgres.json'), 'utf8'));
  const port = readFileSync(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3];
  const client = new pg.Client({
    connectionString: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/etl`,
  });
  await client.connect();
  return client;
}

let jobId: string;
let longRunId: string;
const RUNS = 60;
const LINES = 1_200;

test.beforeAll(async () => {
  const db = await owner();
  try {
    const name = `paging-${Date.now().toString(36)}`;
    jobId = (
      await db.query(
        `insert into "Job" (id, "orgId", name, type, config, concurrency, "updatedAt")
         select gen_random_uuid(), id, $1, 'command', '{"command":"true","args":[]}', 'parallel', now()
         from "Organization" where slug = 'demo' returning id`,
        [name],
      )
    ).rows[0].id;
    // Run n was queued n minutes ago; its externalRef names it.
    await db.query(
      `insert into "JobRun" (id, "orgId", "jobId", status, trigger, "externalRef", "queuedAt", "finishedAt", "exitCode")
       select gen_random_uuid(), j."orgId", j.id, 'succeeded', 'cli', 'paged-' || g,
         now() - make_interval(mins => g), now() - make_interval(mins => g), 0
       from "Job" j, generate_series(1, $2) g where j.id = $1`,
      [jobId, RUNS],
    );
    longRunId = (
      await db.query(`select id from "JobRun" where "jobId" = $1 and "externalRef" = 'paged-1'`, [jobId])
    ).rows[0].id;
    await db.query(
      `insert into "RunLog" ("runId", seq, stream, text) select $1, s, 'stdout', 'line ' || s from generate_series(1, $2) s`,
      [longRunId, LINES],
    );
  } finally {
    await db.end();
  }
});

test('the Runs page pages by cursor: Older, Older, then Newer comes back to the same rows', async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/runs?job=${jobId}`);
  const table = page.getByRole('table');
  const refs = async () =>
    (await table.getByText(/^paged-\d+$/).allTextContents()).map((t) => Number(t.slice(6)));
  await expect(table.getByText('paged-1', { exact: true })).toBeVisible();
  const first = await refs();
  expect(first).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  await expect(page.getByText('Newer', { exact: true })).toHaveAttribute('aria-disabled', 'true');

  await page.getByRole('link', { name: 'Older' }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(table.getByText('paged-26', { exact: true })).toBeVisible();
  expect(await refs()).toEqual(Array.from({ length: 25 }, (_, i) => i + 26));

  await page.getByRole('link', { name: 'Older' }).click();
  await expect(table.getByText('paged-60', { exact: true })).toBeVisible();
  expect(await refs()).toEqual(Array.from({ length: 10 }, (_, i) => i + 51));
  await expect(page.getByText('Older', { exact: true })).toHaveAttribute('aria-disabled', 'true');

  // A link carries its cursor: reloading the URL shows the same page.
  await page.reload();
  await expect(table.getByText('paged-60', { exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'Newer' }).click();
  await expect(table.getByText('paged-26', { exact: true })).toBeVisible();
  expect(await refs()).toEqual(Array.from({ length: 25 }, (_, i) => i + 26));
  await page.getByRole('link', { name: 'Newest' }).click();
  await expect(table.getByText('paged-1', { exact: true })).toBeVisible();
});

test('a run with 1,200 log lines opens at its end and shows earlier lines on demand', async ({ page }) => {
  await signIn(page);
  await page.goto(`/runs/${longRunId}`);
  const log = page.getByRole('log', { name: 'Run log' });
  const seqs = () => log.locator('[data-seq]');
  await expect(log.locator(`[data-seq="${LINES}"]`)).toBeVisible();
  await expect(seqs()).toHaveCount(500);
  await expect(log.locator('[data-seq="700"]')).toHaveCount(0);

  await log.getByRole('button', { name: 'Show earlier lines' }).click();
  await expect(seqs()).toHaveCount(1_000);
  await expect(seqs().first()).toHaveAttribute('data-seq', '201');
  await log.getByRole('button', { name: 'Show earlier lines' }).click();
  await expect(seqs()).toHaveCount(LINES);
  await expect(seqs().first()).toHaveAttribute('data-seq', '1');
  await expect(log.getByRole('button', { name: 'Show earlier lines' })).toHaveCount(0);
});
