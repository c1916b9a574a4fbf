// A reply the mail server refuses, end to end in the headless workspace: a mailbox added in
// Settings (real Dovecot for IMAP, a real SMTP server started here), a customer email delivered
// into it, a reply that the SMTP server answers with 550 shows "Not delivered" with the server's
// reason, Retry after the server accepts shows it delivered, and Resolve takes the case away.
import { expect, test, type Page } from '@playwright/test';
import { startDovecot, type Dovecot } from '../helpers/dovecot';
import { startSmtp, type SmtpPeer } from '../helpers/smtpServer';
import { fillLocalMailbox } from './mailboxForm';

const PASSWORD = 'e2e-retry-Passw0rd';
const REFUSAL = 'Mailbox unavailable: policy refuses mail for this recipient';

let dovecot: Dovecot;
let smtp: SmtpPeer;
/** Replies containing this are refused with 550 while set (other mail from the shared workspace passes). */
let refuse: string | null = null;

test.beforeAll(async () => {
  dovecot = await startDovecot({ users: [{ user: 'e2eretry', password: PASSWORD }] });
  smtp = await startSmtp({
    deliver: async (raw) => {
      if (refuse !== null && raw.includes(refuse)) throw Object.assign(new Error(REFUSAL), { responseCode: 550 });
    },
  });
});
test.afterAll(async () => {
  await smtp?.stop();
  await dovecot?.stop();
});

const url = () => {
  const u = process.env.OMNI_E2E_URL;
  if (!u) throw new Error('OMNI_E2E_URL is not set: the global setup did not start the workspace.');
  return u;
};

function customerMail(subject: string): string {
  return [
    'From: Tomás Herrera <tomas.herrera@customer.example>',
    'To: Support <e2eretry@omni.test>',
    `Subject: ${subject}`,
    `Message-ID: <e2e-retry-${Date.now()}@customer.example>`,
    `Date: ${new Date().toUTCString()}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hello, my parcel 88-1204 shows as delivered but it never arrived. Can you check?',
    '',
  ].join('\r\n');
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

test('a reply refused with 550 shows "Not delivered" with the reason, Retry delivers it, and Resolve closes the case', async ({ page }) => {
  await page.goto(url());
  const dialog = page.getByRole('dialog', { name: 'Settings' });

  await page.getByRole('button', { name: 'Settings' }).click();
  await dialog.getByRole('button', { name: 'Add mailbox' }).click();
  await fillLocalMailbox(dialog, { name: 'E2E Retry', address: 'e2eretry@omni.test', imapPort: dovecot.imapPort, smtpPort: smtp.port, user: 'e2eretry', password: PASSWORD });
  // Archive on resolve is on for a new mailbox, into "Archive".
  await expect(dialog.getByLabel('Move to the archive folder on resolve')).toBeChecked();
  await expect(dialog.getByLabel('Archive folder', { exact: true })).toHaveValue('Archive');
  await dialog.getByLabel('Move to the archive folder on resolve').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/settings-archive-on-resolve.png' });
  await dialog.getByRole('button', { name: 'Add mailbox' }).click();
  const item = dialog.getByRole('listitem', { name: /E2E Retry/ });
  await expect(item.getByText('Connected')).toBeVisible({ timeout: 15_000 });
  await dialog.getByRole('button', { name: 'Close settings' }).click();

  try {
    const subject = `Parcel 88-1204 never arrived (${Date.now()})`;
    await dovecot.deliver(customerMail(subject), 'e2eretry');
    const option = await findInQueue(page, subject);
    await option.click();
    const conversation = page.getByRole('main', { name: 'Conversation' });
    await expect(conversation.getByRole('heading', { level: 1 })).toHaveText(subject);

    const marker = `ref-${Date.now()}`;
    refuse = marker;
    await page.getByRole('textbox', { name: 'Reply' }).fill(`Sorry about that, Tomás. I have opened a claim with the carrier (${marker}).`);
    await page.getByRole('button', { name: 'Send' }).click();

    const timeline = page.getByRole('log', { name: 'Timeline' });
    const reply = timeline.getByRole('article').filter({ hasText: marker });
    const failed = reply.getByText(/^Not delivered: /);
    await expect(failed).toBeVisible({ timeout: 20_000 });
    await expect(failed).toContainText(REFUSAL);
    await expect(failed).toContainText('550');
    expect(smtp.rejected.some((r) => r.code === 550)).toBe(true);
    await reply.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/screenshots/email-reply-not-delivered.png' });

    // The server takes mail again: Retry sends the same reply once more, and it is delivered.
    refuse = null;
    await reply.getByRole('button', { name: 'Retry' }).click();
    await expect(reply.getByText('Delivered', { exact: true })).toBeVisible({ timeout: 20_000 });
    await expect(reply.getByRole('button', { name: 'Retry' })).toHaveCount(0);
    expect(smtp.received.filter((m) => m.raw.includes(marker))).toHaveLength(1);
    await page.screenshot({ path: 'test-results/screenshots/email-reply-retried.png' });

    // Resolve from the header: the case shows resolved, the button explains why it is disabled.
    const header = conversation.locator('header.conv-header');
    const resolve = header.getByRole('button', { name: 'Resolve' });
    await expect(resolve).toBeEnabled();
    await header.screenshot({ path: 'test-results/screenshots/conversation-header-resolve.png' });
    await resolve.click();
    await page.getByRole('dialog', { name: /^Resolve #/ }).getByRole('button', { name: 'Resolve' }).click();
    await expect(header.getByText('Resolved', { exact: true })).toBeVisible();
    await expect(resolve).toBeDisabled();
    await expect(resolve).toHaveAccessibleDescription(/Already resolved; a new message from the customer reopens it\./);
    await expect(timeline.getByText(/^Resolved as Solved by /)).toBeVisible();
    await expect(page.getByRole('listbox', { name: 'Queue' }).getByRole('option').filter({ hasText: subject })).toHaveCount(0);
    await header.screenshot({ path: 'test-results/screenshots/conversation-header-resolved.png' });
  } finally {
    // Leave the shared workspace as it was: the mailbox goes (its mail stays in the timeline).
    refuse = null;
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Settings' }).click();
    await dialog.getByRole('button', { name: 'Remove E2E Retry' }).click();
    await expect(dialog.getByRole('listitem', { name: /E2E Retry/ })).toHaveCount(0);
  }
});
