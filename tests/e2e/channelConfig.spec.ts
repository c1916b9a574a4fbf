// The channel configuration on the demo center, as its admin (the desktop's own user on the built-in
// hub): opened from Settings, the chat SLA edited (a bad value is refused next to the field), saved as
// a new version that the history lists and the hub runs on, exported as a file whose content is
// checked, a bad file imported (its sentence shown, nothing changed) and a good one previewed and
// saved. Screenshots in both themes land in test-results/screenshots; axe finds nothing serious.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import WebSocket from 'ws';
import type { ChannelConfigView } from '../../src/shared/contractChannelConfig';

const url = () => {
  const u = process.env.OMNI_E2E_URL;
  if (!u) throw new Error('OMNI_E2E_URL is not set: the global setup did not start the workspace.');
  return u;
};

/** The configuration as main returns it, over the workspace's own WebSocket. */
async function current(): Promise<ChannelConfigView> {
  const base = new URL(url());
  const ws = new WebSocket(`ws://${base.host}/api`, { origin: `http://${base.host}` });
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return await new Promise<ChannelConfigView>((resolve, reject) => {
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { t: string; id?: number; result?: { ok: boolean; value?: unknown; error?: { message: string } } };
        if (frame.t !== 'res' || frame.id !== 1) return;
        if (frame.result?.ok) resolve(frame.result.value as ChannelConfigView);
        else reject(new Error(frame.result?.error?.message ?? 'channelConfig failed'));
      });
      ws.once('error', reject);
      ws.send(JSON.stringify({ t: 'req', id: 1, method: 'channelConfig', input: {} }));
    });
  } finally {
    ws.close();
  }
}

async function openScreen(page: Page): Promise<void> {
  await page.goto(url());
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Channel configuration…' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Channel configuration' })).toBeVisible();
  await expect(page.getByRole('table')).toBeVisible();
}

async function importFile(page: Page, name: string, content: string): Promise<void> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'omni-cc-')), name);
  fs.writeFileSync(file, content);
  await page.locator('input[type="file"]').setInputFiles(file);
}

