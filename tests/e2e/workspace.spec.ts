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

  // The engines' view of the case: her urgent chat is overdue, and a phone call is the offer to make.
  const insights = page.getByRole('region', { name: 'Case insights' });
  await expect(insights.getByRole('listitem').filter({ hasText: /Next response overdue/ })).toBeVisible();
  await expect(insights).toContainText('Suggest Phone');

  const profile = page.getByRole('complementary', { name: 'Customer profile' });
  await expect(profile.getByRole('heading', { level: 2, name: 'Jane Smith' })).toBeVisible();
  await expect(profile).toContainText('VP Operations');
  await expect(profile).toContainText('Acme Corp');
  await expect(profile).toContainText('Enterprise');

  await page.screenshot({ path: 'test-results/screenshots/jane-smith-email.png' });
  await timeline.getByRole('note').filter({ hasText: 'Previously contacted via Email' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/jane-smith-chat.png' });
});

test('a reply typed in the composer appears in the timeline as queued and the case leaves the queue', async ({ page }) => {
  await page.goto(url());
  const queue = page.getByRole('listbox', { name: 'Queue' });
  const allTab = page.getByRole('tablist', { name: 'Queue views' }).getByRole('tab', { name: /^All/ });
  await expect(queue.getByRole('option').first()).toBeVisible();
  const countOf = async () => Number(/(\d[\d,]*)/.exec((await allTab.textContent()) ?? '')?.[1]?.replaceAll(',', '') ?? NaN);
  const before = await countOf();
  expect(before).toBeGreaterThan(1);
  // Not Jane (the first): other tests read her open case.
  const option = queue.getByRole('option').nth(1);
  await option.click();
  const subject = (await page.getByRole('main', { name: 'Conversation' }).getByRole('heading', { level: 1 }).textContent()) ?? '';
  expect(subject.length).toBeGreaterThan(0);
  const reply = page.getByRole('textbox', { name: 'Reply' });
  const text = `Thanks for waiting. I have checked this for you (${Date.now()}).`;
  await reply.fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  const timeline = page.getByRole('log', { name: 'Timeline' });
  await expect(timeline.getByText(text)).toBeVisible();
  await expect(timeline.getByText('Queued').last()).toBeVisible();
  await expect(reply).toHaveValue('');
  // Answered: the case now waits on the customer and is no longer in the agents' queue.
  await expect.poll(countOf).toBe(before - 1);
});

test('the queue works from the keyboard: j and k move, Enter opens', async ({ page }) => {
  await page.goto(url());
  const queue = page.getByRole('listbox', { name: 'Queue' });
  const options = queue.getByRole('option');
  await expect(options.first()).toBeVisible();
  await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('j');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  const selected = (await options.nth(1).textContent()) ?? '';
  await page.keyboard.press('Enter');
  const name = page.getByRole('complementary', { name: 'Customer profile' }).getByRole('heading', { level: 2 });
  await expect(name).toBeVisible();
  expect(selected).toContain((await name.textContent()) ?? '<no name>');
});
