import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from './support/test';
import { call, expectJson, expectProblem } from './support/api';
import { signIn } from './support/auth';
import { hydrated } from './support/hydration';
import { invite, joinAsNewPerson } from './support/members';
import { adminCli } from './support/admin-cli';
import { E2E_DATA_DIR, ROOT } from './support/env';
import { readFileSync } from 'node:fs';
import pg from 'pg';

// Integrations > Api Keys as a person uses it, in Chromium against the real app: create with additional
// fields, the decoded token, snippets run as pasted, list without tokens, revoke, who sees a token, roll.

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

function run(
  command: string,
  args: string[],
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // As in a person's terminal: Playwright's FORCE_COLOR would make Node colour the status it logs.
    const env = { ...process.env };
    delete env.FORCE_COLOR;
    execFile(
      command,
      args,
      { cwd, timeout: 60_000, env: { ...env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

function decodePart(token: string, part: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[part], 'base64url').toString('utf8'));
}

interface FormKey {
  name: string;
  type?: 'Personal' | 'Functional';
  fields?: [string, string][];
}

/** Fills the create form (from the list, through its button) and lands on the key's preview. */
async function createKeyWithForm(page: Page, key: FormKey): Promise<{ id: string; token: string }> {
  await page.goto('/integrations/api-keys');
  await page.getByRole('link', { name: 'Create API key' }).first().click();
  await expect(page.getByRole('heading', { name: 'Create API key', level: 1 })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill(key.name);
  await page.getByLabel('Selector').fill(`${key.name}-uid`);
  await page.getByLabel('Description').fill('Made by the e2e suite');
  await page.getByRole('radio', { name: new RegExp(`^${key.type ?? 'Functional'}`) }).check();
  for (const [i, [name, value]] of (key.fields ?? []).entries()) {
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByLabel('Field name').nth(i).fill(name);
    await page.getByLabel('Field value').nth(i).fill(value);
  }
  await page.getByRole('button', { name: 'Create API key' }).click();
  await expect(page).toHaveURL(/\/integrations\/api-keys\/[0-9a-f-]{36}$/);
  await expect(page.getByText('Key created.')).toBeVisible();
  const id = page.url().match(/api-keys\/([0-9a-f-]{36})/)![1];
  const token = await page.getByLabel('API key', { exact: true }).inputValue();
  expect(token.split('.')).toHaveLength(3);
  return { id, token };
}

async function snippet(page: Page, tab: string): Promise<string> {
  await page.getByRole('tab', { name: tab, exact: true }).click();
  return (await page.getByRole('tabpanel').locator('pre').textContent()) ?? '';
}

test('create a functional key with two additional fields; the snippets start the job as pasted', async ({
  page,
}) => {
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Api Keys' }).click();
  await expect(page.getByRole('heading', { name: 'Api Keys', level: 1 })).toBeVisible();

  // The payload is shown live as the fields are typed, JSON values keeping their type.
  await page.getByRole('link', { name: 'Create API key' }).first().click();
  await page.getByLabel('Name', { exact: true }).fill('live-check');
  await hydrated(page);
  await page.getByRole('button', { name: 'Add field' }).click();
  await page.getByLabel('Field name').first().fill('tier');
  await page.getByLabel('Field value').first().fill('3');
  await expect(page.getByTestId('payload-preview')).toContainText('"app": "live-check"');
  await expect(page.getByTestId('payload-preview')).toContainText('"tier": 3');
  // A reserved name is refused beside the field.
  await page.getByLabel('Field name').first().fill('exp');
  await page.getByLabel('Field value').first().click();
  await expect(page.getByText(/Reserved: app, uid/)).toBeVisible();

  const name = unique('e2e-etl');
  const { id, token } = await createKeyWithForm(page, {
    name,
    fields: [
      ['team', 'data-platform'],
      ['tier', '3'],
    ],
  });

  // In the token and in the decoded payload, with their JSON types.
  expect(decodePart(token, 0)).toMatchObject({ alg: 'HS256', typ: 'JWT' });
  const payload = decodePart(token, 1);
  expect(payload).toMatchObject({
    app: name,
    uid: `${name}-uid`,
    org: 'demo',
    id,
    team: 'data-platform',
    tier: 3,
  });
  const decoded = page.getByRole('region', { name: 'Decoded payload' });
  await expect(decoded).toContainText('"team": "data-platform"');
  await expect(decoded).toContainText('"tier": 3');
  await expect(page.getByRole('region', { name: 'Decoded header' })).toContainText('"alg": "HS256"');

  // The snippets, for the job chosen in "Job", run as pasted.
  await page.getByLabel('Job', { exact: true }).selectOption('hello-world');
  const endpoint = await page.getByRole('textbox', { name: 'Endpoint' }).inputValue();
  expect(endpoint).toMatch(/^http:\/\/localhost:\d+\/etl-mgr\/api\/apijob$/);
  const dir = await mkdtemp(path.join(tmpdir(), 'snippets-'));
  try {
    const curl = await snippet(page, 'cURL');
    expect(curl).toContain(token);
    await writeFile(path.join(dir, 'start.sh'), curl);
    const bash = await run('bash', ['start.sh'], dir);
    expect(bash.code, bash.stderr).toBe(0);
    expect(JSON.parse(bash.stdout)).toMatchObject({ message: 'job started', status: 'queued' });

    const js = await snippet(page, 'JavaScript');
    await writeFile(path.join(dir, 'start-job.mjs'), js);
    const node = await run(process.execPath, ['start-job.mjs'], dir);
    expect(node.code, node.stderr).toBe(0);
    expect(node.stdout).toMatch(/^202 /);
    expect(JSON.parse(node.stdout.slice(4))).toMatchObject({ message: 'job started', status: 'queued' });

    const python = await snippet(page, 'Python');
    await writeFile(path.join(dir, 'start_job.py'), python);
    const py = await run('python3', ['start_job.py'], dir);
    if (py.code !== 127 && !/ENOENT/.test(py.stderr)) {
      expect(py.code, py.stderr).toBe(0);
      expect(py.stdout).toMatch(/^202 /);
    }

    const java = await snippet(page, 'Java');
    await writeFile(path.join(dir, 'StartJob.java'), java);
    const jvm = await run('java', ['StartJob.java'], dir);
    if (jvm.code !== 127 && !/ENOENT/.test(jvm.stderr)) {
      expect(jvm.code, jvm.stderr).toBe(0);
      expect(jvm.stdout).toMatch(/^202 /);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  // The Test button: a dry run from the server.
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Test result' })).toContainText('dry run ok');

  // The list holds the key, masked, and never the whole token (HTML or RSC payload).
  await page.goto('/integrations/api-keys');
  const row = page.locator(`tr[data-key-id="${id}"]`);
  await expect(row).toContainText(name);
  await expect(row).toContainText(`${id.slice(0, 8)}…${token.slice(-4)}`);
  await expect(row).toContainText('Active');
  expect(await page.content()).not.toContain(token);
  for (const headers of [{}, { RSC: '1' }] as Record<string, string>[]) {
    const res = await page.request.get('/integrations/api-keys', { headers });
    expect(res.status()).toBe(200);
    expect(await res.text()).not.toContain(token);
  }
  // Search and the status filter.
  await page.getByLabel('Search').fill(name);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.locator('tbody tr')).toHaveCount(1);
});

test('a revoked key is refused by the API at once', async ({ page, request }) => {
  await signIn(page);
  const { token } = await createKeyWithForm(page, { name: unique('e2e-revoke') });
  await expectJson(await call(request, { key: token, body: { id: 'hello-world', dryRun: true } }), 200);

  // Name and description are labels: editing them keeps the token as it was signed.
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const edit = page.getByRole('dialog');
  await edit.getByLabel('Name').fill('');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit.getByText('Give the key a name')).toBeVisible();
  await edit.getByLabel('Name').fill('renamed-before-revoke');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('renamed-before-revoke');
  await expect(page.getByLabel('API key', { exact: true })).toHaveValue(token);

  await page.getByRole('button', { name: 'Revoke' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Programs using this key are refused at once');
  await dialog.getByRole('button', { name: 'Revoke' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Revoked');

  await expectProblem(
    await call(request, { key: token, body: { id: 'hello-world' } }),
    401,
    'api_key_revoked',
  );
  // The page no longer shows the token.
  await expect(page.getByLabel('API key', { exact: true })).not.toHaveValue(token);
});

test('another member never receives the token of a personal key', async ({ page, browser }) => {
  await signIn(page);
  const { id, token } = await createKeyWithForm(page, {
    name: unique('e2e-personal'),
    type: 'Personal',
    fields: [['env', 'prod']],
  });

  // An admin of the organisation, invited on the Members page.
  const email = `${unique('member')}@example.com`;
  const { link } = await invite(page, email, 'admin');

  const context = await browser.newContext();
  const other = await context.newPage();
  await joinAsNewPerson(other, link, 'member-password-123');
  const bodies: string[] = [];
  other.on('response', async (res) => {
    try {
      bodies.push(await res.text());
    } catch {
      // redirects and aborted requests have no body
    }
  });
  await other.goto('/integrations/api-keys');
  await expect(other.locator(`tr[data-key-id="${id}"]`)).toBeVisible();
  await other.goto(`/integrations/api-keys/${id}`);
  await expect(other.getByRole('region', { name: 'Decoded payload' })).toContainText('"env": "prod"');
  await expect(other.getByLabel('API key', { exact: true })).toHaveValue(
    `${id.slice(0, 8)}…${token.slice(-4)}`,
  );
  await expect(other.getByRole('button', { name: 'Reveal' })).toHaveCount(0);
  await expect(other.getByText('A personal key: only its owner can see the token.')).toBeVisible();
  for (const tab of ['cURL', 'JavaScript']) expect(await snippet(other, tab)).toContain('YOUR_API_KEY');
  for (const headers of [{}, { RSC: '1' }] as Record<string, string>[])
    bodies.push(await (await other.request.get(`/integrations/api-keys/${id}`, { headers })).text());
  await other.waitForLoadState('networkidle');
  expect(bodies.length).toBeGreaterThan(2);
  for (const body of bodies) expect(body).not.toContain(token);
  expect(bodies.join('\n')).not.toContain(token.split('.')[2]);
  await context.close();

  // Its owner may reveal it, and the reveal is in the audit log.
  await page.goto(`/integrations/api-keys/${id}`);
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByLabel('API key', { exact: true })).toHaveValue(token);
  await page.goto(`/audit?action=key.revealed&target=key:${id}`);
  await expect(page.getByRole('cell', { name: 'Key revealed' }).first()).toBeVisible();
});

test('roll hands over from the old key to the new one', async ({ page, request }) => {
  await signIn(page);
  const { id: oldId, token: oldToken } = await createKeyWithForm(page, {
    name: unique('e2e-roll'),
    fields: [['team', 'ops']],
  });

  await page.getByRole('button', { name: 'Roll key' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel('Grace period')).toHaveValue('24');
  await dialog.getByRole('button', { name: 'Roll key' }).click();
  await expect(page).toHaveURL(new RegExp(`/integrations/api-keys/(?!${oldId})[0-9a-f-]{36}$`));
  const newId = page.url().match(/api-keys\/([0-9a-f-]{36})/)![1];
  expect(newId).not.toBe(oldId);
  await expect(page.getByText('New key issued.')).toBeVisible();
  // The new key keeps the name; the roll date is shown beside it, not glued on.
  await expect(page.getByRole('heading', { level: 1 })).not.toContainText('(rolled');
  await expect(page.getByText(`Rolled on ${new Date().toISOString().slice(0, 10)}`)).toBeVisible();
  const newToken = await page.getByLabel('API key', { exact: true }).inputValue();
  expect(newToken).not.toBe(oldToken);
  const oldClaims = decodePart(oldToken, 1);
  const newClaims = decodePart(newToken, 1);
  expect(newClaims.id).toBe(newId);
  expect({ ...newClaims, id: null, iat: null }).toEqual({ ...oldClaims, id: null, iat: null });

  // Both keys show the hand-over.
  await page.goto(`/integrations/api-keys/${oldId}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Rolling over');
  await expect(page.getByText('This key has been rolled')).toBeVisible();

  // The old key works until the new one is first used; then it is refused.
  await expectJson(await call(request, { key: oldToken, body: { id: 'hello-world', dryRun: true } }), 200);
  await expectJson(await call(request, { key: newToken, body: { id: 'hello-world', dryRun: true } }), 200);
  await expectProblem(
    await call(request, { key: oldToken, body: { id: 'hello-world', dryRun: true } }),
    401,
    'api_key_revoked',
  );
  await expectJson(await call(request, { key: newToken, body: { id: 'hello-world', dryRun: true } }), 200);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Revoked');
  await expect(page.getByText('Replaced by', { exact: true })).toBeVisible();
});

/** A job whose params schema requires fields, defined through the admin CLI; returns its name. */
async function jobRequiringParams(): Promise<string> {
  const name = unique('needs-params');
  const file = path.join(tmpdir(), `${name}.json`);
  await writeFile(
    file,
    JSON.stringify({
      name,
      type: 'http',
      // Never run here (the host is not open to HTTP jobs): the starts are what the test is about.
      config: { url: 'https://etl.example.com/hook' },
      concurrency: 'parallel',
      // In the author's order: the required field first, which jsonb would have moved.
      paramsSchema: {
        type: 'object',
        properties: {
          region: { type: 'string', enum: ['eu-west', 'us-east'] },
          batch: { type: 'string', examples: ['2026-12-01'] },
          limit: { type: 'integer', minimum: 1, default: 100 },
          retries: { type: 'integer', minimum: 2 },
          full: { type: 'boolean' },
        },
        required: ['region', 'retries', 'full'],
        additionalProperties: false,
      },
    }),
  );
  await adminCli(['job', 'create', '--org', 'demo', '--file', file]);
  await rm(file, { force: true });
  return name;
}

test('for a job whose schema requires params, every snippet copied with Copy runs as pasted and gets 202, key inline or from ETL_API_KEY', async ({
  page,
  context,
}) => {
  test.setTimeout(240_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const job = await jobRequiringParams();
  await signIn(page);
  const { token } = await createKeyWithForm(page, { name: unique('e2e-params') });
  await hydrated(page);
  await page.getByLabel('Job', { exact: true }).selectOption(job);
  // The params editor starts from the schema: enum, example, default, typed placeholders, in its order.
  const params = JSON.parse(await page.getByLabel('Params (JSON)').inputValue());
  expect(params).toEqual({ region: 'eu-west', batch: '2026-12-01', limit: 100, retries: 2, full: false });
  expect(Object.keys(params)).toEqual(['region', 'batch', 'limit', 'retries', 'full']);
  // An edit reaches the snippets.
  await page.getByLabel('Params (JSON)').fill(JSON.stringify({ ...params, region: 'us-east' }, null, 2));
  expect(await snippet(page, 'cURL')).toContain('"region":"us-east"');

  let previous = '';
  const copied = async (button: ReturnType<Page['getByRole']>, mustHold: string) => {
    await button.click();
    let text = '';
    // The browser's clipboard is shared with other tests: wait for this copy.
    await expect
      .poll(async () => {
        text = await page.evaluate(() => navigator.clipboard.readText());
        return text !== previous && text.includes(mustHold);
      })
      .toBe(true);
    previous = text;
    return text;
  };

  const okhttp = ['/usr/share/java/okhttp.jar', '/usr/share/java/okio.jar'];
  const clients: [string, string | null, string, string, string[]][] = [
    ['cURL', null, 'start.sh', 'bash', ['start.sh']],
    ['Python', 'Standard library', 'start_job.py', 'python3', ['start_job.py']],
    ['Python', 'requests', 'start_job.py', 'python3', ['start_job.py']],
    ['JavaScript', 'fetch', 'start-job.mjs', process.execPath, ['start-job.mjs']],
    ['JavaScript', 'axios', 'start-job.mjs', process.execPath, ['start-job.mjs']],
    ['Java', 'HttpClient', 'StartJob.java', 'java', ['StartJob.java']],
    ...(okhttp.every((jar) => existsSync(jar))
      ? [
          ['Java', 'OkHttp', 'StartJob.java', 'java', ['-cp', okhttp.join(':'), 'StartJob.java']] as [
            string,
            string,
            string,
            string,
            string[],
          ],
        ]
      : []),
  ];
  // Inside the repository, so that `import axios` finds node_modules as it would in a project.
  const dir = await mkdtemp(path.join(ROOT, '.e2e-snippets-'));
  try {
    for (const source of ['In the snippet', 'From the environment variable ETL_API_KEY']) {
      await page.getByRole('radio', { name: source }).check();
      const env = source !== 'In the snippet';
      if (env) {
        // The export line, shown once, copied with the token and run by the same shell as each client.
        const line = await copied(page.getByRole('button', { name: /^Copy export line/ }), token);
        expect(line).toBe(`export ETL_API_KEY='${token}'`);
        await writeFile(path.join(dir, 'key.sh'), line);
      }
      for (const [tab, client, file, command, args] of clients) {
        await page.getByRole('tab', { name: tab, exact: true }).click();
        if (client) await page.getByRole('radio', { name: client }).check();
        const panel = page.getByRole('tabpanel');
        const code = await copied(
          panel.getByRole('button', { name: /^Copy .* snippet/ }),
          env ? 'ETL_API_KEY' : token,
        );
        expect(code).not.toContain('YOUR_API_KEY');
        if (env) expect(code).not.toContain(token);
        await writeFile(path.join(dir, file), code);
        const result = env
          ? await run('bash', ['-c', '. ./key.sh && exec "$@"', 'snippet', command, ...args], dir)
          : await run(command, args, dir);
        const what = `${source}: ${tab} ${client ?? ''}`;
        expect(result.code, `${what}: ${result.stdout} ${result.stderr}`).toBe(0);
        expect(result.stdout, what).toMatch(/"message":\s?"job started"/);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  // Test: a dry run with the same params.
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  const result = page.getByRole('status', { name: 'Test result' });
  await expect(result).toContainText('dry run ok');
  const jobId = JSON.parse((await result.locator('pre').textContent()) ?? '{}').id as string;
  // Without the required field, Test says what is missing.
  await page.getByLabel('Params (JSON)').fill('{"retries": 2, "full": true}');
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Test result' })).toContainText('422');

  // The job's page: the API box sends params the schema accepts.
  await page.goto(`/jobs/${jobId}`);
  const box = page.locator('pre[aria-label="Request that starts this job"]');
  await expect(box).toContainText('"region": "eu-west"');
  await expect(box).toContainText('"retries": 2');
});

/** The e2e database as its owner, to age a session (as scale-lists.spec.ts reaches it). */
async function database(): Promise<pg.Client> {
  const dir = path.join(ROOT, E2E_DATA_DIR);
  const { password } = JSON.parse(readFileSync(path.join(dir, 'postgres.json'), 'utf8'));
  const port = readFileSync(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3];
  const client = new pg.Client({
    connectionString: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/etl`,
  });
  await client.connect();
  return client;
}

test('Reveal and Copy ask for the password again once the sign-in is older than 10 minutes', async ({
  page,
  browser,
}) => {
  await signIn(page);
  const email = `${unique('sudo')}@example.com`;
  const { link } = await invite(page, email, 'admin');
  const context = await browser.newContext();
  const other = await context.newPage();
  await joinAsNewPerson(other, link, 'sudo-password-123');
  const { id, token } = await createKeyWithForm(other, { name: unique('e2e-sudo') });
  expect(token.startsWith('eyJldGwiOiJhcGlrZXki')).toBe(true);

  // This person's sign-in, 11 minutes ago.
  const db = await database();
  try {
    await db.query(
      `update "UserSession" set "confirmedAt" = now() - interval '11 minutes'
        where "userId" = (select id from "User" where email = $1)`,
      [email],
    );
  } finally {
    await db.end();
  }
  await other.goto(`/integrations/api-keys/${id}`);
  await hydrated(other);
  await other.getByRole('button', { name: 'Reveal' }).click();
  const dialog = other.getByRole('dialog', { name: 'Confirm it is you' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Your password').fill('not-my-password');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog.getByText('That is not your password')).toBeVisible();
  await dialog.getByLabel('Your password').fill('sudo-password-123');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toBeHidden();
  await expect(other.getByLabel('API key', { exact: true })).toHaveValue(token);
  // Within the window, Hide then Reveal asks nothing.
  await other.getByRole('button', { name: 'Hide' }).click();
  await other.getByRole('button', { name: 'Reveal' }).click();
  await expect(other.getByLabel('API key', { exact: true })).toHaveValue(token);
  await expect(dialog).toBeHidden();
  await context.close();
});
