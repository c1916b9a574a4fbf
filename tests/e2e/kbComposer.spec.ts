// The knowledge base inside the composer and the suggested channel as a one-click offer, in the
// headless workspace in Chromium: an article found in the offline cache is inserted as a link that
// opens on the hub's portal, and "Offer <channel>" puts an editable offer in the reply. Each test
// leaves no draft behind for the other specs.
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

const SHOTS = 'test-results/screenshots';
const url = () => {
  const u = process.env.OMNI_E2E_URL;
  if (!u) throw new Error('OMNI_E2E_URL is not set: the global setup did not start the workspace.');
  return u;
};

test.beforeAll(() => fs.mkdirSync(SHOTS, { recursive: true }));

async function openCase(page: Page, name: RegExp | number) {
  const queue = page.getByRole('listbox', { name: 'Queue' });
  await expect(queue.getByRole('option').first()).toBeVisible();
  const option = typeof name === 'number' ? queue.getByRole('option').nth(name) : queue.getByRole('option', { name });
  await option.click();
  await expect(page.getByRole('main', { name: 'Conversation' }).getByRole('heading', { level: 1 })).toBeVisible();
}

/** Empties the reply box and waits for the (deleting) save, so no draft is left behind. */
async function clearDraft(page: Page) {
  await page.getByRole('textbox', { name: 'Reply' }).fill('');
  await page.waitForTimeout(900);
}

test('searching the knowledge base in the composer inserts a link to the portal article at the cursor', async ({ page }) => {
  await page.goto(url());
  await openCase(page, /Jane Smith/);
  const reply = page.getByRole('textbox', { name: 'Reply' });
  await reply.fill('Hi Jane,\n\nBest regards');
  // The caret after "Hi Jane,": the article goes there, not at the end.
  await reply.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(8, 8));

  await page.getByRole('button', { name: 'Knowledge base' }).click();
  const panel = page.getByRole('dialog', { name: 'Knowledge base' });
  const search = panel.getByRole('searchbox', { name: 'Search knowledge base' });
  await expect(search).toBeFocused();
  await search.fill('refund');
  const article = panel.getByRole('listitem', { name: 'Requesting a refund' });
  await expect(article).toBeVisible();
  await expect(article).toContainText('Which purchases can be refunded');
  await page.screenshot({ path: `${SHOTS}/kb-composer-search.png` });

  await article.getByRole('button', { name: 'Insert link' }).click();
  await expect(panel).toBeHidden();
  await expect(reply).toHaveValue(/^Hi Jane,\n\nRequesting a refund: http:\/\/[^\s]+\/portal\/articles\/refunds\n\nBest regards$/);
  await expect(reply).toBeFocused();

  // The inserted address is the article on the connected hub's portal.
  const link = /(http:\/\/\S+\/portal\/articles\/refunds)/.exec(await reply.inputValue())![1]!;
  const res = await page.request.get(link);
  expect(res.status()).toBe(200);
  expect(await res.text()).toContain('Requesting a refund');

  await clearDraft(page);
});

test('the knowledge-base panel works from the keyboard and says when nothing matches', async ({ page }) => {
  await page.goto(url());
  await openCase(page, /Jane Smith/);
  const button = page.getByRole('button', { name: 'Knowledge base' });
  await button.click();
  const panel = page.getByRole('dialog', { name: 'Knowledge base' });
  const search = panel.getByRole('searchbox', { name: 'Search knowledge base' });
  await search.fill('qqqxxyyzz');
  await expect(panel.getByRole('status')).toHaveText('No article matches “qqqxxyyzz”.');
  await search.fill('password');
  await expect(panel.getByRole('listitem').first()).toBeVisible();
  await search.press('ArrowDown');
  await expect(panel.getByRole('button', { name: 'Insert link' }).first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(button).toBeFocused();
  await expect(page.getByRole('textbox', { name: 'Reply' })).toHaveValue('');
});

test('the suggested channel is a one-click offer that fills the composer, editable before sending', async ({ page }) => {
  await page.goto(url());
  const queue = page.getByRole('listbox', { name: 'Queue' });
  await expect(queue.getByRole('option').first()).toBeVisible();
  const insights = page.getByRole('region', { name: 'Case insights' });
  const offer = insights.getByRole('button', { name: /^Offer / });
  const count = Math.min(await queue.getByRole('option').count(), 30);
  let found = false;
  for (let i = 0; i < count && !found; i++) {
    await openCase(page, i);
    found = await offer
      .waitFor({ timeout: 1500 })
      .then(() => true)
      .catch(() => false);
  }
  expect(found, 'a case in the demo queue has a suggested channel').toBe(true);

  const reply = page.getByRole('textbox', { name: 'Reply' });
  await clearDraft(page);
  const channel = ((await offer.textContent()) ?? '').replace(/^Offer /, '');
  // The engine's question, as shown beside the button, is put to the customer.
  const prompt = /“(.+)”/.exec((await insights.locator('.channel-suggestion').textContent()) ?? '')![1]!;
  await offer.click();
  await expect(reply).toHaveValue(/^Hi \S+, /);
  expect(await reply.inputValue()).toContain(`${prompt[0]!.toLowerCase()}${prompt.slice(1)} `);
  await expect(reply).toBeFocused();
  await page.screenshot({ path: `${SHOTS}/kb-composer-channel-offer.png` });
  expect(channel.length).toBeGreaterThan(0);

  // Still only a draft: the agent can change it before sending.
  await page.keyboard.type(' Talk soon!');
  await expect(reply).toHaveValue(/ Talk soon!$/);
  await clearDraft(page);
});
