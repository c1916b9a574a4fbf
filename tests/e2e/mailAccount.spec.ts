// A mailbox connected from the Settings dialog in the headless workspace, against a real Dovecot
// started here: it becomes Connected, an HTML email delivered over LMTP reaches the queue, and
// opening it shows the HTML (with its cid: image) in the sandboxed email frame.
import { expect, test, type Page } from '@playwright/test';
import { startDovecot, type Dovecot } from '../helpers/dovecot';

const PASSWORD = 'e2e-mailbox-Passw0rd';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let dovecot: Dovecot;

test.beforeAll(async () => {
  dovecot = await startDovecot({ users: [{ user: 'e2esupport', password: PASSWORD }] });
});
test.afterAll(async () => {
  await dovecot?.stop();
});

const url = () => {
  const u = process.env.OMNI_E2E_URL;
  if (!u) throw new Error('OMNI_E2E_URL is not set: the global setup did not start the workspace.');
  return u;
};

function htmlMail(subject: string): string {
  return [
    'From: Noor Haddad <noor.haddad@customer.example>',
    'To: Support <e2esupport@omni.test>',
    `Subject: ${subject}`,
    `Message-ID: <e2e-${Date.now()}@customer.example>`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/related; boundary="rel"',
    '',
    '--rel',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<html><body style="font-family: Georgia, serif">',
    '<h1 style="color:#b00020">Invoice 2291 is wrong</h1>',
    '<p>Hello, the <b>total</b> on my invoice does not match the order. Screenshot: <img src="cid:shot@customer.example" alt="screenshot" width="40" height="40"></p>',
    '<p>Tracking pixel: <img src="https://tracker.example/pixel.gif" alt=""></p>',
    '<script>document.title = "pwned"</script>',
    '</body></html>',
    '--rel',
    'Content-Type: image/png; name="shot.png"',
    'Content-Transfer-Encoding: base64',
    'Content-ID: <shot@customer.example>',
    'Content-Disposition: inline; filename="shot.png"',
    '',
    PNG.toString('base64'),
    '--rel--',
    '',
  ].join('\r\n');
}

async function fill(page: Page, label: string, value: string) {
  await page.getByRole('dialog', { name: 'Settings' }).getByLabel(label, { exact: true }).fill(value);
}

/** Scrolls the virtualized queue until the case with this subject is rendered. */
async function findInQueue(page: Page, subject: string) {
  const queue = page.getByRole('listbox', { name: 'Queue' });
  const option = queue.getByRole('option').filter({ hasText: subject });
  await expect(queue.getByRole('option').first()).toBeVisible();
  await queue.evaluate((el) => (el.scrollTop = 0));
  for (let i = 0; i < 400; i++) {
    if ((await option.count()) > 0) return option;
    const atEnd = await queue.evaluate((el) => {
      const end = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      el.scrollTop += el.clientHeight;
      return end;
    });
    if (atEnd) await queue.evaluate((el) => (el.scrollTop = 0));
    await page.waitForTimeout(30);
  }
  throw new Error(`The case "${subject}" did not appear in the queue.`);
}

test('a mailbox added in Settings connects, and its HTML email opens in the sandboxed frame', async ({ page }) => {
  await page.goto(url());
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Mailboxes' })).toBeVisible();

  await dialog.getByRole('button', { name: 'Add mailbox' }).click();
  // Validation shows next to the fields, and nothing is saved.
  await fill(page, 'Email address', 'not an address');
  await fill(page, 'IMAP port', '70000');
  await dialog.getByRole('button', { name: 'Add mailbox' }).click();
  await expect(dialog.getByText('Enter an email address like support@example.com.')).toBeVisible();
  await expect(dialog.getByText('Ports go from 1 to 65535.')).toBeVisible();
  await expect(dialog.getByText('Give the mailbox a name.')).toBeVisible();
  await expect(dialog.getByText('Enter the password.')).toBeVisible();

  await fill(page, 'Name', 'E2E Support');
  await fill(page, 'Email address', 'e2esupport@omni.test');
  await fill(page, 'IMAP server', '127.0.0.1');
  await fill(page, 'IMAP port', String(dovecot.imapPort));
  await dialog.getByLabel('IMAP encryption').selectOption('none');
  await fill(page, 'SMTP server', '127.0.0.1');
  await fill(page, 'SMTP port', '2525');
  await dialog.getByLabel('SMTP encryption').selectOption('none');
  await fill(page, 'User name', 'e2esupport');
  await expect(dialog.getByLabel('Password', { exact: true })).toHaveAttribute('type', 'password');
  await fill(page, 'Password', PASSWORD);
  await dialog.getByRole('button', { name: 'Add mailbox' }).click();

  const item = dialog.getByRole('listitem', { name: /E2E Support/ });
  await expect(item).toBeVisible();
  await expect(item.getByText('Connected')).toBeVisible({ timeout: 15_000 });
  await page.screenshot({ path: 'test-results/screenshots/settings-mailboxes.png' });
  await dialog.getByRole('button', { name: 'Close settings' }).click();
  await expect(dialog).toBeHidden();

  const subject = `Invoice 2291 is wrong (${Date.now()})`;
  await dovecot.deliver(htmlMail(subject), 'e2esupport');
  const option = await findInQueue(page, subject);
  await expect(option).toContainText('Noor Haddad');
  await option.click();

  const timeline = page.getByRole('log', { name: 'Timeline' });
  const frame = timeline.locator('iframe[title="Email from Noor Haddad"]');
  await expect(frame).toBeVisible();
  await expect(frame).toHaveAttribute('sandbox', 'allow-popups allow-popups-to-escape-sandbox');
  const inside = frame.contentFrame();
  await expect(inside.getByRole('heading', { name: 'Invoice 2291 is wrong' })).toBeVisible();
  await expect(inside.getByText('does not match the order')).toBeVisible();
  // The cid: image loaded from /attachments/<sha256> on the workspace's origin.
  const shot = inside.getByRole('img', { name: 'screenshot' });
  await expect(shot).toHaveAttribute('src', /\/attachments\/[0-9a-f]{64}$/);
  await expect.poll(() => shot.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  // The remote pixel waits for the agent.
  await expect(timeline.getByRole('button', { name: 'Show images from sender' })).toBeVisible();
  expect(await page.title()).not.toBe('pwned');
  await frame.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/email-html-in-timeline.png' });

  // Leave the shared workspace as it was: the mailbox goes (its mail stays in the timeline).
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Settings' }).click();
  await dialog.getByRole('button', { name: 'Remove E2E Support' }).click();
  await expect(dialog.getByRole('listitem', { name: /E2E Support/ })).toHaveCount(0);
});
