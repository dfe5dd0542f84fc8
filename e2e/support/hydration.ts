import { expect, type Page } from '@playwright/test';

/**
 * Waits until React has hydrated the page (components/ui/hydration-mark.tsx): a click on a button that
 * needs JavaScript is lost before that. Forms posting to server actions work without it.
 */
export async function hydrated(page: Page): Promise<void> {
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
}
