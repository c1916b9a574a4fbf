// The supervisor dashboard on the demo center: the local supervisor (the demo's admin) opens it from
// the top bar and the command palette; the totals shown equal the figures the same request returns;
// "Show as table" gives the chart's numbers; the weekly report exports as CSV (rows checked) and
// prints as the report's tables. An agent signed in to a team hub sees no way in, and its calls are
// refused. Screenshots in both themes land in test-results/screenshots.
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import WebSocket from 'ws';
import type { Dashboard } from '../../src/shared/metrics/dashboard';
import { agentSession, startHub, type StartedHub } from '../helpers/hub';

const url = () => {
  const u = process.env.OMNI_E2E_URL;
  if (!u) throw new Error('OMNI_E2E_URL is not set: the global setup did not start the workspace.');
  return u;
};

type RpcResult = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

/** One request over the workspace's own WebSocket, as the page would send it. */
async function call(method: string, input: unknown): Promise<RpcResult> {
  const base = new URL(url());
  const ws = new WebSocket(`ws://${base.host}/api`, { origin: `http://${base.host}` });
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return await new Promise<RpcResult>((resolve, reject) => {
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { t: string; id?: number; result?: RpcResult };
        if (frame.t === 'res' && frame.id === 1) resolve(frame.result!);
      });
      ws.once('error', reject);
      ws.send(JSON.stringify({ t: 'req', id: 1, method, input }));
    });
  } finally {
    ws.close();
  }
}

