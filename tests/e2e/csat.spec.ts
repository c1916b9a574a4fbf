// The chat survey in the widget, end to end: a visitor chats on the embedded hub's widget demo page,
// the agent accepts and resolves the chat in the headless workspace, the widget asks for a rating,
// the visitor gives 5, and the rating shows on the agent's timeline of that case.
import fs from 'node:fs';
import { expect, test } from '@playwright/test';

test('resolving a widget chat asks the visitor for a rating, and a 5 shows on the agent\'s timeline', async ({ browser }) => {
  const workspaceUrl = process.env.OMNI_E2E_URL;
  const demoUrl = process.env.OMNI_E2E_WIDGET_DEMO;
  expect(workspaceUrl, 'the suite starts the headless workspace').toBeTruthy();
  expect(demoUrl, 'the headless workspace starts an embedded hub with the widget demo page').toBeTruthy();

  const agent = await browser.newPage();
  await agent.goto(workspaceUrl!);
  await expect(agent.getByRole('combobox', { name: 'Status' })).toHaveValue('available');

  const visitor = await browser.newPage();
  await visitor.goto(demoUrl!);
  await visitor.getByRole('button', { name: 'Open chat' }).click();
  const panel = visitor.getByRole('dialog', { name: /^Chat with / });
  const question = 'Is the Morning Ridge roast decaf? (survey test)';
  await panel.getByRole('textbox', { name: 'Message' }).fill(question);
  await panel.getByRole('textbox', { name: 'Message' }).press('Enter');

  const offers = agent.getByRole('region', { name: 'Offered conversations' });
  await expect(offers).toContainText('Morning Ridge roast decaf', { timeout: 20_000 });
  await offers.getByRole('button', { name: 'Accept' }).click();
  const timeline = agent.getByRole('log', { name: 'Timeline' });
  await expect(timeline).toContainText(question);

  const conversation = agent.getByRole('main', { name: 'Conversation' });
  await conversation.getByRole('button', { name: 'Resolve' }).click();
  const dialog = agent.getByRole('dialog', { name: /^Resolve #\d+$/ });
  await expect(dialog.getByRole('radio', { name: 'Solved' })).toBeChecked();
  await dialog.getByRole('radio', { name: 'Solved' }).press('Enter');
  await expect(dialog).toBeHidden();
  await expect(conversation.getByText('Resolved', { exact: true })).toBeVisible();

  // The widget asks on its own channel.
  const rate = panel.getByRole('form', { name: 'Rate this chat' });
  await expect(rate.getByText('How was your chat?')).toBeVisible({ timeout: 20_000 });
  await rate.getByRole('button', { name: '5 stars' }).click();
  await rate.getByRole('textbox', { name: 'Comment (optional)' }).fill('Straight answer');
  await rate.getByRole('button', { name: 'Send rating' }).click();
  await expect(panel.getByText('Thanks for your feedback!')).toBeVisible();

  // The rating lands on the case the agent has open.
  await expect(timeline.getByText('Rated 5 out of 5: “Straight answer”')).toBeVisible({ timeout: 20_000 });
  fs.mkdirSync('test-results/screenshots', { recursive: true });
  await agent.screenshot({ path: 'test-results/screenshots/workspace-csat-rated.png' });

  await visitor.close();
  await agent.close();
});
