import { expect, test, type Locator, type Page } from '@playwright/test';

const url = () => {
  const u = process.env.OMNI_E2E_URL;
  if (!u) throw new Error('OMNI_E2E_URL is not set: the global setup did not start the workspace.');
  return u;
};

const palette = (page: Page) => page.getByRole('dialog', { name: 'Command palette' });

/** Ctrl+K, the query, then ArrowDown until the wanted option is the active one, then Enter: all keys. */
async function runCommand(page: Page, query: string, option: RegExp): Promise<void> {
  await page.keyboard.press('Control+k');
  const box = palette(page).getByRole('combobox', { name: 'Command' });
  await expect(box).toBeFocused();
  await page.keyboard.type(query);
  const wanted = palette(page).getByRole('option', { name: option }).first();
  await expect(wanted).toBeVisible();
  const wantedId = await wanted.getAttribute('id');
  for (let i = 0; i < 40 && (await box.getAttribute('aria-activedescendant')) !== wantedId; i++) await page.keyboard.press('ArrowDown');
  await expect(box).toHaveAttribute('aria-activedescendant', wantedId!);
  await expect(wanted).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
}

async function queueReady(page: Page): Promise<Locator> {
  await page.goto(url());
  const queue = page.getByRole('listbox', { name: 'Queue' });
  await expect(queue.getByRole('option').first()).toBeVisible();
  return queue;
}

