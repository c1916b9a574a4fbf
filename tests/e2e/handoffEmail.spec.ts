// The channel configuration's chat → email handoff rule end to end in the headless workspace: on
// Jane Smith's urgent chat, picking Email in the composer says the chat transcript will be attached,
// and the email the real SMTP server receives carries it as a text/plain file with the chat's lines.
// A mailbox is added in Settings (real Dovecot for IMAP, a real SMTP server started here). The reply
// moves Jane's case down the queue, which other specs open from its top: this runs on a demo desktop
// of its own.
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { simpleParser } from 'mailparser';
import { startDovecot, type Dovecot } from '../helpers/dovecot';
import { startSmtp, type SmtpPeer } from '../helpers/smtpServer';
import { startDesktopProcess, type DesktopProcess } from './desktopProcess';
import { fillLocalMailbox } from './mailboxForm';

const PASSWORD = 'e2e-handoff-Passw0rd';
const SHOTS = 'test-results/screenshots';

let dovecot: Dovecot;
let smtp: SmtpPeer;
let desk: DesktopProcess | null = null;

test.beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  dovecot = await startDovecot({ users: [{ user: 'e2ehandoff', password: PASSWORD }] });
  smtp = await startSmtp({ deliver: async () => {} });
  desk = await startDesktopProcess({ name: 'handoff', demo: true });
});
test.afterAll(async () => {
  await desk?.stop();
  await smtp?.stop();
  await dovecot?.stop();
});

test('an email reply on a chat says the transcript will be attached, and the sent email carries it', async ({ page }) => {
  await page.goto(desk!.url);
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await page.getByRole('button', { name: 'Settings' }).click();
  await dialog.getByRole('button', { name: 'Add mailbox' }).click();
  await fillLocalMailbox(dialog, { name: 'E2E Handoff', address: 'e2ehandoff@omni.test', imapPort: dovecot.imapPort, smtpPort: smtp.port, user: 'e2ehandoff', password: PASSWORD });
  await dialog.getByRole('button', { name: 'Add mailbox' }).click();
  await expect(dialog.getByRole('listitem', { name: /E2E Handoff/ }).getByText('Connected')).toBeVisible({ timeout: 15_000 });
  await dialog.getByRole('button', { name: 'Close settings' }).click();

  const channel = page.getByRole('combobox', { name: 'Channel' });
  try {
    await page.getByRole('listbox', { name: 'Queue' }).getByRole('option', { name: /Jane Smith/ }).click();
    await expect(page.getByRole('main', { name: 'Conversation' }).getByRole('heading', { level: 1 })).toHaveText('API timeouts on /v2/orders');
    const notice = page.getByRole('status').filter({ hasText: 'transcript' });
    await channel.selectOption('email');
    await expect(notice).toHaveText('The chat transcript will be attached (handoff rule chat → email)');
    // On its own channel the reply hands nothing over, and the composer says nothing.
    await channel.selectOption('chat');
    await expect(page.getByRole('textbox', { name: 'Reply' })).toHaveAttribute('placeholder', /via Chat/);
    await expect(notice).toHaveCount(0);
    await channel.selectOption('email');
    await expect(notice).toHaveText('The chat transcript will be attached (handoff rule chat → email)');
    const marker = `handoff-${Date.now()}`;
    await page.getByRole('textbox', { name: 'Reply' }).fill(`Hi Jane, tier 2 has your checkout failure; details by email (${marker}).`);
    await page.getByRole('form', { name: 'Reply composer' }).screenshot({ path: `${SHOTS}/composer-handoff-transcript.png` });
    await page.screenshot({ path: `${SHOTS}/workspace-handoff-transcript.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('form', { name: 'Reply composer' }).screenshot({ path: `${SHOTS}/composer-handoff-transcript-dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('button', { name: 'Send' }).click();

    const reply = page.getByRole('log', { name: 'Timeline' }).getByRole('article').filter({ hasText: marker });
    await expect(reply.getByText('Delivered', { exact: true })).toBeVisible({ timeout: 20_000 });
    const sent = smtp.received.filter((m) => m.raw.includes(marker));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.envelope.to).toEqual(['jane.smith@acme.example']);
    const mail = await simpleParser(sent[0]!.raw);
    expect(mail.text).toContain(marker);
    const files = mail.attachments.filter((a) => /^chat-transcript-case-\d+-\d{4}-\d{2}-\d{2}\.txt$/.test(a.filename ?? ''));
    expect(files).toHaveLength(1);
    expect(files[0]!.contentType).toBe('text/plain');
    const transcript = files[0]!.content.toString('utf8');
    expect(transcript).toMatch(/^Chat transcript — case \d+/);
    expect(transcript).toContain('Jane Smith (customer): This is urgent — our checkout is failing for EU customers because of the API timeouts.');
    expect(transcript).toContain('Jane Smith (customer): Every EU order since 14:40 UTC fails at checkout.');
    // The emails of the case are not part of the chat's transcript.
    expect(transcript).not.toContain('Hello Omni Support');
  } finally {
    // The mailbox goes again, so its IMAP client is not left polling the Dovecot stopped after this spec.
    if ((await channel.count()) > 0) await channel.selectOption('chat').catch(() => undefined);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Settings' }).click();
    await dialog.getByRole('button', { name: 'Remove E2E Handoff' }).click();
    await expect(dialog.getByRole('listitem', { name: /E2E Handoff/ })).toHaveCount(0);
  }
});
