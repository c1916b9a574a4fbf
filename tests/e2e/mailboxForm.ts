// Settings → Mailboxes → Add mailbox: the form filled for a local Dovecot (IMAP) and SMTP peer, both
// unencrypted on 127.0.0.1. The caller clicks "Add mailbox" (some check the form first).
import type { Locator } from '@playwright/test';

export interface LocalMailbox {
  name: string;
  address: string;
  imapPort: number;
  smtpPort: number;
  user: string;
  password: string;
}

export async function fillLocalMailbox(dialog: Locator, m: LocalMailbox): Promise<void> {
  const fill = (label: string, value: string) => dialog.getByLabel(label, { exact: true }).fill(value);
  await fill('Name', m.name);
  await fill('Email address', m.address);
  await fill('IMAP server', '127.0.0.1');
  await fill('IMAP port', String(m.imapPort));
  await dialog.getByLabel('IMAP encryption').selectOption('none');
  await fill('SMTP server', '127.0.0.1');
  await fill('SMTP port', String(m.smtpPort));
  await dialog.getByLabel('SMTP encryption').selectOption('none');
  await fill('User name', m.user);
  await fill('Password', m.password);
}