test('the palette can do every quick action from the keyboard', async ({ page }) => {
  const queue = await queueReady(page);
  const tabs = page.getByRole('tablist', { name: 'Queue views' });
  const profileName = page.getByRole('complementary', { name: 'Customer profile' }).getByRole('heading', { level: 2 });

  // Esc closes the palette and focus goes back where it was.
  await queue.focus();
  await page.keyboard.press('Control+k');
  await expect(palette(page)).toBeVisible();
  await page.keyboard.type('queue');
  await expect(palette(page).getByRole('group', { name: 'Navigation' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/command-palette.png' });
  await page.keyboard.press('Escape');
  await expect(palette(page)).toBeHidden();
  await expect(queue).toBeFocused();

  // A queue view.
  await runCommand(page, 'breaching', /Queue: Breaching soon/);
  await expect(tabs.getByRole('tab', { name: /Breaching soon/ })).toHaveAttribute('aria-selected', 'true');
  await expect(queue).toBeFocused();
  await runCommand(page, 'queue all', /Queue: All/);
  await expect(tabs.getByRole('tab', { name: /^All/ })).toHaveAttribute('aria-selected', 'true');

  // A case by a word of its messages (the full-text search): Jane Smith's 504 error. Only opened.
  await runCommand(page, '504 gateway timeout', /Jane Smith/);
  // (listed under "Found in messages": her case matched a message, not its title)
  await expect(profileName).toHaveText('Jane Smith');

  // A case by its customer's name, from the queue: not Jane (the first), whose case other tests read.
  const other = ((await queue.getByRole('option').nth(2).locator('.qi-name').textContent()) ?? '').trim();
  expect(other.length).toBeGreaterThan(0);
  await runCommand(page, other, new RegExp(other));
  await expect(profileName).toHaveText(other);
  const conversation = page.getByRole('main', { name: 'Conversation' });
  const caseNumber = ((await conversation.locator('.conv-case').textContent()) ?? '').trim();

  // Focus the reply box.
  await runCommand(page, 'reply', /^Reply/);
  await expect(page.getByRole('textbox', { name: 'Reply' })).toBeFocused();
  await page.keyboard.press('Escape');

  // Resolve the open case: the palette opens the resolution-code dialog, Enter takes the picked code.
  await runCommand(page, 'resolve', /Resolve the case/);
  const resolveDialog = page.getByRole('dialog', { name: `Resolve ${caseNumber}` });
  await expect(resolveDialog.getByRole('radio', { name: 'Solved' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(resolveDialog).toBeHidden();
  await expect(conversation.getByText(/^Resolved as Solved by /)).toBeVisible();
  await expect(conversation.getByText('Resolved', { exact: true })).toBeVisible();
  await expect(conversation.getByRole('button', { name: 'Resolve' })).toBeDisabled();
  await expect(conversation.locator('.conv-case')).toHaveText(caseNumber);

  // Presence: away, then available again (other tests take offers).
  const status = page.getByRole('combobox', { name: 'Status' });
  await expect(status).toBeEnabled();
  await runCommand(page, 'away', /Set status: Away/);
  await expect(status).toHaveValue('away');
  await runCommand(page, 'available', /Set status: Available/);
  await expect(status).toHaveValue('available');

  // The cheat sheet, from the palette and from ?.
  await runCommand(page, 'shortcuts', /Show keyboard shortcuts/);
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  await queue.focus();
  await page.keyboard.press('?');
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole('term')).toHaveCount(14);
  await expect(sheet).toContainText('Open the command palette');
  await page.screenshot({ path: 'test-results/screenshots/cheat-sheet.png' });
  await page.keyboard.press('Escape');
  await expect(queue).toBeFocused();
});

test('escalating a conversation that is not on the hub says why, in the palette', async ({ page }) => {
  const queue = await queueReady(page);
  await queue.focus();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('textbox', { name: 'Reply' })).toBeVisible();
  await runCommand(page, 'escalate', /Escalate/);
  const reason = palette(page).getByRole('textbox', { name: 'Reason' });
  await expect(reason).toBeFocused();
  await page.keyboard.press('Enter'); // a new line: the form is sent with its button
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(palette(page).getByRole('alert')).toContainText('Enter the reason.');
  await reason.focus();
  await page.keyboard.type('Billing dispute above my limit');
  await palette(page).getByRole('button', { name: 'Escalate' }).press('Enter');
  const refusal = palette(page).getByRole('alert');
  await expect(refusal).toBeVisible();
  await expect(refusal).not.toContainText('Enter the reason.');
  // Esc goes back from the form to the list, then closes the palette.
  await page.keyboard.press('Escape');
  await expect(palette(page).getByRole('combobox', { name: 'Command' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(palette(page)).toBeHidden();
});

test('the queue views show their counts, per channel too, and the arrow keys walk them', async ({ page }) => {
  const queue = await queueReady(page);
  const tabs = page.getByRole('tablist', { name: 'Queue views' });
  const count = async (name: RegExp) => Number(/(\d+)\s*$/.exec((await tabs.getByRole('tab', { name }).textContent()) ?? '')?.[1] ?? NaN);
  const all = await count(/^All/);
  const breaching = await count(/Breaching soon/);
  expect(breaching).toBeGreaterThan(0);
  expect(breaching).toBeLessThanOrEqual(all);
  const channelTabs = tabs.locator('[data-view^="channel:"]');
  expect(await channelTabs.count()).toBeGreaterThan(1);
  let sum = 0;
  for (const tab of await channelTabs.all()) sum += Number(/(\d+)\s*$/.exec((await tab.textContent()) ?? '')?.[1] ?? NaN);
  expect(sum).toBe(all);

  // Arrow keys walk the views; the list follows.
  await tabs.getByRole('tab', { name: /^All/ }).focus();
  await page.keyboard.press('End');
  const last = tabs.getByRole('tab').last();
  await expect(last).toBeFocused();
  await expect(last).toHaveAttribute('aria-selected', 'true');
  await expect(queue.getByRole('option').first()).toHaveAttribute('aria-setsize', /(\d+)\s*$/.exec((await last.textContent()) ?? '')?.[1] ?? '<none>');
  await page.keyboard.press('Home');
  await expect(tabs.getByRole('tab', { name: /^All/ })).toHaveAttribute('aria-selected', 'true');
});
