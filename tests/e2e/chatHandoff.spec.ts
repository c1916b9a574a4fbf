// The whole chat loop of `npm start`: a visitor writes on the embedded hub's widget demo page, the
// agent in the headless workspace (a second page) gets the offer, accepts it, replies from the
// composer, and the visitor sees the reply in the widget. Both pages run in Chromium against the
// one headless server the suite starts (its embedded hub included).
import fs from 'node:fs';
import { expect, test } from '@playwright/test';

test('a visitor chats on the widget, the agent accepts the offer in the workspace and replies, and the visitor sees the reply', async ({ browser }) => {
  const workspaceUrl = process.env.OMNI_E2E_URL;
  const demoUrl = process.env.OMNI_E2E_WIDGET_DEMO;
  expect(workspaceUrl, 'the suite starts the headless workspace').toBeTruthy();
  expect(demoUrl, 'the headless workspace starts an embedded hub with the widget demo page').toBeTruthy();

  const agent = await browser.newPage();
  await agent.goto(workspaceUrl!);
  await expect(agent.getByRole('listbox', { name: 'Queue' })).toBeVisible();
  // The desktop is at its desk: available for offers without touching the menu.
  await expect(agent.getByRole('combobox', { name: 'Status' })).toHaveValue('available');

  const visitor = await browser.newPage();
  await visitor.goto(demoUrl!);
  await visitor.getByRole('button', { name: 'Open chat' }).click();
  const panel = visitor.getByRole('dialog', { name: /^Chat with / });
  const question = 'Can I change the grind of my subscription? (handoff test)';
  await panel.getByRole('textbox', { name: 'Message' }).fill(question);
  await panel.getByRole('textbox', { name: 'Message' }).press('Enter');
  const visitorLog = panel.getByRole('log', { name: 'Messages' });
  await expect(visitorLog).toContainText(question);

  const offers = agent.getByRole('region', { name: 'Offered conversations' });
  await expect(offers).toContainText('grind of my subscription', { timeout: 20_000 });
  fs.mkdirSync('test-results/screenshots', { recursive: true });
  await agent.screenshot({ path: 'test-results/screenshots/workspace-chat-offer.png' });
  await offers.getByRole('article').filter({ hasText: 'grind of my subscription' }).getByRole('button', { name: 'Accept' }).click();

  // The accepted chat opens: the visitor's message is in the timeline, on the Chat channel.
  const timeline = agent.getByRole('log', { name: 'Timeline' });
  await expect(timeline).toContainText(question);
  await expect(agent.getByRole('region', { name: 'Offered conversations' })).toHaveCount(0);

  const answer = 'Yes: open Subscriptions, pick "Whole bean" or a grind, and it applies from the next bag.';
  await agent.getByRole('textbox', { name: 'Reply' }).fill(answer);
  await agent.getByRole('button', { name: 'Send' }).click();
  await expect(timeline).toContainText(answer);

  // The reply crosses the hub to the visitor's widget, once.
  await expect(visitorLog).toContainText(answer, { timeout: 20_000 });
  await expect(visitorLog.getByText(answer, { exact: true })).toHaveCount(1);
  await agent.screenshot({ path: 'test-results/screenshots/workspace-chat-replied.png' });

  await visitor.close();
  await agent.close();
});
