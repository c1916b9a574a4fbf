// Case actions in the headless workspace: resolve with a resolution code from the keyboard (and
// reopen), snooze a case and see it leave the queue. Cases far down the queue: other specs read the
// first ones (Jane Smith's among them).
import { expect, test, type Page } from '@playwright/test';

const url = () => {
  const u = process.env.OMNI_E2E_URL;
  if (!u) throw new Error('OMNI_E2E_URL is not set: the global setup did not start the workspace.');
  return u;
};

/** Opens the queue's n-th case; returns its number. */
async function openNth(page: Page, n: number): Promise<number> {
  await page.goto(url());
  const queue = page.getByRole('listbox', { name: 'Queue' });
  await expect(queue.getByRole('option').nth(n)).toBeVisible();
  const option = queue.getByRole('option').nth(n);
  const caseId = Number(/^queue-option-(\d+)$/.exec((await option.getAttribute('id')) ?? '')?.[1]);
  expect(caseId).toBeGreaterThan(0);
  await option.click();
  await expect(page.getByRole('main', { name: 'Conversation' }).locator('.conv-case')).toHaveText(`#${caseId}`);
  return caseId;
}

test('an agent resolves a case as "Workaround given" from the keyboard, then reopens it', async ({ page }) => {
  const caseId = await openNth(page, 6);
  const conversation = page.getByRole('main', { name: 'Conversation' });
  const queue = page.getByRole('listbox', { name: 'Queue' });

  await conversation.getByRole('button', { name: 'Resolve' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: `Resolve #${caseId}` });
  await expect(dialog).toBeVisible();
  // Solved is picked and focused: Enter alone would resolve as Solved; the arrow picks the next code.
  await expect(dialog.getByRole('radio', { name: 'Solved' })).toBeChecked();
  await expect(dialog.getByRole('radio', { name: 'Solved' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(dialog.getByRole('radio', { name: 'Workaround given' })).toBeChecked();
  await dialog.screenshot({ path: 'test-results/screenshots/resolve-dialog.png' });
  await page.keyboard.press('Enter');

  await expect(dialog).toBeHidden();
  await expect(conversation.getByText('Resolved', { exact: true })).toBeVisible();
  await expect(conversation.getByText(/^Resolved as Workaround given by /)).toBeVisible();
  await expect(conversation.getByRole('button', { name: 'Resolve' })).toHaveAccessibleDescription(/Already resolved; .* Resolution: Workaround given\./);
  await expect(queue.locator(`#queue-option-${caseId}`)).toHaveCount(0);
  await conversation.locator('.conv-header').screenshot({ path: 'test-results/screenshots/conversation-header-resolved-code.png' });

  // Reopen: back in the queue, open again.
  await conversation.getByRole('button', { name: 'Reopen' }).press('Enter');
  await expect(conversation.getByText(/^Reopened by /)).toBeVisible();
  await expect(queue.locator(`#queue-option-${caseId}`)).toHaveCount(1);
  await expect(conversation.getByRole('button', { name: 'Resolve' })).toBeEnabled();
  await expect(conversation.getByRole('button', { name: 'Snooze' })).toBeVisible();
});

test('a case snoozed for an hour leaves the queue and says until when', async ({ page }) => {
  const caseId = await openNth(page, 7);
  const conversation = page.getByRole('main', { name: 'Conversation' });
  const queue = page.getByRole('listbox', { name: 'Queue' });

  const snooze = conversation.getByRole('button', { name: 'Snooze' });
  await snooze.press('Enter');
  const menu = page.getByRole('menu', { name: 'Snooze until' });
  await expect(menu.getByRole('menuitem', { name: 'For 1 hour' })).toBeFocused();
  await expect(menu.getByRole('menuitem')).toHaveText(['For 1 hour', 'Tomorrow 9:00', 'Next Monday 9:00', 'Until the customer replies', 'Custom time…']);
  await page.screenshot({ path: 'test-results/screenshots/snooze-menu.png' });
  await page.keyboard.press('Enter');

  await expect(menu).toBeHidden();
  await expect(queue.locator(`#queue-option-${caseId}`)).toHaveCount(0);
  await expect(conversation.getByText('Snoozed', { exact: true })).toBeVisible();
  await expect(conversation.getByText(/^Snoozed until .+ by /)).toBeVisible();
  await expect(conversation.locator('.conv-actions').getByText(/^Snoozed until /)).toBeVisible();
});

test('the palette links the open case to another by number, and "Linked: #N" opens that case', async ({ page }) => {
  const other = await openNth(page, 9);
  const caseId = await openNth(page, 8);
  const conversation = page.getByRole('main', { name: 'Conversation' });
  const palette = page.getByRole('dialog', { name: 'Command palette' });

  await page.keyboard.press('Control+k');
  const box = palette.getByRole('combobox', { name: 'Command' });
  await expect(box).toBeFocused();
  await page.keyboard.type('link to another');
  const wanted = palette.getByRole('option', { name: /Link to another case/ }).first();
  const wantedId = await wanted.getAttribute('id');
  for (let i = 0; i < 20 && (await box.getAttribute('aria-activedescendant')) !== wantedId; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const number = palette.getByRole('textbox', { name: 'Case number' });
  await expect(number).toBeFocused();
  await page.keyboard.type(`#${caseId}`);
  await palette.getByRole('button', { name: 'Link' }).press('Enter');
  await expect(palette.getByRole('alert')).toContainText('cannot be linked to itself');
  await number.fill(String(other));
  await palette.getByRole('button', { name: 'Link' }).press('Enter');
  await expect(palette).toBeHidden();

  const link = conversation.locator('.conv-header').getByRole('link', { name: `#${other}` });
  await expect(conversation.locator('.conv-header')).toContainText(`Linked: #${other}`);
  await expect(conversation.getByText(`Linked to case #${other}.`)).toBeVisible();
  await link.press('Enter');
  await expect(conversation.locator('.conv-case')).toHaveText(`#${other}`);
  await expect(conversation.locator('.conv-header').getByRole('link', { name: `#${caseId}` })).toBeVisible();
});