test('an admin edits the chat SLA, saves a version, exports the file and imports a bad and a good one', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  const before = await current();
  const v = before.current.version;
  const oldSla = before.current.matrix.channels.chat.firstResponseSlaSeconds;
  const newSla = oldSla === 75 ? 80 : 75;
  await openScreen(page);

  // A bad value is refused next to its field; Save stays off.
  const sla = page.getByLabel('Chat: First-response SLA (seconds)');
  await sla.fill('0');
  await expect(page.getByText('Chat first-response SLA: must be more than 0 seconds')).toBeVisible();
  await expect(sla).toHaveAttribute('aria-invalid', 'true');
  const save = page.getByRole('button', { name: 'Save as a new version' });
  await expect(save).toBeDisabled();

  // A good one is saved as the next version, listed in the history with who and what.
  await sla.fill(String(newSla));
  await expect(sla).not.toHaveAttribute('aria-invalid', 'true');
  await save.click();
  await expect(page.getByRole('status').filter({ hasText: `Saved as version ${v + 1}.` })).toBeVisible();
  const history = page.getByRole('list').filter({ hasText: `Chat first-response SLA: ${oldSla} s → ${newSla} s` });
  await expect(history.first()).toBeVisible();
  await expect(page.getByText(new RegExp(`^Version ${v + 1} · Local admin · `))).toBeVisible();
  const after = await current();
  expect(after.current.version).toBe(v + 1);
  expect(after.current.matrix.channels.chat.firstResponseSlaSeconds).toBe(newSla);

  fs.mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/channel-config-light.png', fullPage: true });
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  // Export: the file holds the saved version.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export a file' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`channel-configuration-v${v + 1}.json`);
  const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as { format: string; version: number; matrix: typeof after.current.matrix };
  expect(exported.format).toBe('omni-channel-matrix');
  expect(exported.version).toBe(v + 1);
  expect(exported.matrix).toEqual(after.current.matrix);

  // A bad file: its sentence, nothing changed.
  const bad = structuredClone(exported);
  bad.matrix.channels.sms.backupChannel = 'sms';
  await importFile(page, 'bad.json', JSON.stringify(bad));
  await expect(page.getByRole('alert')).toContainText('SMS cannot be its own backup channel');
  await importFile(page, 'not-json.json', 'this is not json');
  await expect(page.getByRole('alert')).toContainText('The file is not JSON');
  expect((await current()).current.version).toBe(v + 1);

  // A good file: previewed as the lines it changes, then saved.
  const good = structuredClone(exported);
  const oldCost = good.matrix.channels.email.costPerContact;
  good.matrix.channels.email.costPerContact = oldCost + 1;
  await importFile(page, 'good.json', JSON.stringify(good));
  const preview = page.getByRole('region', { name: 'Imported file: what would change' });
  await expect(preview.getByRole('listitem')).toHaveText([`Email cost per contact: ${oldCost} → ${oldCost + 1}`]);
  await preview.getByRole('button', { name: 'Save the file as a new version' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Saved as version ${v + 2}.` })).toBeVisible();
  expect((await current()).current.matrix.channels.email.costPerContact).toBe(oldCost + 1);

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/screenshots/channel-config-dark.png', fullPage: true });
  const dark = await new AxeBuilder({ page }).analyze();
  expect(dark.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => x.id)).toEqual([]);

  // Back to the workspace, and the command palette opens it again.
  await page.getByRole('button', { name: 'Back to the workspace' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Channel configuration' })).toHaveCount(0);
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox', { name: 'Command' }).fill('channel configuration');
  await page.getByRole('option', { name: /Open the channel configuration/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Channel configuration' })).toBeVisible();
  await expect(page.getByText(`Version ${v + 2}, saved by Local admin`, { exact: false })).toBeVisible();
});

test('an admin opens Saturday hours for email, is told about an overlapping range, adds a holiday and saves', async ({ page }) => {
  const before = await current();
  const v = before.current.version;
  expect(before.current.matrix.channels.email.hours.weekly).not.toBe('24/7');
  await openScreen(page);
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Email', exact: true }) });
  await row.getByText('Edit hours and holidays').click();
  const week = row.getByRole('table', { name: 'Opening hours of Email' });

  await week.getByRole('button', { name: 'Add an opening range on Saturday (Email)' }).click();
  await week.getByLabel('Email, Saturday, range 1: opens at').fill('10:00');
  await week.getByLabel('Email, Saturday, range 1: closes at').fill('14:00');
  // A second range that overlaps the first is refused with the schema's sentence.
  await week.getByRole('button', { name: 'Add an opening range on Saturday (Email)' }).click();
  await week.getByLabel('Email, Saturday, range 2: opens at').fill('13:00');
  await week.getByLabel('Email, Saturday, range 2: closes at').fill('15:00');
  await expect(row.getByText(/13:00–15:00 overlaps 10:00–14:00/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save as a new version' })).toBeDisabled();
  await week.getByRole('button', { name: 'Remove range 2 on Saturday (Email)' }).click();

  await row.getByRole('button', { name: 'Add a holiday' }).click();
  await row.getByLabel('Holiday 1 of Email: date').fill('2026-12-25');
  await row.getByLabel('Holiday 1 of Email: name').fill('Christmas Day');
  await row.screenshot({ path: 'test-results/screenshots/channel-config-hours.png' });
  const { violations } = await new AxeBuilder({ page }).include('.cc-hours-editor').analyze();
  expect(violations.filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => x.id)).toEqual([]);
  await page.getByRole('button', { name: 'Save as a new version' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Saved as version ${v + 1}.` })).toBeVisible();

  const hours = (await current()).current.matrix.channels.email.hours;
  expect(hours.weekly !== '24/7' && hours.weekly.sat).toEqual([{ start: '10:00', end: '14:00' }]);
  expect(hours.holidays).toContainEqual({ date: '2026-12-25', name: 'Christmas Day' });
});