/** The range the page asks for by default: the last 7 days in the browser's time zone. */
async function defaultRange(page: Page): Promise<{ from: number; to: number; timeZone: string }> {
  return page.evaluate(() => {
    const now = new Date();
    const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 6).getTime();
    const to = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime();
    return { from, to, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone };
  });
}

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
function duration(ms: number | null): string {
  if (ms === null) return '—';
  const m = ms / 60_000;
  if (m < 60) return `${m.toFixed(1)} min`;
  const h = m / 60;
  return h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} d`;
}

/** RFC 4180 rows (quoted fields with commas or doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    }
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

async function openDashboard(page: Page): Promise<Dashboard> {
  await page.goto(url());
  await expect(page.getByRole('listbox', { name: 'Queue' }).getByRole('option').first()).toBeVisible();
  await page.getByRole('button', { name: 'Dashboard', exact: true }).click();
  const main = page.getByRole('main', { name: 'Supervisor dashboard' });
  await expect(main.getByRole('heading', { level: 1, name: 'Supervisor dashboard' })).toBeVisible();
  await expect(main.getByLabel('Totals')).toBeVisible({ timeout: 20_000 });
  const range = await defaultRange(page);
  const result = await call('supervisorDashboard', { ...range, channels: [] });
  if (!result.ok) throw new Error(`the dashboard request failed: ${result.error.message}`);
  return result.value as Dashboard;
}

test('a supervisor sees the demo center’s figures, equal to the metrics engine’s, and exports the weekly report', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  const d = await openDashboard(page);
  expect(d.totals.contacts, 'the demo center has contacts in the last 7 days').toBeGreaterThan(0);
  const main = page.getByRole('main', { name: 'Supervisor dashboard' });
  // The period is the browser's last 7 days, in its time zone.
  await expect(main.getByText(/^Period /)).toContainText(`(${d.timeZone})`);
  expect(d.timeZone).toBe('America/New_York');
  const totals = main.getByLabel('Totals');
  const tile = (label: string) => totals.locator('.dash-tile', { has: page.getByText(label, { exact: true }) }).locator('dd');
  await expect(tile('Contacts')).toHaveText(d.totals.contacts.toLocaleString('en-US'));
  await expect(tile('Deflected by the portal')).toHaveText(d.totals.deflected.toLocaleString('en-US'));
  await expect(tile('Resolution rate')).toHaveText(pct(d.totals.resolutionRate));
  await expect(tile('Average handle time')).toHaveText(duration(d.totals.avgHandleTimeMs));
  await expect(tile('First response')).toHaveText(duration(d.totals.avgFirstResponseMs));
  await expect(tile('CSAT')).toHaveText(d.totals.csatAverage === null ? '—' : `${d.totals.csatAverage.toFixed(2)} / 5`);
  await expect(tile('Cost per contact')).toHaveText(new Intl.NumberFormat('en-US', { style: 'currency', currency: d.currency }).format(d.totals.costPerContact!));

  // The volume chart's numbers as a table.
  const volume = main.getByRole('region', { name: 'Volume by channel' });
  await expect(volume.getByRole('img', { name: /Contacts by channel/ })).toBeVisible();
  await volume.getByRole('button', { name: 'Show as table' }).click();
  await expect(volume.getByRole('img')).toBeHidden();
  const rows = volume.getByRole('table', { name: 'Volume by channel' }).getByRole('row');
  await expect(rows).toHaveCount(d.volume.length + 1);
  for (const [i, v] of d.volume.entries()) {
    await expect(rows.nth(i + 1)).toHaveText(`${v.label}${v.contacts.toLocaleString('en-US')}${pct(v.share)}`);
  }
  await volume.getByRole('button', { name: 'Show as table' }).click();
  await page.waitForTimeout(300); // the canvases settle
  fs.mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/dashboard-light.png', fullPage: true });

  // The weekly report as CSV: its rows carry the same figures.
  const downloading = page.waitForEvent('download');
  await main.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^weekly-report-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = parseCsv(fs.readFileSync((await download.path())!, 'utf8'));
  expect(csv[0]).toEqual(['Weekly channel report']);
  expect(csv[1]![0]).toBe('Period');
  const section = (title: string) => csv.findIndex((r) => r.length === 1 && r[0] === title);
  const v = section('Volume distribution');
  expect(csv[v + 1]).toEqual(['Channel', 'Contacts', 'Share']);
  d.volume.forEach((row, i) => expect(csv[v + 2 + i]).toEqual([row.label, String(row.contacts), String(Math.round(row.share! * 10_000) / 10_000)]));
  expect(csv[v + 2 + d.volume.length]).toEqual(['Total', String(d.totals.contacts + d.totals.deflected), '1']);
  const p = section('Channel performance');
  expect(csv[p + 1]![0]).toBe('Channel');
  d.performance.forEach((row, i) => expect(csv[p + 2 + i]!.slice(0, 2)).toEqual([expect.any(String), String(row.contacts)]));
  for (const title of ['Cross-channel', 'Cost per contact', 'Deflection']) expect(section(title), title).toBeGreaterThan(p);
  const deflection = section('Deflection');
  expect(csv[deflection + 2]).toEqual(['Deflected contacts', String(d.deflection.deflected)]);

  // The printable page: the report's sections as tables, no controls, no other cards.
  await page.emulateMedia({ media: 'print', colorScheme: 'light' });
  await expect(main.getByRole('button', { name: 'Export CSV' })).toBeHidden();
  await expect(main.getByRole('region', { name: 'Agents by channel' })).toBeHidden();
  await expect(volume.getByRole('table', { name: 'Volume by channel' })).toBeVisible();
  await expect(main.getByRole('region', { name: 'Channel performance' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/dashboard-print.png', fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // Dark theme.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'test-results/screenshots/dashboard-dark.png', fullPage: true });
});

test('the channel filter and the range change the figures; the palette opens the dashboard', async ({ page }) => {
  await page.goto(url());
  await expect(page.getByRole('listbox', { name: 'Queue' }).getByRole('option').first()).toBeVisible();
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox', { name: 'Command' }).fill('supervisor dashboard');
  await page.getByRole('option', { name: /Open the supervisor dashboard/ }).click();
  const main = page.getByRole('main', { name: 'Supervisor dashboard' });
  await expect(main.getByLabel('Totals')).toBeVisible({ timeout: 20_000 });

  await main.getByRole('checkbox', { name: 'Phone' }).check();
  const range = await defaultRange(page);
  const phone = await call('supervisorDashboard', { ...range, channels: ['phone'] });
  if (!phone.ok) throw new Error(phone.error.message);
  const d = phone.value as Dashboard;
  await expect(main.getByText(/· Phone$/)).toBeVisible();
  await expect(main.getByLabel('Totals').locator('.dash-tile', { has: page.getByText('Contacts', { exact: true }) }).locator('dd')).toHaveText(d.totals.contacts.toLocaleString('en-US'));
  const staffing = main.getByRole('region', { name: 'Staffing suggestion (Erlang C)' });
  await expect(staffing.getByText(/Target: 80\.0% answered within 20 s/)).toBeVisible();

  // A range that ends before it starts is refused with a sentence, and nothing is lost.
  await main.getByLabel('First day').fill('2026-03-10');
  await main.getByLabel('Last day').fill('2026-03-01');
  await expect(main.getByRole('alert')).toHaveText('The last day must not be before the first day.');
  await main.getByRole('button', { name: 'Last 7 days' }).click();
  await expect(main.getByRole('alert')).toBeHidden();
  await main.getByRole('button', { name: 'Back to the workspace' }).click();
  await expect(page.getByRole('listbox', { name: 'Queue' })).toBeVisible();
});

test.describe('an agent', () => {
  let hub: StartedHub;
  const PASSWORD = 'e2e-agent-dashboard-pw-7';
  test.beforeAll(async () => {
    hub = await startHub({ config: { embedded: false } });
    await agentSession(hub, { username: 'e2e-agent-dash', displayName: 'Dana Agent', password: PASSWORD, role: 'agent' });
  });
  test.afterAll(async () => {
    await hub?.close();
  });

  test('signed in to a team hub, an agent has no way to the supervisor views and its calls are refused', async ({ page }) => {
    await page.goto(url());
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    const section = dialog.getByRole('region', { name: 'Team hub' });
    const current = section.getByRole('group', { name: 'Current hub' });
    await expect(current.getByText('Online', { exact: true })).toBeVisible({ timeout: 15_000 });
    await section.getByLabel('Hub address', { exact: true }).fill(hub.url);
    await section.getByLabel('Hub user name', { exact: true }).fill('e2e-agent-dash');
    await section.getByLabel('Hub password', { exact: true }).fill(PASSWORD);
    await section.getByRole('button', { name: 'Sign in' }).click();
    try {
      await expect(current.getByText('Team hub', { exact: true })).toBeVisible({ timeout: 15_000 });
      await expect(current.getByText('Online', { exact: true })).toBeVisible({ timeout: 15_000 });
      await page.keyboard.press('Escape');
      await expect(page.getByRole('button', { name: 'Dashboard', exact: true })).toHaveCount(0);
      await page.keyboard.press('Control+k');
      await page.getByRole('combobox', { name: 'Command' }).fill('supervisor dashboard');
      await expect(page.getByRole('option', { name: /Open the supervisor dashboard/ })).toHaveCount(0);
      await page.keyboard.press('Escape');

      const range = await defaultRange(page);
      const refused = await call('supervisorDashboard', { ...range, channels: [] });
      // The sentence, and its key for the agent's language.
      expect(refused).toEqual({ ok: false, error: { code: 'rpc/forbidden', message: 'Only supervisors and admins can see the supervisor dashboard and its reports.', key: 'dashboardRole', params: {} } });
      const pdf = await call('supervisorReportPdf', { title: 'Weekly report' });
      expect(pdf.ok ? null : pdf.error.code).toBe('rpc/forbidden');
      // Nor the live console: no button, and its calls are refused.
      await expect(page.getByRole('button', { name: 'Live console', exact: true })).toHaveCount(0);
      for (const [method, input] of [['supervisorConsole', {}], ['supervisorTake', { conversationId: 1 }], ['supervisorCapacity', { agentId: 1, capacity: { chat: 1 } }]] as const) {
        const answer = await call(method, input);
        expect(answer.ok ? `${method} accepted` : answer.error.code).toBe('rpc/forbidden');
      }
    } finally {
      await page.getByRole('button', { name: 'Settings' }).click();
      const button = section.getByRole('button', { name: 'Use the built-in hub' });
      if (await button.isEnabled()) await button.click();
      await expect(current.getByText('Built-in hub', { exact: true })).toBeVisible({ timeout: 15_000 });
      await expect(current.getByText('Online', { exact: true })).toBeVisible({ timeout: 15_000 });
    }
    // Back on the built-in hub the local supervisor may call it again.
    const range = await defaultRange(page);
    expect((await call('supervisorDashboard', { ...range, channels: [] })).ok).toBe(true);
  });
});
