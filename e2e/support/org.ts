import { expect, type Page } from './test';

/**
 * Waits until the top bar shows `name` as the console's organisation: the plain name for a person with one
 * organisation, the picker's choice for a person with several (components/shell/org-picker.tsx).
 */
export async function expectOrgShown(page: Page, name: string) {
  const shown = page
    .getByRole('banner')
    .locator('#org-picker option:checked, p:has-text("Organisation:")')
    .first();
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await expect(shown).toHaveText(new RegExp(`^(Organisation: )?${escaped}$`));
}
