// An agent signs in to a team hub from Settings → Team hub and goes back to the built-in hub. The
// shared workspace runs on its built-in hub; this story always ends there again (the built-in hub
// comes back at the same address, so the widget demo of other stories keeps working).
import { expect, test, type Locator } from '@playwright/test';
import { agentSession, startHub, type StartedHub } from '../helpers/hub';

const PASSWORD = 'e2e-team-hub-password-42';
let hub: StartedHub;

test.beforeAll(async () => {
  hub = await startHub({ config: { embedded: false } });
  await agentSession(hub, { username: 'e2e-sam', displayName: 'Sam E2E', password: PASSWORD });
});

test.afterAll(async () => {
  await hub?.close();
});

function url(): string {
  const u = process.env.OMNI_E2E_URL;
  if (!u) throw new Error('OMNI_E2E_URL is not set: the global setup did not start the workspace.');
  return u;
}

async function backToBuiltIn(section: Locator): Promise<void> {
  const button = section.getByRole('button', { name: 'Use the built-in hub' });
  if (await button.isEnabled()) await button.click();
  await expect(section.getByRole('group', { name: 'Current hub' }).getByText('Built-in hub', { exact: true })).toBeVisible({ timeout: 15_000 });
}

test('an agent signs in to a team hub from Settings, and goes back to the built-in hub', async ({ page }) => {
  await page.goto(url());
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const section = dialog.getByRole('region', { name: 'Team hub' });
  const current = section.getByRole('group', { name: 'Current hub' });
  await expect(current.getByText('Built-in hub', { exact: true })).toBeVisible();
  await expect(current.getByText('Online', { exact: true })).toBeVisible({ timeout: 15_000 });
  const demo = process.env.OMNI_E2E_WIDGET_DEMO;
  if (demo) await expect(current.getByRole('link', { name: demo })).toHaveAttribute('href', demo);

  // Checked before anything is sent: each field says what is wrong.
  await section.getByLabel('Hub address', { exact: true }).fill('hub.example.com');
  await section.getByRole('button', { name: 'Sign in' }).click();
  await expect(section.getByText('Enter an address starting with http:// or https://, like https://hub.example.com.')).toBeVisible();
  await expect(section.getByText('Enter your user name on the hub.')).toBeVisible();
  await expect(section.getByText('Enter your password.')).toBeVisible();

  // The hub says no: its sentence, and nothing changes.
  await section.getByLabel('Hub address', { exact: true }).fill(hub.url);
  await section.getByLabel('Hub user name', { exact: true }).fill('e2e-sam');
  await section.getByLabel('Hub password', { exact: true }).fill('not-the-password');
  await section.getByRole('button', { name: 'Sign in' }).click();
  await expect(section.getByRole('alert')).toHaveText('The user name or password is wrong.');
  await expect(current.getByText('Built-in hub', { exact: true })).toBeVisible();

  try {
    await section.getByLabel('Hub password', { exact: true }).fill(PASSWORD);
    await section.getByRole('button', { name: 'Sign in' }).click();
    await expect(current.getByText('Team hub', { exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(current.getByText(hub.url)).toBeVisible();
    await expect(current.getByText('Online', { exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(current.getByText(/Signed in as e2e-sam/)).toBeVisible();
    await expect(section.getByLabel('Hub password', { exact: true })).toHaveValue('');
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/screenshots/settings-team-hub.png' });
  } finally {
    await backToBuiltIn(section);
  }
  await expect(current.getByText('Online', { exact: true })).toBeVisible({ timeout: 15_000 });
  if (demo) await expect(current.getByRole('link', { name: demo })).toBeVisible();
});
