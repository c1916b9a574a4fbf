// The help center in Debian's Chromium: a visitor searches, reads an article and answers "Was
// this helpful?". Starts its own hub (portal module only, the shipped kb/) on a free port.
import { expect, test, type ConsoleMessage, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHub, type Hub } from '../../src/hub/server';
import { createPortalModule } from '../../src/hub/portal/module';

let hub: Hub;
let dataDir: string;
const quiet = { info: () => {}, warn: () => {}, error: (m: string, e?: unknown) => console.error(m, e ?? '') };

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omni-portal-e2e-'));
  hub = await createHub({ dataDir, port: 0, portal: { contactUrl: '/widget/demo' } }, { modules: [createPortalModule], log: quiet });
});

test.afterAll(async () => {
  await hub?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function watchPolicyViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

test('a visitor searches the help center, reads an article and says it helped', async ({ page }) => {
  const violations = watchPolicyViolations(page);
  await page.goto(`${hub.url}/portal`);
  await expect(page.getByRole('heading', { level: 1, name: 'How can we help?' })).toBeVisible();
  // The stylesheet is applied (served as a file under the strict CSP).
  await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(246, 248, 251)');
  await page.screenshot({ path: 'test-results/portal/home.png', fullPage: true });

  await page.getByRole('searchbox', { name: 'Search the Help Center' }).fill('pass');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: /results? for “pass”/ })).toBeVisible();
  await expect(page.locator('mark').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/portal/search.png', fullPage: true });

  await page.getByRole('link', { name: 'Resetting your password' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Resetting your password' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toBeVisible();
  await page.screenshot({ path: 'test-results/portal/article.png', fullPage: true });

  await page.getByRole('group', { name: 'Was this article helpful?' }).getByRole('button', { name: 'Yes' }).click();
  await expect(page.getByRole('status')).toHaveText('Thanks for your feedback!');
  expect(violations).toEqual([]);
});

test('the help center fits a phone screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${hub.url}/portal/articles/shipping-times`);
  await expect(page.getByRole('heading', { level: 1, name: 'Shipping times and costs' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'test-results/portal/article-phone.png', fullPage: true });
});
