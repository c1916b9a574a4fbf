// The supervisor's live console in Chromium, on a desktop of its own (a second headless process with
// its own data and built-in hub, whose chat SLA is 4 s so a breach comes quickly): the local admin
// opens the console from the top bar; the queue figures equal the hub's own snapshot; an agent going
// away and a visitor's chat arriving show without a reload; the at-risk and breach banners appear
// (dismissable); taking the chat and changing an agent's capacity answer with a sentence; an agent's
// row opens to the conversations they hold, one moves to an agent with room (refused while he is
// away), the loads follow live and the losing desktop's queue drops it with the reason. Screenshots
// in both themes land in test-results/screenshots.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { runAdmin } from '../../src/hub/main';
import type { SupervisorSnapshot } from '../../src/shared/hub/agentProtocol';
import { login, TestAgent } from '../helpers/hub';
import { startTwilioStandin, type TwilioStandin } from '../helpers/providerStandins';

const PASSWORD = 'e2e-live-console-password';
let desk: { process: ChildProcess; url: string; hubUrl: string; widgetDemo: string; dataDir: string } | null = null;
const sockets: TestAgent[] = [];
let twilioStandin: TwilioStandin | null = null;
const SMS_NUMBER = '+15005550006';

/** A headless desktop process with its own data directory; its built-in hub answers chats within 4 s. */
async function startConsoleDesktop(hubSettings: Record<string, unknown>): Promise<NonNullable<typeof desk>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omni-e2e-console-'));
  fs.mkdirSync(path.join(dataDir, 'hub'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'hub', 'hub.config.json'), JSON.stringify({ firstResponseSlaSeconds: { chat: 4 }, ...hubSettings }));
  const child = spawn(process.execPath, [path.resolve('dist/main/headless.js'), '--port', '0', '--hub-port', '0', '--data-dir', dataDir, '--no-demo'], {
    env: { ...process.env, OMNI_HEADLESS_ENTRY: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const found = await new Promise<{ url: string; widgetDemo: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The console desktop did not start within 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /Omni Desk is ready at (http:\/\/\S+)/.exec(output);
      const widget = /Chat widget demo[^:]*: (http:\/\/\S+)/.exec(output);
      if (ready && widget) {
        clearTimeout(timer);
        resolve({ url: ready[1]!, widgetDemo: widget[1]! });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The console desktop exited (${code}):\n${output}`));
    });
  });
  return { process: child, dataDir, ...found, hubUrl: found.widgetDemo.replace(/\/widget\/demo$/, '') };
}

test.afterAll(async () => {
  for (const s of sockets.splice(0)) await s.close();
  await twilioStandin?.close();
  if (!desk) return;
  const { process: child, dataDir } = desk;
  await new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function expectAccessible(page: Page, selector: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).include(selector).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Signs in to the console desktop's hub as a user made with the hub's admin tooling. */
async function hubUser(username: string, name: string, role: 'agent' | 'supervisor'): Promise<TestAgent> {
  const created = await runAdmin(['create-agent', '--username', username, '--name', name, '--role', role, '--data-dir', path.join(desk!.dataDir, 'hub')], { OMNI_HUB_PASSWORD: PASSWORD });
  expect(created).toContain(username);
  const session = await login(desk!.hubUrl, username, PASSWORD);
  const socket = await TestAgent.connect(desk!.hubUrl, session.token);
  sockets.push(socket);
  return socket;
}

test('a supervisor watches queues and agents live, gets the breach banner, takes a chat and changes a capacity', async ({ browser }) => {
  test.setTimeout(120_000);
  // Twilio's REST API is a local stand-in, so SMS replies can fail on cue (a provider outage).
  twilioStandin = await startTwilioStandin({ hubPublicUrl: () => desk!.hubUrl });
  desk = await startConsoleDesktop({
    delivery: { baseMs: 100, maxMs: 300, maxAttempts: 1000 },
    channels: {
      twilio: { accountSid: twilioStandin.accountSid, authToken: twilioStandin.authToken, fromNumber: SMS_NUMBER, apiBaseUrl: twilioStandin.url },
      // No SMS auto-reply: it goes out in the conversation's order ahead of Cleo's reply, so when its
      // delivery raced the outage below it was the message failing and Cleo's reply never went.
      autoReply: { sms: { enabled: false } },
    },
  });
  const cleo = await hubUser('e2e-cleo', 'Cleo Live', 'agent');
  await cleo.call({ type: 'setPresence', presence: 'available', capacity: { chat: 2, email: 4 } });
  // The hub's own view, read by a supervisor account on its socket.
  const auditor = await hubUser('e2e-audit', 'Audit Sup', 'supervisor');
  const hubSnapshot = async (): Promise<SupervisorSnapshot> => auditor.call({ type: 'supervisorSnapshot' });

  const page = await (await browser.newContext()).newPage();
  await page.goto(desk.url);
  // The local admin steps away so the visitor's chat waits in the queue.
  await page.getByRole('combobox', { name: 'Status' }).selectOption('away');
  await page.getByRole('button', { name: 'Live console' }).click();
  const consoleView = page.getByRole('main', { name: 'Live console' });
  await expect(consoleView).toBeVisible();
  const agents = consoleView.getByRole('region', { name: 'Agents' });
  const cleoRow = agents.getByRole('row', { name: /^Cleo Live/ });
  await expect(cleoRow).toContainText('Available');
  await expect(cleoRow).toContainText('Chat 0/2');

  // Cleo goes away on her own desktop: the console shows it without a reload.
  await cleo.call({ type: 'setPresence', presence: 'away' });
  await expect(cleoRow).toContainText('Away');

  // A visitor starts a chat on the widget: the chat queue shows it live.
  const visitor = await browser.newPage();
  await visitor.goto(desk.widgetDemo);
  await visitor.getByRole('button', { name: 'Open chat' }).click();
  const panel = visitor.getByRole('dialog', { name: /^Chat with / });
  await panel.getByRole('textbox', { name: 'Message' }).fill('Where is my parcel? (live console test)');
  await panel.getByRole('textbox', { name: 'Message' }).press('Enter');
  const queues = consoleView.getByRole('region', { name: 'Queues by channel' });
  const chatRow = queues.getByRole('row', { name: /^Chat/ });
  await expect(chatRow).toBeVisible({ timeout: 20_000 });

  // Past 80% of the 4 s SLA, then past it: a banner each (new ones only), and the figures equal the hub's.
  const alerts = page.getByRole('region', { name: 'Supervisor alerts' });
  await expect(alerts.getByRole('alert').filter({ hasText: 'about to breach' })).toBeVisible({ timeout: 15_000 });
  await expect(alerts.getByRole('alert').filter({ hasText: 'has waited past the first-response SLA' })).toBeVisible({ timeout: 15_000 });
  await expect(chatRow.getByRole('cell').nth(3)).toHaveText('1');
  const hub = (await hubSnapshot()).queues.find((q) => q.channel === 'chat')!;
  expect(hub).toMatchObject({ waiting: 1, atRisk: 0, breached: 1, slaSeconds: 4 });
  await expect(chatRow.getByRole('cell')).toHaveText([String(hub.waiting), /^\d+:\d\d$/, String(hub.atRisk), String(hub.breached), '0:04']);
  const waited = Number((await chatRow.getByRole('cell').nth(1).textContent())!.split(':')[1]);
  await expect.poll(async () => Number((await chatRow.getByRole('cell').nth(1).textContent())!.split(':')[1]), { message: 'the longest wait ticks on' }).toBeGreaterThan(waited);

  fs.mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/live-console-light.png', fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/screenshots/live-console-dark.png', fullPage: true });
  await expectAccessible(page, '.live-console');
  await expectAccessible(page, '.console-alerts');
  await page.emulateMedia({ colorScheme: 'light' });
  await expectAccessible(page, '.live-console');
  await expectAccessible(page, '.console-alerts');

  // A banner goes when dismissed.
  const breachBanner = alerts.getByRole('alert').filter({ hasText: 'about to breach' });
  await breachBanner.getByRole('button', { name: /^Dismiss the alert about/ }).click();
  await expect(breachBanner).toHaveCount(0);

  // Give the chat to Cleo: refused while she is away, with the hub's sentence; nothing moves.
  const waiting = consoleView.getByRole('region', { name: 'Waiting conversations' });
  const chatLine = waiting.getByRole('row').filter({ hasText: 'Where is my parcel?' });
  const cleoId = (await hubSnapshot()).agents.find((a) => a.displayName === 'Cleo Live')!.agentId;
  await chatLine.getByRole('combobox', { name: /^Agent to give the conversation with/ }).selectOption(String(cleoId));
  await chatLine.getByRole('button', { name: /^Reassign the conversation with/ }).click();
  await expect(consoleView.locator('.console-result.error')).toContainText('stays where it is');
  expect((await hubSnapshot()).waiting).toHaveLength(1);

  // Take it: the sentence says so, the queue empties live, and the chat is in the admin's queue.
  await chatLine.getByRole('button', { name: /^Take the conversation with/ }).click();
  await expect(consoleView.locator('.console-result.ok')).toContainText('You have the conversation with');
  await expect(waiting).toContainText('Nobody is waiting.');
  // Its breach banner goes with it: nobody waits any more.
  await expect(alerts.getByRole('alert')).toHaveCount(0);
  await expect(queues).toContainText('No conversation is waiting on any channel.');
  expect((await hubSnapshot()).queues.filter((q) => q.waiting > 0)).toEqual([]);

  // Cleo's chat capacity to 5: the form answers, the hub has it, the table shows it.
  await cleoRow.getByRole('button', { name: 'Change the capacity of Cleo Live' }).click();
  const form = agents.getByRole('form', { name: 'Capacity of Cleo Live' });
  await form.getByRole('spinbutton', { name: 'Chat capacity for Cleo Live' }).fill('5');
  await form.getByRole('spinbutton', { name: 'Email capacity for Cleo Live' }).fill('51');
  await form.getByRole('button', { name: 'Save capacity' }).click();
  await expect(form.getByRole('alert')).toHaveText('Enter whole numbers from 0 to 50.');
  await form.getByRole('spinbutton', { name: 'Email capacity for Cleo Live' }).fill('4');
  await form.getByRole('button', { name: 'Save capacity' }).click();
  await expect(consoleView.locator('.console-result.ok')).toHaveText('The capacity of Cleo Live is saved; routing uses it from now on.');
  await expect(cleoRow).toContainText('Chat 0/5');
  const cleoOnHub = (await hubSnapshot()).agents.find((a) => a.displayName === 'Cleo Live')!;
  expect(cleoOnHub.capacity).toMatchObject({ chat: 5, email: 4 });
  expect(cleoOnHub.presence).toBe('away');
  await page.screenshot({ path: 'test-results/screenshots/live-console-after-actions.png', fullPage: true });

  // SMS goes down: Twilio answers 503 to Cleo's reply three times in a row. The outage banner names
  // the backup channel; the reply waits, and once Twilio takes it the banner goes.
  await cleo.call({ type: 'setPresence', presence: 'available' });
  expect((await twilioStandin.sendSms({ From: '+14158675309', To: SMS_NUMBER, Body: 'Has my order shipped?' })).status).toBe(200);
  const offer = await cleo.waitForEvent('offer', (e) => e.conversation.channel === 'sms');
  await cleo.call({ type: 'acceptOffer', offerId: offer.offerId });
  // Twilio stays down (every call answered 503) until the stand-in is reset below.
  for (let i = 0; i < 300; i++) twilioStandin.failNext({ status: 503, body: { code: 20503, message: 'Service Unavailable', more_info: 'https://www.twilio.com/docs/errors/20503', status: 503 } });
  await cleo.call({ type: 'send', idempotencyKey: 'e2e-console-sms-reply-1', conversationId: offer.conversation.id, text: 'It left the warehouse today.' });
  const outage = alerts.getByRole('alert').filter({ hasText: /^SMS is down since \d\d:\d\d/ });
  await expect(outage).toBeVisible({ timeout: 20_000 });
  await expect(outage).toContainText('replies are queued; backup: Email');
  await page.screenshot({ path: 'test-results/screenshots/live-console-outage.png', fullPage: true });
  const failed = twilioStandin.sent().filter((c) => c.form['Body'] === 'It left the warehouse today.');
  expect(failed.length).toBeGreaterThanOrEqual(3);
  expect(new Set(failed.map((c) => c.response?.status))).toEqual(new Set([503]));
  // Twilio is back: the next attempt goes through, and the banner goes.
  twilioStandin.reset();
  await expect(outage).toHaveCount(0, { timeout: 20_000 });
  expect(twilioStandin.sent().filter((c) => c.form['Body'] === 'It left the warehouse today.').map((c) => c.response?.status)).toEqual([201]);

  // Conversations agents already hold. Dev joins with room for chats and SMS.
  const dev = await hubUser('e2e-dev', 'Dev Live', 'agent');
  await dev.call({ type: 'setPresence', presence: 'available', capacity: { chat: 2, sms: 2 } });
  const devRow = agents.getByRole('row', { name: /^Dev Live/ });
  await expect(devRow).toContainText('SMS 0/2');
  const adminName = (await hubSnapshot()).agents.find((a) => !['Cleo Live', 'Audit Sup', 'Dev Live'].includes(a.displayName))!.displayName;
  const smsId = offer.conversation.id;

  // Cleo's row opens from the keyboard to the SMS she holds: answered, on time, with her since she accepted it.
  const cleoHeld = cleoRow.getByRole('button', { name: '1 conversation of Cleo Live' });
  await cleoHeld.focus();
  await page.keyboard.press('Enter');
  await expect(cleoHeld).toHaveAttribute('aria-expanded', 'true');
  const cleoList = agents.getByRole('table', { name: 'Conversations of Cleo Live' });
  const smsLine = cleoList.getByRole('row').filter({ hasText: '+14158675309' });
  await expect(smsLine.getByRole('cell')).toHaveText(['SMS', /^\w{3} \d{1,2}, \d{1,2}:\d\d (AM|PM) \(\d+:\d\d\)$/, 'Answered', 'On time', /Take/]);
  const picker = smsLine.getByRole('combobox', { name: 'Agent to move the conversation with +14158675309 from Cleo Live to' });
  // Only who has room on SMS now: Dev (the admin is away, the auditor never went available).
  await expect(picker.getByRole('option')).toHaveText(['Choose an agent…', 'Dev Live (0/2)']);
  await page.screenshot({ path: 'test-results/screenshots/live-console-held-light.png', fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/screenshots/live-console-held-dark.png', fullPage: true });
  await expectAccessible(page, '.live-console');
  await page.emulateMedia({ colorScheme: 'light' });
  await expectAccessible(page, '.live-console');

  // Dev steps away after being chosen: the choice stays, says so, and the hub refuses with its sentence.
  await picker.selectOption({ label: 'Dev Live (0/2)' });
  await dev.call({ type: 'setPresence', presence: 'away' });
  await expect(picker.getByRole('option', { name: 'Dev Live (Away, no room now)' })).toHaveCount(1);
  await smsLine.getByRole('button', { name: 'Reassign the conversation with +14158675309' }).click();
  await expect(consoleView.locator('.console-result.error')).toHaveText('Dev Live is away; the conversation stays where it is.');
  await expect(cleoHeld).toBeVisible();

  // Dev is back: the SMS moves to him. Cleo's desktop is told why, Dev's gets it, and the figures follow live.
  await dev.call({ type: 'setPresence', presence: 'available' });
  await expect(picker.getByRole('option', { name: 'Dev Live (0/2)' })).toHaveCount(1);
  await smsLine.getByRole('button', { name: 'Reassign the conversation with +14158675309' }).click();
  await expect(consoleView.locator('.console-result.ok')).toHaveText('The conversation with +14158675309 is now with Dev Live.');
  await cleo.waitForEvent('unassigned', (e) => e.conversationId === smsId && e.reason === `Reassigned to Dev Live by ${adminName}`);
  await dev.waitForEvent('assigned', (e) => e.bundle.conversation.id === smsId);
  await expect(devRow).toContainText('SMS 1/2');
  await expect(devRow.getByRole('button', { name: '1 conversation of Dev Live' })).toBeVisible();
  await expect(agents).toContainText('Cleo Live has no open conversation now.');
  // The row went with the conversation: the keyboard goes on from Cleo's toggle.
  await expect(cleoRow.getByRole('button', { name: '0 conversations of Cleo Live' })).toBeFocused();
  const moved = await hubSnapshot();
  expect(moved.assigned.find((a) => a.conversations.some((c) => c.conversationId === smsId))!.agentId).toBe(moved.agents.find((a) => a.displayName === 'Dev Live')!.agentId);

  // The chat the admin took earlier: open it in the workspace, then give it to Cleo from the console.
  await consoleView.getByRole('button', { name: 'Back to the workspace' }).click();
  const queue = page.getByRole('listbox', { name: 'Queue' });
  await queue.getByRole('option', { name: /Where is my parcel\?/ }).click();
  const timeline = page.getByRole('log', { name: 'Timeline' });
  await expect(timeline).toContainText('Where is my parcel? (live console test)');
  await page.getByRole('button', { name: 'Live console', exact: true }).click();
  const adminHeld = agents.getByRole('row', { name: new RegExp(`^${adminName}`) }).getByRole('button', { name: `1 conversation of ${adminName}` });
  await adminHeld.click();
  const chatHeld = agents.getByRole('table', { name: `Conversations of ${adminName}` }).getByRole('row').filter({ has: page.getByRole('cell', { name: 'Chat', exact: true }) });
  await chatHeld.getByRole('combobox', { name: /^Agent to move the conversation with/ }).selectOption({ label: 'Cleo Live (0/5)' });
  await chatHeld.getByRole('button', { name: /^Reassign the conversation with/ }).click();
  await expect(consoleView.locator('.console-result.ok')).toContainText('is now with Cleo Live.');
  await expect(cleoRow).toContainText('Chat 1/5');
  await cleo.waitForEvent('assigned', (e) => e.bundle.conversation.channel === 'chat');

  // Back in the workspace: the chat has left the admin's queue, and its timeline says where it went and who moved it.
  await consoleView.getByRole('button', { name: 'Back to the workspace' }).click();
  await expect(queue.getByRole('option', { name: /Where is my parcel\?/ })).toHaveCount(0);
  await expect(timeline).toContainText(`Moved to another agent: Reassigned to Cleo Live by ${adminName}`);
  await page.screenshot({ path: 'test-results/screenshots/live-console-reassigned-away.png', fullPage: true });
});
