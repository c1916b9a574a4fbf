// Resolving an email case against a real Dovecot: the case leaves the queue, the customer's mail
// is MOVEd from INBOX to the account's archive folder (created when missing), a refused move shows
// on the account with a reason without undoing the resolve, and a later customer reply reopens it.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config';
import { createCore, type Core } from '../../src/main/core';
import { EncryptedFileSecretStore } from '../../src/main/secrets';
import type { EventName, MailAccountView } from '../../src/shared/contract';
import type { QueueItem, TimelineEvent } from '../../src/shared/domain';
import { startDovecot, type Dovecot } from '../helpers/dovecot';
import { tempDir } from '../helpers/tempDir';

let dovecot: Dovecot;
let core: Core;
let accountId = 0;
const tmp = tempDir('omni-resolve-');
const events: Array<{ name: EventName; payload: unknown; at: number }> = [];
const PASSWORD = 'Resolve-Passw0rd-42';

beforeAll(async () => {
  dovecot = await startDovecot({ users: [{ user: 'help', password: PASSWORD }] });
  // No auto-replies: nothing here is about sending, and there is no SMTP server to take them.
  const config = loadConfig({ argv: ['--data-dir', path.join(tmp.dir, 'data'), '--no-demo', '--no-auto-reply'], env: {} });
  core = createCore(config, {
    mode: 'headless',
    log: () => {},
    secrets: new EncryptedFileSecretStore({ file: path.join(tmp.dir, 'data', 'secrets.enc') }),
    mail: { backoff: { initialMs: 50, maxMs: 400, authFailureMs: 400 }, session: { autoIdleDelayMs: 200 } },
  });
  core.subscribe((name, payload) => events.push({ name, payload, at: Date.now() }));
  const saved = await call<MailAccountView>('saveMailAccount', {
    name: 'Help desk',
    address: 'help@omni.test',
    imap: { host: '127.0.0.1', port: dovecot.imapPort, tls: 'none' },
    username: 'help',
    secret: PASSWORD,
  });
  accountId = saved.id;
  // A support team expects a resolved conversation to leave the shared inbox: on by default.
  expect(saved).toMatchObject({ archiveOnResolve: true, archiveFolder: 'Archive', archiveProblem: null });
  await waitFor('the mailbox to connect', () => core.supervisors.get(accountId)?.connected);
});

afterAll(async () => {
  await core?.close();
  await dovecot?.stop();
  tmp.remove();
});

async function call<T>(method: string, input: unknown): Promise<T> {
  const result = await core.dispatch(method, input, { transport: 'direct' });
  if (!result.ok) throw Object.assign(new Error(`${method}: ${result.error.code}: ${result.error.message}`), result.error);
  return result.value as T;
}

