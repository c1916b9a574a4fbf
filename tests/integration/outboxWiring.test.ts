// The durable outbox wired into the core against real peers (Dovecot + an SMTP server that
// delivers into it): a customer email arrives through the saved mailbox, the agent's reply leaves
// over SMTP into the customer's INBOX with the threading headers and the case token, and
// deliveryChanged goes queued → sending → delivered; an SMTP outage keeps a reply queued with a
// readable reason until the server is back; a 5xx fails with the server's reason until retried.
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config';
import { createCore, type Core } from '../../src/main/core';
import { EncryptedFileSecretStore } from '../../src/main/secrets';
import type { EventName, EventPayload } from '../../src/shared/contract';
import type { TimelineEvent } from '../../src/shared/domain';
import { connectMailPeers, type MailPeers } from '../helpers/smtpServer';
import { tempDir } from '../helpers/tempDir';

let peers: MailPeers;
let core: Core;
const tmp = tempDir('omni-outboxwiring-');
const events: Array<{ name: EventName; payload: unknown }> = [];
const SUPPORT = { user: 'help', password: 'Help-Desk-Passw0rd' };
const CUSTOMER = { user: 'dana', password: 'Dana-Passw0rd' };
let caseId = 0;
let firstMessageId = '';
let seq = 0;

beforeAll(async () => {
  peers = await connectMailPeers({ dovecot: { users: [SUPPORT, CUSTOMER] } });
  const config = loadConfig({ argv: ['--data-dir', path.join(tmp.dir, 'data'), '--no-demo', '--port', '0'], env: {} });
  core = createCore(config, {
    mode: 'headless',
    log: process.env.DEBUG_OUTBOX ? (line) => console.log(line) : () => {},
    secrets: new EncryptedFileSecretStore({ file: path.join(tmp.dir, 'data', 'secrets.enc') }),
    mail: { backoff: { initialMs: 50, maxMs: 400, authFailureMs: 400 }, session: { autoIdleDelayMs: 200 } },
    outbox: { backoff: { initialMs: 150, maxMs: 600 }, pollMs: 1_000 },
  });
  core.subscribe((name, payload) => events.push({ name, payload }));
});

afterAll(async () => {
  await core?.close();
  await peers?.stop();
  tmp.remove();
});

afterEach(async () => {
  if (!peers.smtp.listening) await peers.smtp.start();
});

