// The composer in the headless workspace, in Chromium: macros fill their variables, drafts are
// kept in the store across a reload, and an internal note on a chat never reaches the visitor's
// widget while a normal reply does. Each test leaves no draft behind for the other specs.
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
  const header = page.getByRole('main', { name: 'Conversation' });
  await expect(header.getByRole('heading', { level: 1 })).toBeVisible();
  return { subject: ((await header.getByRole('heading', { level: 1 }).textContent()) ?? '').trim(), caseNo: ((await header.locator('.conv-case').textContent()) ?? '').trim() };
}

/** Empties the reply box and waits for the (deleting) save, so no draft is left behind. */
async function clearDraft(page: Page, box = 'Reply') {
  await page.getByRole('textbox', { name: box }).fill('');
  await page.waitForTimeout(900);
}

test('a macro with variables fills correctly', async ({ page }) => {
  await page.goto(url());
  const { subject } = await openCase(page, /Jane Smith/);
  await page.getByRole('button', { name: 'Macros' }).click();
  const filter = page.getByRole('combobox', { name: 'Filter macros' });
  await expect(filter).toBeFocused();
  const list = page.getByRole('listbox', { name: 'Macros' });
  await expect(list.getByRole('option')).not.toHaveCount(0);
  await expect(list.getByRole('option', { name: /Greeting/ })).toContainText('Alt+1');
  await page.screenshot({ path: `${SHOTS}/composer-macro-menu.png` });
  await filter.fill('greet');
  await expect(list.getByRole('option')).toHaveCount(1);
  await filter.press('Enter');

  const reply = page.getByRole('textbox', { name: 'Reply' });
  await expect(reply).toHaveValue(/^Hi Jane,/);
  const text = await reply.inputValue();
  expect(text).toContain(`Thanks for reaching out about "${subject}".`);
  expect(text).not.toContain('{{');
  await expect(reply).toBeFocused();

  // Alt+3 inserts the macro with that hotkey, under what is there.
  await page.keyboard.press('Alt+Digit3');
  await expect(reply).toHaveValue(/Hi Jane,[\s\S]*\n\nHi Jane,\n\nTo look into this/);
  await expect(page.getByRole('status').filter({ hasText: 'On send' })).toBeVisible();

  // Email: subject prefilled with "Re:", cc, quoted history.
  await page.getByRole('combobox', { name: 'Channel' }).selectOption('email');
  await expect(page.getByRole('textbox', { name: 'Subject' })).toHaveValue(`Re: ${subject.replace(/^re:\s*/i, '')}`);
  await expect(page.getByRole('textbox', { name: 'Cc' })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Include quoted history' })).not.toBeChecked();
  await page.screenshot({ path: `${SHOTS}/composer-email.png` });

  await page.getByRole('combobox', { name: 'Channel' }).selectOption('chat');
  await clearDraft(page);
});

test('a draft survives a reload', async ({ page }) => {
  await page.goto(url());
  const { caseNo } = await openCase(page, 2);
  const text = `Draft kept across a reload (${Date.now()}).`;
  const reply = page.getByRole('textbox', { name: 'Reply' });
  await reply.fill(text);
  await expect(page.getByRole('status').filter({ hasText: 'Draft saved' })).toBeVisible();

  await page.reload();
  const queue = page.getByRole('listbox', { name: 'Queue' });
  await expect(queue.getByRole('option').first()).toBeVisible();
  await queue.getByRole('option').nth(2).click();
  await expect(page.getByRole('main', { name: 'Conversation' }).locator('.conv-case')).toHaveText(caseNo);
  await expect(reply).toHaveValue(text);
  await page.screenshot({ path: `${SHOTS}/composer-draft-restored.png` });
  await clearDraft(page);
});

test("an internal note never reaches the customer's channel, while a reply does", async ({ browser }) => {
  const demoUrl = process.env.OMNI_E2E_WIDGET_DEMO;
  expect(demoUrl, 'the headless workspace starts an embedded hub with the widget demo page').toBeTruthy();
  const agent = await browser.newPage();
  await agent.goto(url());
  await expect(agent.getByRole('combobox', { name: 'Status' })).toHaveValue('available');

  const visitor = await browser.newPage();
  await visitor.goto(demoUrl!);
  await visitor.getByRole('button', { name: 'Open chat' }).click();
  const panel = visitor.getByRole('dialog', { name: /^Chat with / });
  const question = 'Did my refund go through? (note test)';
  await panel.getByRole('textbox', { name: 'Message' }).fill(question);
  await panel.getByRole('textbox', { name: 'Message' }).press('Enter');
  const visitorLog = panel.getByRole('log', { name: 'Messages' });
  await expect(visitorLog).toContainText(question);

  const offers = agent.getByRole('region', { name: 'Offered conversations' });
  await expect(offers).toContainText('refund go through', { timeout: 20_000 });
  await offers.getByRole('article').filter({ hasText: 'refund go through' }).getByRole('button', { name: 'Accept' }).click();
  const timeline = agent.getByRole('log', { name: 'Timeline' });
  await expect(timeline).toContainText(question);

  // Note mode: yellow, "@" lists the agents, Enter picks the highlighted one.
  await agent.getByRole('button', { name: 'Note', exact: true }).click();
  await expect(agent.getByRole('button', { name: 'Note', exact: true })).toHaveAttribute('aria-pressed', 'true');
  const noteBox = agent.getByRole('combobox', { name: 'Internal note' });
  await noteBox.fill('Refund was issued yesterday, ask ');
  await noteBox.press('End');
  await noteBox.pressSequentially('@');
  const mentions = agent.getByRole('listbox', { name: 'Mention an agent' });
  await expect(mentions.getByRole('option').first()).toBeVisible();
  const mentioned = ((await mentions.getByRole('option').first().textContent()) ?? '').trim();
  await agent.screenshot({ path: `${SHOTS}/composer-note-mention.png` });
  await noteBox.press('Enter');
  await expect(noteBox).toHaveValue(`Refund was issued yesterday, ask ${mentioned} `);
  const secret = 'INTERNAL-ONLY: the refund was issued manually.';
  await noteBox.pressSequentially(secret);
  await agent.getByRole('button', { name: 'Add note' }).click();
  await expect(timeline).toContainText(secret);
  await agent.screenshot({ path: `${SHOTS}/composer-note-saved.png` });

  // Back to a reply: it reaches the visitor; the note never does.
  await agent.getByRole('button', { name: 'Note', exact: true }).click();
  const answer = 'Yes, your refund was issued; it shows within 5–10 business days.';
  await agent.getByRole('textbox', { name: 'Reply' }).fill(answer);
  await expect(agent.locator('.composer-meter')).toContainText(`${answer.length} / 5,000`);
  await agent.screenshot({ path: `${SHOTS}/composer-chat-reply.png` });
  await agent.getByRole('button', { name: 'Send' }).click();
  await expect(visitorLog).toContainText(answer, { timeout: 20_000 });
  await expect(visitorLog).not.toContainText('INTERNAL-ONLY');
  await expect(visitorLog).not.toContainText('refund was issued manually');
  await visitor.screenshot({ path: `${SHOTS}/composer-visitor-widget.png` });

  await visitor.close();
  await agent.close();
});
