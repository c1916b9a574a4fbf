// Mail a mailbox could not import shows in Settings → Mailboxes: a real Dovecot holds a mail sent
// from the support address itself (a loop) and one without a sender; after the initial sync the
// mailbox says how many were not imported, and the disclosure lists each with where it is on the
// server and main's reason, in English and, for a German agent, in German. A desktop of its own.
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startDovecot, type Dovecot } from '../helpers/dovecot';
import { startDesktopProcess, type DesktopProcess } from './desktopProcess';
import { fillLocalMailbox } from './mailboxForm';

const PASSWORD = 'e2e-quarantine-Passw0rd';
const SHOTS = 'test-results/screenshots';
const ADDRESS = 'e2equarantine@omni.test';
const stamp = Date.now();

let dovecot: Dovecot;
let desk: DesktopProcess | null = null;

test.beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  dovecot = await startDovecot({ users: [{ user: 'e2equarantine', password: PASSWORD }] });
  // Both are in the mailbox before it is added: the initial sync sets them aside.
  await dovecot.deliver(['From: Support <e2equarantine@omni.test>', `To: ${ADDRESS}`, 'Subject: Re: your ticket', `Message-ID: <loop-${stamp}@omni.test>`, `Date: ${new Date().toUTCString()}`, '', 'Our own auto-reply came back.', ''].join('\r\n'), 'e2equarantine');
  await dovecot.deliver([`To: ${ADDRESS}`, 'Subject: no sender', `Message-ID: <nobody-${stamp}@customer.example>`, `Date: ${new Date().toUTCString()}`, '', 'There is no From header.', ''].join('\r\n'), 'e2equarantine');
  desk = await startDesktopProcess({ name: 'quarantine' });
});
test.afterAll(async () => {
  await desk?.stop();
  await dovecot?.stop();
});

// The German test reads the mailbox the first one added.
test.describe.configure({ mode: 'serial' });

/** axe over the Settings dialog with the list open: no serious or critical violation (contrast included). */
async function expectAccessible(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).include('dialog').analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => `${n.html} ${n.failureSummary ?? ''}`).join(', ')}`), what).toEqual([]);
}

/** The mailbox's "not imported" disclosure, opened from the keyboard. */
async function openNotImported(page: Page, item: Locator, summary: string | RegExp): Promise<void> {
  const toggle = item.getByText(summary);
  await expect(toggle).toBeVisible({ timeout: 15_000 });
  await toggle.focus();
  await page.keyboard.press('Enter');
}

test('a mailbox lists the mail it did not import, with where it is on the server and why', async ({ page }) => {
  await page.goto(desk!.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('button', { name: 'Add mailbox' }).click();
  await fillLocalMailbox(dialog, { name: 'E2E Quarantine', address: ADDRESS, imapPort: dovecot.imapPort, smtpPort: 2525, user: 'e2equarantine', password: PASSWORD });
  await dialog.getByRole('button', { name: 'Add mailbox' }).click();
  const item = dialog.getByRole('listitem', { name: /E2E Quarantine/ });
  await expect(item.getByText('Connected')).toBeVisible({ timeout: 15_000 });

  await openNotImported(page, item, '2 messages were not imported');
  const list = item.getByRole('list', { name: 'Messages of E2E Quarantine that were not imported' });
  await expect(list).toBeVisible();
  const rows = list.getByRole('listitem');
  await expect(rows).toHaveCount(2);
  const loop = rows.filter({ hasText: `<loop-${stamp}@omni.test>` });
  await expect(loop).toContainText(`Sent from the support address ${ADDRESS} itself (our own mail or a loop); not a customer message.`);
  await expect(loop).toContainText(ADDRESS);
  await expect(loop).toContainText('INBOX');
  await expect(loop.locator('div', { has: page.getByRole('term').getByText('UID', { exact: true }) }).getByRole('definition')).toHaveText(/^\d+$/);
  const nobody = rows.filter({ hasText: `<nobody-${stamp}@customer.example>` });
  await expect(nobody).toContainText('The sender could not be read: the message has no From address');
  await expect(nobody).toContainText('unknown sender');
  // The agent's locale dates: "Nov 26, 7:41 AM" in en-US.
  await expect(nobody.locator('time')).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{1,2}:\d{2}\s?[AP]M$/);
  await dialog.screenshot({ path: `${SHOTS}/settings-not-imported.png` });
  await expectAccessible(page, 'light theme');
  await page.emulateMedia({ colorScheme: 'dark' });
  await dialog.screenshot({ path: `${SHOTS}/settings-not-imported-dark.png` });
  await expectAccessible(page, 'dark theme');
});

test('in German the mail that was not imported reads German', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('omni.locale', 'de'));
  await page.goto(desk!.url);
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await page.getByRole('button', { name: 'Einstellungen' }).click();
  const dialog = page.getByRole('dialog', { name: 'Einstellungen' });
  const item = dialog.getByRole('listitem', { name: /E2E Quarantine/ });
  await openNotImported(page, item, '2 Nachrichten wurden nicht importiert');
  const list = item.getByRole('list', { name: 'Nicht importierte Nachrichten von E2E Quarantine' });
  const rows = list.getByRole('listitem');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: `<loop-${stamp}@omni.test>` })).toContainText(`Von der Support-Adresse ${ADDRESS} selbst gesendet (eigene Mail oder eine Schleife); keine Kundennachricht.`);
  const nobody = rows.filter({ hasText: `<nobody-${stamp}@customer.example>` });
  await expect(nobody).toContainText('Der Absender konnte nicht gelesen werden: Die Nachricht hat keine Absenderadresse (From)');
  await expect(nobody).toContainText('unbekannter Absender');
  await expect(nobody).toContainText('Empfangen');
  // German dates: "26. Nov., 2:31".
  await expect(nobody.locator('time')).toHaveText(/^\d{1,2}\. [A-ZÄÖÜ][a-zäöü]{2,4}\.?,? \d{1,2}:\d{2}$/);
  await dialog.screenshot({ path: `${SHOTS}/settings-not-imported-de.png` });
});
