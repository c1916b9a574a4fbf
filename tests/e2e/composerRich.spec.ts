// The composer's files and rich text in the headless workspace, in Chromium: a file attached to an
// email reply (picker and drop) shows on the reply in the timeline and downloads byte for byte, a
// program is refused with a sentence; a bold + link in-app reply from the toolbar shows formatted in
// the widget on the demo page's in-app mode, and in the agent's timeline.
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

const SHOTS = 'test-results/screenshots';
const url = () => {
  const u = process.env.OMNI_E2E_URL;
  if (!u) throw new Error('OMNI_E2E_URL is not set: the global setup did not start the workspace.');
  return u;
};

test.beforeAll(() => fs.mkdirSync(SHOTS, { recursive: true }));

/** axe over the composer, in the dark theme too: no serious or critical violation. */
async function expectAccessibleComposer(page: Page, what: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const { violations } = await new AxeBuilder({ page }).include('.composer').analyze();
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `${what} (${scheme})`).toEqual([]);
  }
  await page.screenshot({ path: `${SHOTS}/${what.replace(/\W+/g, '-')}-dark.png` });
  await page.emulateMedia({ colorScheme: 'light' });
}

test('a file attached to an email reply shows on the reply in the timeline and downloads intact', async ({ page }) => {
  await page.goto(url());
  // An email case deep in its view: the other specs open Jane Smith and the first cases of All, and a reply takes a case out of the queue.
  await page.getByRole('tab', { name: /^Email/ }).click();
  const queue = page.getByRole('listbox', { name: 'Queue' });
  await expect(queue.getByRole('option').nth(6)).toBeVisible();
  await queue.getByRole('option').nth(6).click();
  await expect(page.getByRole('main', { name: 'Conversation' }).getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Channel' })).toHaveValue('email');
  const composer = page.getByRole('form', { name: 'Reply composer' });
  await expect(composer.getByText(/^Plain text: Email shows no formatting/)).toBeVisible();

  // A program is refused before anything is uploaded, with the reason.
  await page.getByLabel('Files to attach').setInputFiles({ name: 'update.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ not really') });
  await expect(composer.getByRole('alert')).toContainText('“update.exe” is a .exe file, which can run programs when opened');

  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(600 * 1024, 7)]);
  await composer.getByRole('button', { name: 'Attach files' }).focus();
  await page.getByLabel('Files to attach').setInputFiles({ name: 'invoice-1042.pdf', mimeType: 'application/pdf', buffer: pdf });
  const files = composer.getByRole('list', { name: 'Attached files' });
  await expect(files.getByRole('listitem').filter({ hasText: 'invoice-1042.pdf' })).toContainText('600 KB');

  // Dropped on the composer too.
  const dropped = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['order,amount\n1042,19.90\n'], 'orders.csv', { type: 'text/csv' }));
    return dt;
  });
  await composer.dispatchEvent('dragover', { dataTransfer: dropped });
  await composer.dispatchEvent('drop', { dataTransfer: dropped });
  await expect(files.getByRole('listitem')).toHaveCount(2);
  await composer.getByRole('button', { name: 'Remove orders.csv' }).click();
  await expect(files.getByRole('listitem')).toHaveCount(1);

  const body = `Your invoice is attached (${Date.now()}).`;
  await page.getByRole('textbox', { name: 'Reply' }).fill(body);
  await page.screenshot({ path: `${SHOTS}/composer-attachment.png` });
  await expectAccessibleComposer(page, 'composer with a file');
  await composer.getByRole('button', { name: 'Send' }).click();

  const reply = page.getByRole('log', { name: 'Timeline' }).getByRole('article').filter({ hasText: body });
  const link = reply.getByRole('list', { name: 'Attachments' }).getByRole('link', { name: /invoice-1042\.pdf/ });
  await expect(link).toBeVisible();
  await expect(files).toBeHidden();
  await reply.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/timeline-attachment.png` });
  const href = await link.getAttribute('href');
  const download = await page.request.get(new URL(href!, url()).href);
  expect(download.status()).toBe(200);
  expect(Buffer.compare(await download.body(), pdf)).toBe(0);
});

test('a bold and linked in-app reply shows formatted in the widget and the timeline', async ({ browser }) => {
  const demoUrl = process.env.OMNI_E2E_WIDGET_DEMO;
  expect(demoUrl, 'the headless workspace starts an embedded hub with the widget demo page').toBeTruthy();
  // Own contexts: axe needs one per page, and the visitor must not share the agent's storage.
  const agentContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const visitorContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const agent = await agentContext.newPage();
  await agent.goto(url());
  await expect(agent.getByRole('combobox', { name: 'Status' })).toHaveValue('available');

  const visitor = await visitorContext.newPage();
  await visitor.goto(`${demoUrl}?mode=in-app`);
  await expect(visitor.getByText('Signed in as Jordan Lee (in-app demo)')).toBeVisible();
  await visitor.getByRole('button', { name: 'Open chat' }).click();
  const panel = visitor.getByRole('dialog', { name: /^Chat with / });
  const question = 'Where do I find my export? (rich text test)';
  await panel.getByRole('textbox', { name: 'Message' }).fill(question);
  await panel.getByRole('textbox', { name: 'Message' }).press('Enter');
  const log = panel.getByRole('log', { name: 'Messages' });
  await expect(log).toContainText(question);

  const offers = agent.getByRole('region', { name: 'Offered conversations' });
  await expect(offers).toContainText('rich text test', { timeout: 20_000 });
  await offers.getByRole('article').filter({ hasText: 'rich text test' }).getByRole('button', { name: 'Accept' }).click();
  const timeline = agent.getByRole('log', { name: 'Timeline' });
  await expect(timeline).toContainText(question);
  await expect(agent.getByRole('combobox', { name: 'Channel' })).toHaveValue('in_app');

  // Bold from the keyboard shortcut on a selection, a link from the toolbar.
  const reply = agent.getByRole('textbox', { name: 'Reply' });
  await reply.fill('Open Settings then the export guide.');
  await reply.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(5, 13));
  await reply.press('Control+b');
  await expect(reply).toHaveValue('Open **Settings** then the export guide.');
  await reply.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(27, 39));
  const toolbar = agent.getByRole('toolbar', { name: 'Formatting' });
  await toolbar.getByRole('button', { name: 'Link' }).click();
  const address = agent.getByRole('textbox', { name: 'Link address' });
  await address.fill('https://help.fernhill.example/export');
  await address.press('Enter');
  await expect(reply).toHaveValue('Open **Settings** then the [export guide](https://help.fernhill.example/export).');
  // The toolbar is one tab stop; arrows move inside it.
  await toolbar.getByRole('button', { name: 'Bold' }).focus();
  await agent.keyboard.press('ArrowRight');
  await expect(toolbar.getByRole('button', { name: 'Italic' })).toBeFocused();
  await agent.screenshot({ path: `${SHOTS}/composer-rich-toolbar.png` });
  await expectAccessibleComposer(agent, 'composer with the formatting toolbar');
  await agent.getByRole('button', { name: 'Send' }).click();

  const bold = log.locator('.msg.agent strong', { hasText: 'Settings' });
  await expect(bold).toBeVisible({ timeout: 20_000 });
  const link = log.getByRole('link', { name: 'export guide' });
  await expect(link).toHaveAttribute('href', 'https://help.fernhill.example/export');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer nofollow');
  await expect(log).not.toContainText('**');
  await visitor.screenshot({ path: `${SHOTS}/widget-rich-message.png` });

  const mine = timeline.getByRole('article').filter({ hasText: 'Open Settings then the export guide.' });
  await expect(mine.locator('strong', { hasText: 'Settings' })).toBeVisible();
  await expect(mine.getByRole('link', { name: 'export guide' })).toHaveAttribute('href', 'https://help.fernhill.example/export');
  await agent.screenshot({ path: `${SHOTS}/timeline-rich-message.png` });

  // Hostile Markdown stays text on both sides: no script link, no element from raw HTML, nothing runs.
  const hostile = '[win a prize](javascript:window.__pwned=1) <img src=x onerror="window.__pwned=2"> <b>raw</b>';
  await reply.fill(hostile);
  await agent.getByRole('button', { name: 'Send' }).click();
  await expect(log).toContainText('<img src=x onerror="window.__pwned=2">', { timeout: 20_000 });
  await expect(log).toContainText('<b>raw</b>');
  await expect(log.locator('img, b, a[href^="javascript"]')).toHaveCount(0);
  await expect(log.getByRole('link', { name: 'win a prize' })).toHaveCount(0);
  const theirs = timeline.getByRole('article').filter({ hasText: 'win a prize' });
  await expect(theirs).toContainText('<b>raw</b>');
  await expect(theirs.locator('.tl-body img, .tl-body b, a[href^="javascript"]')).toHaveCount(0);
  expect(await visitor.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await agent.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  await visitorContext.close();
  await agentContext.close();
});
