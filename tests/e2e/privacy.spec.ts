// Privacy in the headless workspace (Chromium): a customer writes a card number in a chat on the
// embedded hub's widget; once the agent accepts, the timeline shows it masked with a Reveal button
// (the demo desk's agent is an admin), the audited reveal shows the number, and the CSV export that
// downloads from the profile pane carries it masked.
import fs from 'node:fs';
import { expect, test } from '@playwright/test';

const CARD = '4242 4242 4242 4242';

test('a card number in an inbound chat is masked in the timeline and the CSV export, and revealed with a reason', async ({ browser }) => {
  const workspaceUrl = process.env.OMNI_E2E_URL;
  const demoUrl = process.env.OMNI_E2E_WIDGET_DEMO;
  expect(workspaceUrl, 'the suite starts the headless workspace').toBeTruthy();
  expect(demoUrl, 'the headless workspace starts an embedded hub with the widget demo page').toBeTruthy();

  const agent = await browser.newPage({ acceptDownloads: true });
  await agent.goto(workspaceUrl!);
  await expect(agent.getByRole('listbox', { name: 'Queue' })).toBeVisible();
  await expect(agent.getByRole('combobox', { name: 'Status' })).toHaveValue('available');

  const visitor = await browser.newPage();
  await visitor.goto(demoUrl!);
  await visitor.getByRole('button', { name: 'Open chat' }).click();
  const panel = visitor.getByRole('dialog', { name: /^Chat with / });
  const question = `Masking check: charged twice, my card is ${CARD}`;
  await panel.getByRole('textbox', { name: 'Message' }).fill(question);
  await panel.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(panel.getByRole('log', { name: 'Messages' })).toContainText('Masking check');

  const offers = agent.getByRole('region', { name: 'Offered conversations' });
  await expect(offers).toContainText('Masking check', { timeout: 20_000 });
  await offers.getByRole('article').filter({ hasText: 'Masking check' }).getByRole('button', { name: 'Accept' }).click();

  const timeline = agent.getByRole('log', { name: 'Timeline' });
  const message = timeline.getByRole('article').filter({ hasText: 'Masking check' }).last();
  await expect(message).toContainText('my card is •••• •••• •••• 4242');
  await expect(message).not.toContainText(CARD);
  await expect(message.getByText('Masked card number')).toBeVisible();
  fs.mkdirSync('test-results/screenshots', { recursive: true });
  await agent.screenshot({ path: 'test-results/screenshots/privacy-masked.png' });

  // The CSV export downloads from the profile pane, masked.
  const profile = agent.getByRole('complementary', { name: 'Customer profile' });
  const [download] = await Promise.all([agent.waitForEvent('download'), profile.getByRole('button', { name: 'Export data', exact: true }).click()]);
  expect(download.suggestedFilename()).toMatch(/^customer-\d+-.*\.csv$/);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv.split('\r\n')[0]).toBe('record,id,time,channel,direction,kind,author,subject,text');
  expect(csv).toContain('my card is •••• •••• •••• 4242');
  expect(csv).not.toContain(CARD);
  await expect(profile.getByRole('status')).toContainText('Exported');

  // Reveal asks why, then shows the raw text of that message only.
  await message.getByRole('button', { name: /^Reveal the masked text/ }).click();
  const dialog = agent.getByRole('dialog', { name: 'Reveal masked text' });
  await expect(dialog.getByRole('button', { name: 'Reveal' })).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('Customer asked us to confirm the charged card');
  await dialog.getByRole('button', { name: 'Reveal' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(message.getByRole('note', { name: 'Revealed text' })).toContainText(CARD);
  await agent.screenshot({ path: 'test-results/screenshots/privacy-revealed.png' });

  await visitor.close();
  await agent.close();
});
