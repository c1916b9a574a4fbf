// Two desktops of one team in Chromium: the suite's headless workspace (agent A, on its built-in hub)
// and a second headless desktop process (agent B: its own data directory and port, signed in from
// Settings → Team hub to A's hub as an agent made with the hub's admin tooling). A visitor chats on
// the widget; A transfers the chat to B by name with a note; B's queue has it with the note, A's
// no longer does, and B's reply reaches the visitor.
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { runAdmin } from '../../src/hub/main';
import { startDesktopProcess, type DesktopProcess } from './desktopProcess';

const PASSWORD = 'e2e-bo-transfer-password';
let second: DesktopProcess | null = null;

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the global setup did not start the workspace with its built-in hub.`);
  return value;
}

test.afterAll(async () => {
  await second?.stop();
});

/** axe on one part of the page: no serious or critical violation. */
async function expectAccessible(page: Page, selector: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).include(selector).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function setStatus(page: Page, value: 'available' | 'away' | 'offline'): Promise<void> {
  await page.getByRole('combobox', { name: 'Status' }).selectOption(value);
  await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue(value);
}

test('transfer moves the conversation to the other agent\u2019s queue (second page)', async ({ browser }) => {
  test.setTimeout(120_000);
  const hubUrl = env('OMNI_E2E_HUB_URL');
  // Agent B, made with the hub's admin tooling on the built-in hub's own file.
  const created = await runAdmin(['create-agent', '--username', 'e2e-bo', '--name', 'Bo Transfer', '--data-dir', env('OMNI_E2E_HUB_DATA_DIR')], { OMNI_HUB_PASSWORD: PASSWORD });
  expect(created).toContain('e2e-bo');
  second = await startDesktopProcess({ name: 'second' });

  // B signs in to A's hub from Settings → Team hub, then steps away while A takes the chat.
  // Own contexts: axe needs pages made by a context.
  const b = await (await browser.newContext()).newPage();
  await b.goto(second.url);
  await b.getByRole('button', { name: 'Settings' }).click();
  const settings = b.getByRole('dialog', { name: 'Settings' });
  const section = settings.getByRole('region', { name: 'Team hub' });
  await section.getByLabel('Hub address', { exact: true }).fill(hubUrl);
  await section.getByLabel('Hub user name', { exact: true }).fill('e2e-bo');
  await section.getByLabel('Hub password', { exact: true }).fill(PASSWORD);
  await section.getByRole('button', { name: 'Sign in' }).click();
  const current = section.getByRole('group', { name: 'Current hub' });
  await expect(current.getByText('Online', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(current.getByText(/Signed in as e2e-bo/)).toBeVisible();
  await settings.getByRole('button', { name: 'Close settings' }).click();
  await setStatus(b, 'away');

  const a = await (await browser.newContext()).newPage();
  await a.goto(env('OMNI_E2E_URL'));
  await expect(a.getByRole('combobox', { name: 'Status' })).toHaveValue('available');

  // A visitor writes on the widget; A accepts.
  const visitor = await browser.newPage();
  await visitor.goto(env('OMNI_E2E_WIDGET_DEMO'));
  await visitor.getByRole('button', { name: 'Open chat' }).click();
  const panel = visitor.getByRole('dialog', { name: /^Chat with / });
  const question = 'My order arrived with a cracked mug (transfer test)';
  await panel.getByRole('textbox', { name: 'Message' }).fill(question);
  await panel.getByRole('textbox', { name: 'Message' }).press('Enter');
  const visitorLog = panel.getByRole('log', { name: 'Messages' });
  await expect(visitorLog).toContainText(question);
  const offers = a.getByRole('region', { name: 'Offered conversations' });
  await expect(offers).toContainText('cracked mug', { timeout: 20_000 });
  await offers.getByRole('article').filter({ hasText: 'cracked mug' }).getByRole('button', { name: 'Accept' }).click();
  const timelineA = a.getByRole('log', { name: 'Timeline' });
  await expect(timelineA).toContainText(question);
  const queueA = a.getByRole('listbox', { name: 'Queue' });
  await expect(queueA).toContainText('cracked mug');

  // A asks B in an internal note: "@" lists the team from the hub; B's bell shows the mention and opens the case.
  await a.getByRole('button', { name: 'Note', exact: true }).click();
  const noteBox = a.getByRole('combobox', { name: 'Internal note' });
  await noteBox.fill('Photo looks like transit damage, ');
  await noteBox.press('End');
  await noteBox.pressSequentially('@Bo');
  await a.getByRole('listbox', { name: 'Mention an agent' }).getByRole('option', { name: '@Bo Transfer' }).click();
  await noteBox.pressSequentially('can you take this one?');
  await a.getByRole('button', { name: 'Add note' }).click();
  await expect(timelineA).toContainText('@Bo Transfer can you take this one?');
  await a.getByRole('button', { name: 'Note', exact: true }).click();

  const bell = b.getByRole('button', { name: 'Notifications, 1 unread' });
  await expect(bell).toBeVisible({ timeout: 20_000 });
  await bell.click();
  const inbox = b.getByRole('region', { name: 'Notifications' });
  const mention = inbox.getByRole('button', { name: /mentioned you on case #\d+/ });
  await expect(mention).toBeVisible();
  await expectAccessible(b, '.bell-panel');
  await b.screenshot({ path: 'test-results/screenshots/mention-bell.png' });
  await mention.click();
  await expect(b.getByRole('log', { name: 'Timeline' })).toContainText('@Bo Transfer can you take this one?');
  await expect(b.getByRole('button', { name: 'Notifications' })).toBeVisible();
  // Held by A: B can read it, but it is not in B's queue.
  await expect(b.getByRole('listbox', { name: 'Queue' })).not.toContainText('cracked mug');

  // B is back; A opens Transfer…, sees B in the team with presence, and hands the chat over with a note.
  await setStatus(b, 'available');
  await a.getByRole('button', { name: 'Transfer…' }).click();
  const dialog = a.getByRole('dialog', { name: /^Transfer #\d+/ });
  const agents = dialog.getByRole('group', { name: 'Agent' });
  const bo = agents.getByRole('radio', { name: /Bo Transfer/ });
  await expect(bo).toBeEnabled({ timeout: 10_000 });
  await bo.check();
  const note = 'Replacement mug approved, please send the shipping label';
  await dialog.getByRole('textbox', { name: 'Note for the next agent (internal)' }).fill(note);
  fs.mkdirSync('test-results/screenshots', { recursive: true });
  await expectAccessible(a, '.transfer-dialog');
  await a.screenshot({ path: 'test-results/screenshots/transfer-dialog.png' });
  await a.emulateMedia({ colorScheme: 'dark' });
  await expectAccessible(a, '.transfer-dialog');
  await a.screenshot({ path: 'test-results/screenshots/transfer-dialog-dark.png' });
  await a.emulateMedia({ colorScheme: 'light' });
  await dialog.getByRole('button', { name: 'Transfer', exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(timelineA).toContainText(`Transferred to Bo Transfer: ${note}`);

  // B's queue has it; opened, the timeline shows the customer's message and the note.
  const queueB = b.getByRole('listbox', { name: 'Queue' });
  await expect(queueB).toContainText('cracked mug', { timeout: 20_000 });
  await queueB.getByRole('option', { name: /cracked mug/ }).click();
  const timelineB = b.getByRole('log', { name: 'Timeline' });
  await expect(timelineB).toContainText(question);
  await expect(timelineB).toContainText(`Handoff note: ${note}`);
  await b.screenshot({ path: 'test-results/screenshots/transfer-received.png' });

  // A's queue no longer has it.
  await expect(queueA).not.toContainText('cracked mug', { timeout: 20_000 });

  // B's reply reaches the visitor.
  const answer = 'Sorry about the mug! A replacement ships today; the return label is in your email.';
  await b.getByRole('textbox', { name: 'Reply' }).fill(answer);
  await b.getByRole('button', { name: 'Send' }).click();
  await expect(timelineB).toContainText(answer);
  await expect(visitorLog).toContainText(answer, { timeout: 20_000 });

  // B leaves the team hub offline so later stories' chats go to A only.
  await setStatus(b, 'offline');
  await visitor.close();
  await a.context().close();
  await b.context().close();
});
