import { expect, test, type Page } from '@playwright/test';

const url = () => {
  const u = process.env.OMNI_E2E_URL;
  if (!u) throw new Error('OMNI_E2E_URL is not set: the global setup did not start the workspace.');
  return u;
};

async function openJane(page: Page) {
  await page.goto(url());
  const queue = page.getByRole('listbox', { name: 'Queue' });
  await expect(queue).toBeVisible();
  const jane = queue.getByRole('option', { name: /Jane Smith/ });
  await expect(jane).toBeVisible();
  await jane.click();
  return page.getByRole('log', { name: 'Timeline' });
}

test('an agent opens Jane Smith and sees the Jan 10 email and the Jan 15 chat in one timeline', async ({ page }) => {
  const timeline = await openJane(page);

  // The urgent chat that continues the email thread, and the email it continues.
  await expect(timeline.getByText(/This is urgent/)).toBeVisible();
  await expect(timeline.getByRole('note').filter({ hasText: 'Previously contacted via Email on Jan 10' })).toBeVisible();
  await timeline.getByText(/504/).first().scrollIntoViewIfNeeded();
  await expect(timeline.getByText(/504/).first()).toBeVisible();
  await expect(timeline.getByText(/Jan 10/).first()).toBeVisible();
  await expect(timeline.getByText(/Jan 15/).first()).toBeVisible();

  const profile = page.getByRole('complementary', { name: 'Customer profile' });
  await expect(profile.getByText('Acme Corp')).toBeVisible();
  await expect(profile.getByText(/VP Operations/)).toBeVisible();

  await page.screenshot({ path: 'test-results/screenshots/jane-smith-timeline.png', fullPage: false });
});

test('a reply typed in the composer appears in the timeline as queued', async ({ page }) => {
  const timeline = await openJane(page);
  const reply = page.getByRole('textbox', { name: 'Reply' });
  await reply.fill('Hi Jane, I am looking at the gateway logs for /v2/orders right now.');
  await page.getByRole('button', { name: 'Send' }).click();
  const sent = timeline.getByText('Hi Jane, I am looking at the gateway logs for /v2/orders right now.');
  await expect(sent).toBeVisible();
  await expect(timeline.getByText('Queued').last()).toBeVisible();
  await expect(reply).toHaveValue('');
});

test('the queue works from the keyboard: j and k move, Enter opens', async ({ page }) => {
  await page.goto(url());
  const queue = page.getByRole('listbox', { name: 'Queue' });
  await expect(queue.getByRole('option').first()).toBeVisible();
  await page.keyboard.press('j');
  await expect(queue.getByRole('option').nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('k');
  await expect(queue.getByRole('option').nth(0)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('j');
  const second = await queue.getByRole('option').nth(1).textContent();
  await page.keyboard.press('Enter');
  const header = page.getByRole('heading', { level: 2 }).first();
  await expect(header).toBeVisible();
  expect(second).toBeTruthy();
});
