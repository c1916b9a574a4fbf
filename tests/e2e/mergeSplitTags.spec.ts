// Merge, split and tags in the headless workspace, in Chromium, by roles and labels: a case merged
// into the customer's other open case brings its messages to that case's timeline; a message split
// off becomes a new case in the queue; a tag on the case makes a "by tag" queue view with its count.
// Uses the demo customer Jeffrey Bradtke (two open cases), whom no other spec touches.
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

const SHOTS = 'test-results/screenshots';
const url = () => {
  const u = process.env.OMNI_E2E_URL;
  if (!u) throw new Error('OMNI_E2E_URL is not set: the global setup did not start the workspace.');
  return u;
};

test.beforeAll(() => fs.mkdirSync(SHOTS, { recursive: true }));

async function openFromPalette(page: Page, query: string, option: RegExp) {
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByRole('combobox', { name: 'Command' }).fill(query);
  await palette.getByRole('option', { name: option }).first().click();
  await expect(palette).toBeHidden();
}

const caseNumber = async (page: Page) => Number(((await page.getByRole('main', { name: 'Conversation' }).locator('.conv-case').textContent()) ?? '').replace('#', ''));

test('merge into the customer’s other case, split a message off again, and tag the case into a queue view', async ({ page }) => {
  await page.goto(url());
  const queue = page.getByRole('listbox', { name: 'Queue' });
  await expect(queue.getByRole('option').first()).toBeVisible();
  const conversation = page.getByRole('main', { name: 'Conversation' });
  const profile = page.getByRole('complementary', { name: 'Customer profile' });

  // Jeffrey's in-app case (the projector) is the one to merge.
  await openFromPalette(page, 'Jeffrey Bradtke', /Jeffrey Bradtke/);
  await expect(profile.getByRole('heading', { level: 2 })).toHaveText('Jeffrey Bradtke');
  const options = page.getByRole('dialog', { name: 'Command palette' });
  await expect(options).toBeHidden();
  let first = await caseNumber(page);
  const subjects = await profile.locator('text=/#\\d+/').count();
  expect(subjects).toBeGreaterThanOrEqual(0);

  await conversation.getByRole('button', { name: 'Merge into…' }).click();
  const merge = page.getByRole('dialog', { name: `Merge #${first} into another case` });
  await expect(merge).toBeVisible();
  const target = merge.getByRole('radio');
  await expect(target).toHaveCount(1);
  const targetLabel = (await merge.locator('label').first().textContent()) ?? '';
  const targetId = Number(/#(\d+)/.exec(targetLabel)![1]);
  await page.screenshot({ path: `${SHOTS}/merge-dialog.png` });
  await merge.getByRole('button', { name: 'Merge' }).click();
  await expect(merge).toBeHidden();

  // The target is the open case now; its timeline says what came in, the merged case left the queue.
  await expect(conversation.locator('.conv-case')).toHaveText(`#${targetId}`);
  await expect(conversation.getByText(new RegExp(`^Case #${first} \\(“.*”\\) merged into this case by .*; its \\d+ events? moved here\\.$`))).toBeVisible();
  await expect(conversation.getByText(`Merged into case #${first}`, { exact: false })).toHaveCount(0);
  await expect(queue.locator(`#queue-option-${first}`)).toHaveCount(0);
  const merged = first;

  // Split the in-app message about the projector off into a new case.
  const message = conversation.getByRole('article', { name: /^In-app from Jeffrey Bradtke/ }).first();
  await message.getByRole('button', { name: /^Split into a new case from this message/ }).click();
  const split = page.getByRole('dialog', { name: `Split #${targetId} into a new case` });
  await expect(split).toBeVisible();
  await split.getByRole('textbox', { name: 'Subject of the new case' }).fill('Projector stuck on connecting');
  await page.screenshot({ path: `${SHOTS}/split-dialog.png` });
  await split.getByRole('button', { name: 'Split' }).click();
  await expect(split).toBeHidden();
  await expect(conversation.getByRole('heading', { level: 1 })).toHaveText('Projector stuck on connecting');
  first = await caseNumber(page);
  expect(first).not.toBe(targetId);
  expect(first).not.toBe(merged);
  await expect(conversation.getByText(`Split off case #${targetId} by`, { exact: false })).toBeVisible();
  await expect(conversation.getByRole('link', { name: `#${targetId}` })).toBeVisible(); // linked both ways

  // Tag the new case: the queue gets a view for the tag, with its count, that holds the case.
  const tabs = page.getByRole('tablist', { name: 'Queue views' });
  await expect(tabs.getByRole('tab', { name: /Tag: projector-e2e/ })).toHaveCount(0);
  await conversation.getByRole('button', { name: 'Add tag' }).click();
  await conversation.getByRole('combobox', { name: 'New tag' }).fill('Projector-E2E');
  await conversation.getByRole('combobox', { name: 'New tag' }).press('Enter');
  const tags = conversation.getByRole('group', { name: 'Tags' });
  await expect(tags.getByText('projector-e2e', { exact: true })).toBeVisible();
  const tab = tabs.getByRole('tab', { name: /Tag: projector-e2e/ });
  await expect(tab).toContainText('1');
  await tab.click();
  await expect(queue.getByRole('option')).toHaveCount(1);
  await expect(queue.getByRole('option')).toContainText('Projector stuck on connecting');
  await page.screenshot({ path: `${SHOTS}/tag-view.png` });

  // A bad tag says why and keeps what was typed.
  await conversation.getByRole('button', { name: 'Add tag' }).click();
  await conversation.getByRole('combobox', { name: 'New tag' }).fill('<b>');
  await conversation.getByRole('combobox', { name: 'New tag' }).press('Enter');
  await expect(tags.getByRole('alert')).toContainText('letters and digits');
  await expect(conversation.getByRole('combobox', { name: 'New tag' })).toHaveValue('<b>');
  await conversation.getByRole('combobox', { name: 'New tag' }).press('Escape');

  // Removing the tag empties the view (it stays while it is the current one).
  await tags.getByRole('button', { name: 'Remove tag projector-e2e' }).click();
  await expect(tags.getByText('projector-e2e', { exact: true })).toHaveCount(0);
  await expect(tab).toContainText('0');
  await expect(page.getByText('No open conversation is tagged “projector-e2e”.')).toBeVisible();
  await tabs.getByRole('tab', { name: /^All/ }).click();
  await expect(tabs.getByRole('tab', { name: /Tag: projector-e2e/ })).toHaveCount(0);
});
