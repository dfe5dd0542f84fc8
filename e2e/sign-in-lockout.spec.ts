import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from './support/test';
import { signIn, submitLogin } from './support/auth';
import { hydrated } from './support/hydration';
import { invite, joinAsNewPerson } from './support/members';

// A guesser cannot lock a person out: the browser the person signed in with before keeps a device cookie
// and signs in at once with the right password, while the guesser's attempts are slowed down.

const TOO_MANY = 'Too many failed sign-ins';

/** One attempt from the /login form; answers which message it got (or "in"). */
async function attempt(page: Page, email: string, password: string): Promise<'refused' | 'wait' | 'in'> {
  await page.goto('/login');
  await hydrated(page);
  await submitLogin(page, email, password);
  await expect(
    page
      .getByText(TOO_MANY)
      .or(page.getByText('Incorrect email or password'))
      .or(page.getByRole('heading', { name: 'Jobs', level: 1 })),
  ).toBeVisible();
  if (!page.url().includes('/login')) return 'in';
  return (await page.getByText(TOO_MANY).count()) > 0 ? 'wait' : 'refused';
}

test("a guesser's nine wrong passwords do not stop the owner's browser; the guesser stays slowed", async ({
  page,
  browser,
}) => {
  const email = `${randomUUID().slice(0, 8)}-owner@example.com`;
  const password = 'the-owners-password-123';
  await signIn(page);
  const { link } = await invite(page, email, 'viewer');

  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  await joinAsNewPerson(owner, link, password);
  await owner.context().clearCookies({ name: 'next-auth.session-token' });
  expect(await attempt(owner, email, password)).toBe('in');
  const device = (await ownerContext.cookies()).find((c) => c.name === 'etl-device');
  expect(device).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  expect(device!.expires * 1000 - Date.now()).toBeGreaterThan(300 * 24 * 60 * 60 * 1000);

  // Nine wrong passwords from another browser, each as soon as the growing wait allows (about 15 s).
  const guesser = await (await browser.newContext()).newPage();
  let wrong = 0;
  await expect(async () => {
    while (wrong < 9) {
      const result = await attempt(guesser, email, `guess-${wrong}`);
      if (result === 'wait') throw new Error(`waiting after ${wrong} guesses`);
      wrong++;
    }
  }).toPass({ timeout: 60_000, intervals: [1_000] });
  expect(await attempt(guesser, email, 'guess-10')).toBe('wait');

  // The owner's browser signs in at once (server/auth/sign-in.test.ts shows the guesser still waits:
  // here the wait would race a busy machine's clock).
  await owner.context().clearCookies({ name: 'next-auth.session-token' });
  expect(await attempt(owner, email, password)).toBe('in');
  await ownerContext.close();
});
