import { test as base, type Browser, type BrowserContext } from '@playwright/test';

export * from '@playwright/test';

// Every spec imports `test` from here. With E2E_SCRIPT_DELAY_MS set, each page's JavaScript arrives that
// much later, so the server-rendered HTML is on screen (and clickable) long before React hydrates it: a
// test, or a person on a slow link, that acts before hydration is caught. CI runs without the delay;
// `E2E_SCRIPT_DELAY_MS=1500 npx playwright test` is the check to run after touching a form or a button.
const scriptDelayMs = Number(process.env.E2E_SCRIPT_DELAY_MS ?? 0);
const delayed = new WeakSet<BrowserContext>();

async function delayScripts(context: BrowserContext): Promise<BrowserContext> {
  if (delayed.has(context)) return context;
  delayed.add(context);
  await context.route(/\/_next\/static\/.+\.js(\?.*)?$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, scriptDelayMs));
    await route.fallback();
  });
  return context;
}

// (`provide` is Playwright's `use`, renamed so React's hook rule leaves it alone.)
const withDelayedScripts = base.extend<{ context: BrowserContext }, { browser: Browser }>({
  context: async ({ context }, provide) => provide(await delayScripts(context)),
  // The contexts a test opens itself (a second person) get the same delay.
  browser: [
    async ({ browser }, provide) => {
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => delayScripts(await newContext(options));
      await provide(browser);
    },
    { scope: 'worker' },
  ],
});

export const test = scriptDelayMs > 0 ? withDelayedScripts : base;