async function waitFor<T>(what: string, check: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}.\n${dovecot.logTail(20)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The UIDs of the mails in `folder` on the server carrying this Message-ID (doveadm reads the mail store itself). */
async function onServer(folder: string, messageId: string): Promise<number> {
  const out = await dovecot.doveadm(['search', '-u', 'help', 'mailbox', folder, 'header', 'Message-ID', messageId]);
  return out.split('\n').filter((l) => l.trim()).length;
}

async function serverFolder(messageId: string, timeoutMs = 15_000): Promise<string[]> {
  const folders = (await dovecot.doveadm(['mailbox', 'list', '-u', 'help'])).split('\n').map((l) => l.trim()).filter(Boolean);
  const start = Date.now();
  for (;;) {
    const found: string[] = [];
    // A parent created for a nested folder ("Resolved" of "Resolved/2026") holds no mail and cannot be searched.
    for (const f of folders) if ((await onServer(f, messageId).catch(() => 0)) > 0) found.push(f);
    if (found.length > 0 || Date.now() - start > timeoutMs) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function customerMail(subject: string, messageId: string, inReplyTo?: string): string {
  return [
    'From: Priya Customer <priya@customer.example>',
    'To: Help <help@omni.test>',
    `Subject: ${subject}`,
    `Message-ID: ${messageId}`,
    ...(inReplyTo ? [`In-Reply-To: ${inReplyTo}`, `References: ${inReplyTo}`] : []),
    `Date: ${new Date().toUTCString()}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `About: ${subject}`,
    '',
  ].join('\r\n');
}

/** Delivers a customer mail and waits until its case is in the queue. */
async function newCase(subject: string, messageId: string): Promise<{ caseId: number; eventId: number }> {
  await dovecot.deliver(customerMail(subject, messageId), 'help');
  const appended = await waitFor('the mail on the timeline', () =>
    events.find((e) => e.name === 'timelineAppended' && (e.payload as { event: TimelineEvent }).event.subject === subject),
  );
  const event = (appended.payload as { event: TimelineEvent }).event;
  await waitFor('the case in the queue', async () => (await queue()).some((i) => i.caseId === event.caseId));
  return { caseId: event.caseId!, eventId: event.id };
}

async function queue(): Promise<QueueItem[]> {
  return (await call<{ items: QueueItem[] }>('queueSnapshot', {})).items;
}

describe('resolving an email case', () => {
  const firstId = `<late-order-${Date.now()}@customer.example>`;
  let first: { caseId: number; eventId: number };

  it('takes the case out of the queue and moves the customer mail from INBOX to Archive', async () => {
    first = await newCase('Order 4711 is late', firstId);
    expect((await queue()).map((i) => i.caseId)).toContain(first.caseId);
    expect(await serverFolder(firstId)).toEqual(['INBOX']);

    const since = Date.now();
    const result = await call('resolveCase', { caseId: first.caseId });
    expect(result).toEqual({ caseId: first.caseId, status: 'resolved', resolvedAt: expect.any(Number), changed: true });
    expect(events.some((e) => e.at >= since && e.name === 'queueChanged')).toBe(true);
    const line = events.find((e) => e.at >= since && e.name === 'timelineAppended')!.payload as { event: TimelineEvent };
    expect(line.event).toMatchObject({ caseId: first.caseId, kind: 'system', direction: 'internal', body: expect.stringMatching(/^Case #\d+ resolved by /) });
    expect((await queue()).map((i) => i.caseId)).not.toContain(first.caseId);

    await waitFor('the store to follow the move', () => core.mail.locateEvent(first.eventId)?.folder === 'Archive');
    expect(await onServer('INBOX', firstId)).toBe(0);
    expect(await onServer('Archive', firstId)).toBe(1);
    const account = (await call<{ accounts: MailAccountView[] }>('mailAccounts', {})).accounts[0]!;
    expect(account).toMatchObject({ status: 'idle', archiveProblem: null });
  });

  it('leaves an already resolved case as it is, and names an unknown case', async () => {
    const before = events.length;
    const again = await call<{ changed: boolean; status: string }>('resolveCase', { caseId: first.caseId });
    expect(again).toMatchObject({ changed: false, status: 'resolved' });
    expect(events.slice(before).filter((e) => e.name === 'queueChanged' || e.name === 'timelineAppended')).toEqual([]);
    await expect(call('resolveCase', { caseId: 999_999 })).rejects.toMatchObject({ code: 'not-found', message: 'Case #999999 does not exist.' });
  });

  it('reopens the case when the customer answers, with the answer in INBOX', async () => {
    const replyId = `<late-order-reply-${Date.now()}@customer.example>`;
    const subject = 'Re: Order 4711 is late';
    await dovecot.deliver(customerMail(subject, replyId, firstId), 'help');
    const answer = await waitFor('the answer on the timeline', () =>
      events.find((e) => e.name === 'timelineAppended' && (e.payload as { event: TimelineEvent }).event.subject === subject),
    );
    expect((answer.payload as { event: TimelineEvent }).event.caseId).toBe(first.caseId);
    const item = await waitFor('the case back in the queue', async () => (await queue()).find((i) => i.caseId === first.caseId));
    expect(item).toMatchObject({ caseId: first.caseId, status: 'open' });
    expect(await serverFolder(replyId)).toEqual(['INBOX']);
  });

  it('creates an archive folder that does not exist yet', async () => {
    const edited = await call<MailAccountView>('saveMailAccount', {
      id: accountId,
      name: 'Help desk',
      address: 'help@omni.test',
      imap: { host: '127.0.0.1', port: dovecot.imapPort, tls: 'none' },
      username: 'help',
      archiveFolder: 'Resolved/2026',
    });
    expect(edited).toMatchObject({ archiveOnResolve: true, archiveFolder: 'Resolved/2026' });
    await waitFor('the mailbox to reconnect', () => core.supervisors.get(accountId)?.connected);
    expect(await dovecot.doveadm(['mailbox', 'list', '-u', 'help'])).not.toMatch(/Resolved/);

    const id = `<refund-${Date.now()}@customer.example>`;
    const c = await newCase('Refund for order 5120', id);
    await call('resolveCase', { caseId: c.caseId });
    await waitFor('the store to follow the move', () => core.mail.locateEvent(c.eventId)?.folder === 'Resolved/2026');
    expect(await serverFolder(id)).toEqual(['Resolved/2026']);
  });

  it('keeps the case resolved and shows a refused move on the account with the reason', async () => {
    // This Dovecot (maildir++) refuses "." in folder names, as some servers do.
    await call('saveMailAccount', {
      id: accountId,
      name: 'Help desk',
      address: 'help@omni.test',
      imap: { host: '127.0.0.1', port: dovecot.imapPort, tls: 'none' },
      username: 'help',
      archiveFolder: 'Closed.2026',
    });
    await waitFor('the mailbox to reconnect', () => core.supervisors.get(accountId)?.connected);
    const id = `<invoice-${Date.now()}@customer.example>`;
    const c = await newCase('Invoice 2291 is wrong', id);
    const since = Date.now();
    expect(await call('resolveCase', { caseId: c.caseId })).toMatchObject({ status: 'resolved', changed: true });
    const changed = await waitFor('the account to report the refused move', () =>
      events.find((e) => e.at >= since && e.name === 'mailAccountChanged' && (e.payload as { account: MailAccountView | null }).account?.archiveProblem),
    );
    const account = (changed.payload as { account: MailAccountView }).account;
    expect(account.archiveProblem).toBe(
      `1 email of case #${c.caseId} could not be moved to "Closed.2026" on 127.0.0.1: the server refused the move and the folder could not be created. Check the archive folder in the mailbox settings.`,
    );
    // its catalog key travels with it, so the accounts screen can say it in the agent's language
    expect(account.archiveProblemText).toEqual({ key: 'archiveRefusedOne', params: { cases: `#${c.caseId}`, folder: 'Closed.2026', host: '127.0.0.1' } });
    expect(account.status).toBe('idle');
    expect((await call<{ accounts: MailAccountView[] }>('mailAccounts', {})).accounts[0]!.archiveProblem).toBe(account.archiveProblem);
    // The mail stays where it was, nothing is retried forever, and the case stays resolved.
    expect(await serverFolder(id)).toEqual(['INBOX']);
    expect(core.mail.pendingChanges(accountId)).toEqual([]);
    expect((await queue()).map((i) => i.caseId)).not.toContain(c.caseId);

    // Archiving off: resolving moves nothing and raises no problem.
    await call('saveMailAccount', {
      id: accountId,
      name: 'Help desk',
      address: 'help@omni.test',
      imap: { host: '127.0.0.1', port: dovecot.imapPort, tls: 'none' },
      username: 'help',
      archiveOnResolve: false,
    });
    await waitFor('the mailbox to reconnect', () => core.supervisors.get(accountId)?.connected);
    const keptId = `<kept-${Date.now()}@customer.example>`;
    const kept = await newCase('Question about plans', keptId);
    await call('resolveCase', { caseId: kept.caseId });
    expect(core.mail.pendingChanges(accountId)).toEqual([]);
    expect(await serverFolder(keptId)).toEqual(['INBOX']);
  });
});
