// The desktop's SLA clocks follow the channel configuration, live: a visitor's chat is accepted in
// the workspace (first page) and shows its first-response clock in the header and its queue badge;
// the admin raises the chat SLA in the channel configuration screen (second page); the first page,
// never reloaded, shows the new deadline in both. The old SLA is saved back afterwards so the specs
// after this one see the configuration as they found it. Screenshots in test-results/screenshots.
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

const url = (name: 'OMNI_E2E_URL' | 'OMNI_E2E_WIDGET_DEMO') => {
  const u = process.env[name];
  if (!u) throw new Error(`${name} is not set: the global setup did not start the workspace.`);
  return u;
};

/** Saves `seconds` as the chat first-response SLA from the channel configuration screen; returns the SLA it replaced. */
async function saveChatSla(page: Page, seconds: number): Promise<number> {
  await page.goto(url('OMNI_E2E_URL'));
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Channel configuration…' }).click();
  const field = page.getByLabel('Chat: First-response SLA (seconds)');
  await expect(field).toBeVisible();
  const before = Number(await field.inputValue());
  await field.fill(String(seconds));
  await page.getByRole('button', { name: 'Save as a new version' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Saved as version \d+\./ })).toBeVisible();
  return before;
}

test("an admin raises the chat SLA and the open chat's clock and queue badge move without a reload", async ({ browser }) => {
  const agent = await browser.newPage();
  await agent.emulateMedia({ colorScheme: 'dark' });
  await agent.goto(url('OMNI_E2E_URL'));
  await expect(agent.getByRole('combobox', { name: 'Status' })).toHaveValue('available');

  const visitor = await browser.newPage();
  await visitor.goto(url('OMNI_E2E_WIDGET_DEMO'));
  await visitor.getByRole('button', { name: 'Open chat' }).click();
  const question = 'Is the Morning Ridge back in stock? (SLA clock test)';
  const box = visitor.getByRole('dialog', { name: /^Chat with / }).getByRole('textbox', { name: 'Message' });
  await box.fill(question);
  await box.press('Enter');

  const offers = agent.getByRole('region', { name: 'Offered conversations' });
  await expect(offers).toContainText('Morning Ridge back in stock', { timeout: 20_000 });
  await offers.getByRole('article').filter({ hasText: 'Morning Ridge back in stock' }).getByRole('button', { name: 'Accept' }).click();
  await expect(agent.getByRole('log', { name: 'Timeline' })).toContainText(question);

  // The clock runs on the chat SLA of the current version: at most a few minutes.
  const clocks = agent.getByRole('list', { name: 'SLA clocks' });
  const firstResponse = clocks.getByRole('listitem').filter({ hasText: /^First response / });
  await expect(firstResponse).toHaveText(/^First response (due in (<1m|\d+m)|overdue .*)$/);
  const row = agent.getByRole('listbox', { name: 'Queue' }).getByRole('option').filter({ hasText: 'Morning Ridge back in stock' });
  const badge = row.locator('.badge.sla');
  await expect(badge).toHaveText(/^(SLA 0:\d\d left|Breached .*)$/);

  // The admin, on another page, gives chat three hours.
  const admin = await browser.newPage();
  const oldSla = await saveChatSla(admin, 3 * 3600);
  try {
    // The first page was not reloaded: its header clock and its queue badge count three hours now
    // (the workspace's clock ticks every 30 s, so a deadline 2h 59m 50s away may still read 3h).
    await expect(firstResponse).toHaveText(/^First response due in [23]h$/, { timeout: 10_000 });
    await expect(badge).toHaveText(/^SLA (2:5\d|3:0\d) left$/);
    fs.mkdirSync('test-results/screenshots', { recursive: true });
    await agent.screenshot({ path: 'test-results/screenshots/sla-follows-channel-config.png' });
  } finally {
    await saveChatSla(admin, oldSla);
  }
  // And back: the short SLA again.
  await expect(firstResponse).toHaveText(/^First response (due in (<1m|\d+m)|overdue .*)$/, { timeout: 10_000 });
  await expect(badge).toHaveText(/^(SLA 0:\d\d left|Breached .*)$/);

  await admin.close();
  await visitor.close();
  await agent.close();
});