async function call<T>(method: string, input: unknown): Promise<T> {
  const result = await core.dispatch(method, input, { transport: 'direct' });
  if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

/** Every message in a mailbox, parsed, in UID order. */
async function mailbox(user: { user: string; password: string }, folder = 'INBOX'): Promise<ParsedMail[]> {
  const client = new ImapFlow({ host: '127.0.0.1', port: peers.dovecot.imapPort, secure: false, auth: { user: user.user, pass: user.password }, logger: false });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const lock = await client.getMailboxLock(folder);
    try {
      const out: ParsedMail[] = [];
      if ((client.mailbox && client.mailbox.exists) === 0) return out;
      for await (const msg of client.fetch('1:*', { source: true, uid: true })) out.push(await simpleParser(msg.source!));
      return out;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

const deliveries = (eventId: number) =>
  events.filter((e) => e.name === 'deliveryChanged' && (e.payload as EventPayload<'deliveryChanged'>).eventId === eventId).map((e) => e.payload as EventPayload<'deliveryChanged'>);

const outgoingOf = (eventId: number) => core.outbox.forEvent(eventId);

async function reply(body: string): Promise<TimelineEvent> {
  return call<TimelineEvent>('sendReply', { caseId, channel: 'email', body, idempotencyKey: `reply-${++seq}-${Date.now()}` });
}

/** The bodies of the customer's INBOX that are agent replies (not the auto-reply). */
async function customerReplies(): Promise<ParsedMail[]> {
  return (await mailbox(CUSTOMER)).filter((m) => m.headers.get('auto-submitted') === undefined);
}

describe('the outbox wired into the core', () => {
  it('delivers an agent reply to the customer INBOX with threading and the case token, queued → sending → delivered', async () => {
    const saved = await call<{ id: number }>('saveMailAccount', {
      name: 'Omni Help',
      address: 'help@omni.test',
      imap: { host: '127.0.0.1', port: peers.dovecot.imapPort, tls: 'none' },
      smtp: { host: '127.0.0.1', port: peers.smtp.port, tls: 'none' },
      username: SUPPORT.user,
      auth: 'password',
      secret: SUPPORT.password,
      syncDays: 30,
    });
    await waitFor('the mailbox to connect', () => core.mail.getAccount(saved.id)?.status === 'idle');

    firstMessageId = `<parcel-${Date.now()}@omni.test>`;
    await peers.dovecot.deliver(
      [
        'From: Dana Customer <dana@omni.test>',
        'To: Help <help@omni.test>',
        'Subject: My parcel has not arrived',
        `Message-ID: ${firstMessageId}`,
        `Date: ${new Date().toUTCString()}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Where is my parcel?',
        '',
      ].join('\r\n'),
      SUPPORT.user,
    );
    const incoming = await waitFor('the customer email in the timeline', () =>
      events.map((e) => (e.name === 'timelineAppended' ? (e.payload as { event: TimelineEvent }).event : null)).find((e) => e?.direction === 'in' && e.subject === 'My parcel has not arrived'),
    );
    caseId = incoming.caseId!;
    expect(caseId).toBeGreaterThan(0);

    // The auto-responder answered the new mail through the same outbox.
    const auto = await waitFor('the auto-reply in the customer INBOX', async () => (await mailbox(CUSTOMER)).find((m) => m.headers.get('auto-submitted') === 'auto-replied'));
    expect(auto.inReplyTo).toBe(firstMessageId);
    expect(auto.subject).toBe(`Re: My parcel has not arrived [#${caseId}]`);

    const event = await reply('Your parcel left our warehouse today.');
    expect(event).toMatchObject({ direction: 'out', delivery: 'queued', deliveryDetail: null });
    await waitFor('delivered', () => deliveries(event.id).some((d) => d.status === 'delivered'));
    expect(deliveries(event.id).map((d) => d.status)).toEqual(['sending', 'delivered']);
    expect(deliveries(event.id).every((d) => d.caseId === caseId && d.detail === null)).toBe(true);
    // queued came with the reply itself (sendReply's answer and timelineAppended).
    const appended = events.find((e) => e.name === 'timelineAppended' && (e.payload as { event: TimelineEvent }).event.id === event.id);
    expect((appended!.payload as { event: TimelineEvent }).event.delivery).toBe('queued');

    const [got, ...more] = await waitFor('the reply in the customer INBOX', async () => {
      const box = await customerReplies();
      return box.length ? box : null;
    });
    expect(more).toEqual([]);
    expect(got!.subject).toBe(`Re: My parcel has not arrived [#${caseId}]`);
    expect(got!.inReplyTo).toBe(firstMessageId);
    expect(got!.messageId).toBe(outgoingOf(event.id)!.messageId);
    // The Message-ID carries the domain of the support address (help@omni.test), not omni.local.
    expect(got!.messageId).toMatch(new RegExp(`^<case-${caseId}\\.[^@]+@omni\\.test>$`));
    expect((got!.text ?? '').trim()).toBe('Your parcel left our warehouse today.');
    expect(core.repo.eventById(event.id)).toMatchObject({ delivery: 'delivered', deliveryDetail: null });

    // The customer's mail is \Answered on the server.
    const mails = core.mail.mailsOfCase(caseId);
    await waitFor('\\Answered', () => core.mail.mailsOfCase(caseId).every((m) => m.flags.includes('\\Answered')));
    expect(mails.length).toBeGreaterThan(0);
  });

  it('keeps a reply queued with a readable reason while SMTP is down, and delivers it once when it is back', async () => {
    await peers.smtp.stop();
    const event = await reply('Sent during the outage.');
    const queued = await waitFor('a queued change with a reason', () => deliveries(event.id).find((d) => d.status === 'queued' && d.detail !== null));
    expect(queued.detail).toMatch(/^The mail server 127\.0\.0\.1 refused the connection; retrying in \d+ s$/);
    expect(core.repo.eventById(event.id)).toMatchObject({ delivery: expect.stringMatching(/^(queued|sending)$/) });
    const timeline = await call<{ events: TimelineEvent[] }>('customerTimeline', { customerId: core.repo.eventById(event.id).customerId, limit: 50 });
    const shown = timeline.events.find((e) => e.id === event.id)!;
    if (shown.delivery === 'queued') expect(shown.deliveryDetail).toMatch(/refused the connection; retrying in/);

    await peers.smtp.start();
    await waitFor('delivered after the outage', () => outgoingOf(event.id)!.status === 'delivered');
    await core.outboxWorker.idle();
    const statuses = deliveries(event.id).map((d) => d.status);
    expect(statuses[0]).toBe('sending');
    expect(statuses.at(-1)).toBe('delivered');
    expect(statuses.filter((s) => s === 'delivered')).toHaveLength(1);
    const box = await waitFor('the reply in the INBOX', async () => {
      const replies = (await customerReplies()).filter((m) => (m.text ?? '').trim() === 'Sent during the outage.');
      return replies.length ? replies : null;
    });
    expect(box).toHaveLength(1);
  });

  it('fails a 5xx with the server reason, and retryReply delivers it', async () => {
    peers.smtp.failNext(1, 550, '5.7.1 Message refused by policy');
    const event = await reply('Refused once.');
    const failed = await waitFor('failed', () => deliveries(event.id).find((d) => d.status === 'failed'));
    expect(failed.detail).toBe('The mail server 127.0.0.1 rejected the message: 550 5.7.1 Message refused by policy');
    expect(core.repo.eventById(event.id)).toMatchObject({ delivery: 'failed', deliveryDetail: failed.detail });

    const retried = await call<TimelineEvent>('retryReply', { eventId: event.id });
    expect(retried.id).toBe(event.id);
    await waitFor('delivered after the retry', () => outgoingOf(event.id)!.status === 'delivered');
    await core.outboxWorker.idle();
    expect(deliveries(event.id).map((d) => d.status)).toEqual(['sending', 'failed', 'queued', 'sending', 'delivered']);
    const box = (await customerReplies()).filter((m) => (m.text ?? '').trim() === 'Refused once.');
    expect(box).toHaveLength(1);

    // Only a failed reply can be retried, with a sentence that says why not.
    const again = await core.dispatch('retryReply', { eventId: event.id }, { transport: 'direct' });
    expect(again).toMatchObject({ ok: false, error: { code: 'outbox/not-failed', message: expect.stringMatching(/already delivered/) } });
    const none = await core.dispatch('retryReply', { eventId: 999_999 }, { transport: 'direct' });
    expect(none).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it("does not append to Sent itself for an account whose server keeps sent copies (sentCopy 'server')", async () => {
    const account = core.mail.accounts()[0]!;
    expect(account.sentCopy).toBe('append');
    // The earlier replies were appended to Sent by us.
    const before = (await mailbox(SUPPORT, account.sentFolder)).length;
    expect(before).toBeGreaterThan(0);

    const saved = await call<{ id: number; sentCopy: string }>('saveMailAccount', {
      id: account.id,
      name: account.name,
      address: account.address,
      imap: account.imap,
      smtp: account.smtp,
      username: account.username,
      auth: account.auth,
      syncDays: account.syncDays,
      sentCopy: 'server',
    });
    expect(saved.sentCopy).toBe('server');
    expect(core.mail.getAccount(account.id)!.sentCopy).toBe('server');

    const event = await reply('Filed by the server.');
    await waitFor('delivered', () => outgoingOf(event.id)!.status === 'delivered');
    await core.outboxWorker.idle();
    const box = await waitFor('the reply in the INBOX', async () => {
      const replies = (await customerReplies()).filter((m) => (m.text ?? '').trim() === 'Filed by the server.');
      return replies.length ? replies : null;
    });
    expect(box).toHaveLength(1);
    const sent = await mailbox(SUPPORT, account.sentFolder);
    expect(sent).toHaveLength(before);
    expect(sent.some((m) => m.messageId === outgoingOf(event.id)!.messageId)).toBe(false);
  });
});
