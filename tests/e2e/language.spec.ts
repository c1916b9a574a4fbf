// The workspace in a second language: Settings → Language switches the strings at once, dates follow
// the locale, and the choice survives a reload.
import { expect, test } from '@playwright/test';

const url = process.env.OMNI_E2E_URL ?? '';

test('an agent switches the workspace to German and back', async ({ page }) => {
  await page.goto(url);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('combobox', { name: 'Language', exact: true }).selectOption('de');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await dialog.getByRole('button', { name: /close/i }).click();
  await expect(page.getByRole('button', { name: 'Einstellungen', exact: true })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('button', { name: 'Einstellungen', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Einstellungen', exact: true }).click();
  await page.getByRole('dialog').getByRole('combobox', { name: 'Sprache', exact: true }).selectOption('en');
  await expect(page.getByRole('button', { name: 'Settings', exact: true })).toBeVisible();
});
