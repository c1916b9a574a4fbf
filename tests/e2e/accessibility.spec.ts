// Accessibility: axe-core over the workspace with a case open (queue, conversation, profile), the
// Settings dialog, the command palette, the supervisor dashboard and the live console, in the light and the dark theme. No serious or critical
// violations are allowed; on failure the rule ids, targets and help text are printed.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

const url = () => {
  const u = process.env.OMNI_E2E_URL;
  if (!u) throw new Error('OMNI_E2E_URL is not set: the global setup did not start the workspace.');
  return u;
};

async function openJane(page: Page): Promise<void> {
  await page.goto(url());
  const queue = page.getByRole('listbox', { name: 'Queue' });
  const jane = queue.getByRole('option', { name: /Jane Smith/ });
  await expect(jane).toBeVisible();
  await jane.click();
  await expect(page.getByRole('complementary', { name: 'Customer profile' }).getByRole('heading', { level: 2, name: 'Jane Smith' })).toBeVisible();
  await expect(page.getByRole('log', { name: 'Timeline' }).getByText(/This is urgent/)).toBeVisible();
}

/** Runs axe (optionally on one part of the page) and fails listing every serious or critical violation. */
async function expectNoSeriousViolations(page: Page, what: string, include?: string): Promise<void> {
  let builder = new AxeBuilder({ page });
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious
    .map((v) => `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes.map((n) => `    ${n.target.join(' ')}  ${n.failureSummary?.split('\n').slice(1).join(' ').trim() ?? ''}`).join('\n')}`)
    .join('\n');
  if (report) console.log(`axe, ${what}:\n${report}`);
  expect(serious.map((v) => v.id), `${what}:\n${report}`).toEqual([]);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`the workspace with a case open has no serious accessibility violations (${scheme} theme)`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openJane(page);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor || getComputedStyle(document.documentElement).backgroundColor);
    const lightness = await page.evaluate(() => {
      const probe = (el: Element) => getComputedStyle(el).backgroundColor;
      const m = /rgba?\((\d+), (\d+), (\d+)/.exec(probe(document.querySelector('.pane') ?? document.body));
      return m ? (Number(m[1]) + Number(m[2]) + Number(m[3])) / 3 : NaN;
    });
    if (scheme === 'dark') expect(lightness, `pane background ${bg}`).toBeLessThan(80);
    else expect(lightness, `pane background ${bg}`).toBeGreaterThan(200);
    await page.screenshot({ path: `test-results/screenshots/a11y-workspace-${scheme}.png` });
    await expectNoSeriousViolations(page, `workspace (${scheme})`);

    // The email the chat continues, with its sandboxed frame when it is an HTML email.
    const timeline = page.getByRole('log', { name: 'Timeline' });
    await timeline.getByText(/504/).first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/screenshots/a11y-email-${scheme}.png` });
    await expectNoSeriousViolations(page, `timeline with the email (${scheme})`);
  });

  test(`the Settings dialog and the command palette have no serious accessibility violations (${scheme} theme)`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openJane(page);

    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await expect(settings).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/a11y-settings-${scheme}.png` });
    await expectNoSeriousViolations(page, `Settings dialog (${scheme})`);
    await page.keyboard.press('Escape');
    await expect(settings).toBeHidden();

    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await expect(palette.getByRole('combobox', { name: 'Command' })).toBeFocused();
    await page.keyboard.type('queue');
    await expect(palette.getByRole('option').first()).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/a11y-palette-${scheme}.png` });
    await expectNoSeriousViolations(page, `command palette (${scheme})`);
  });

  test(`the supervisor dashboard has no serious accessibility violations (${scheme} theme)`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(url());
    await page.getByRole('button', { name: 'Dashboard', exact: true }).click();
    const dashboard = page.getByRole('main', { name: 'Supervisor dashboard' });
    await expect(dashboard.getByLabel('Totals')).toBeVisible({ timeout: 20_000 });
    await dashboard.getByRole('region', { name: 'Volume by channel' }).getByRole('button', { name: 'Show as table' }).click();
    await page.screenshot({ path: `test-results/screenshots/a11y-dashboard-${scheme}.png` });
    await expectNoSeriousViolations(page, `supervisor dashboard (${scheme})`);
  });

  test(`the live console has no serious accessibility violations (${scheme} theme)`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(url());
    await page.getByRole('button', { name: 'Live console', exact: true }).click();
    const view = page.getByRole('main', { name: 'Live console' });
    await expect(view.getByRole('region', { name: 'Agents' }).getByRole('row', { name: /^Local admin/ })).toBeVisible({ timeout: 20_000 });
    await view.getByRole('button', { name: 'Change the capacity of Local admin' }).click();
    await expect(view.getByRole('form', { name: 'Capacity of Local admin' })).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/a11y-live-console-${scheme}.png`, fullPage: true });
    await expectNoSeriousViolations(page, `live console (${scheme})`);
  });
}

test('buttons, links, inputs, tabs and options show a focus ring when focused from the keyboard', async ({ page }) => {
  await openJane(page);
  // Tab through the page and check that every element that takes focus draws an outline or a ring.
  const seen = new Set<string>();
  const missing: string[] = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const hasRing = (e: Element) => {
        const s = getComputedStyle(e);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow !== 'none' && s.boxShadow !== '');
      };
      // A text area inside a framed editor rings the frame instead (:focus-within).
      const frames = [el.parentElement, el.parentElement?.parentElement].filter((e): e is HTMLElement => e != null);
      const ring = hasRing(el) || (el.tagName === 'TEXTAREA' && frames.some(hasRing));
      const name = `${el.tagName.toLowerCase()}${el.getAttribute('role') ? `[role=${el.getAttribute('role')}]` : ''} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`;
      return { name, ring, visible: el.matches(':focus-visible') };
    });
    if (!info || seen.has(info.name)) continue;
    seen.add(info.name);
    if (!info.ring || !info.visible) missing.push(info.name);
  }
  expect(seen.size).toBeGreaterThan(5);
  expect(missing, `no visible focus ring on: ${missing.join(', ')}`).toEqual([]);
});
