// Replies leave over real SMTP into a real Dovecot: the customer gets them with the threading
// headers and the case token, their answer threads back; an SMTP outage queues replies and they
// leave once each, in order, when it ends; a crash after the server accepted a reply does not send
// it twice; a 5xx fails with the server's reason until retried; the auto-responder answers people
// once an hour and never robots, lists, bounces or ourselves.
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { caseIdFromMessageId } from '../../src/shared/cases';
import type { Agent, DeliveryStatus } from '../../src/shared/domain';
import { openDatabase, type Db } from '../../src/main/store/database';
import { MailStore } from '../../src/main/store/mailStore';
import { OutboxStore } from '../../src/main/store/outboxStore';
import { Repository } from '../../src/main/store/repository';
import { createOutboxWorker, type OutboxWorker } from '../../src/main/email/outboxWorker';
import { createSentFolder, createSmtpSender } from '../../src/main/email/smtpSender';
import { autoReplyRequestFor, createAutoResponder, decideAutoReply, DEFAULT_AUTO_REPLY_CONFIG, type IncomingMailFacts } from '../../src/main/email/autoResponder';
import { parseEmail } from '../../src/main/email/mime';
import { connectMailPeers, type MailPeers } from '../helpers/smtpServer';
import { tempDir } from '../helpers/tempDir';

const HOUR = 3_600_000;

let peers: MailPeers;
let seq = 0;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  peers = await connectMailPeers({ dovecot: { users: [] } });
});
afterAll(async () => {
  await peers?.stop();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  if (!peers.smtp.listening) await peers.smtp.start();
});

async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Desk {
  db: Db;
  repo: Repository;
  mail: MailStore;
  outbox: OutboxStore;
  agent: Agent;
  accountId: number;
  support: { user: string; password: string; address: string };
  customer: { user: string; password: string; address: string };
  changes: Array<[number, DeliveryStatus]>;
  worker(): OutboxWorker;
  /** The customer's first mail, which opened the case. */
  caseId: number;
  customerId: number;
  firstMessageId: string;
}

/** A fresh support mailbox and customer mailbox, a desk on a real SQLite file, and a case opened by the customer's mail. */
async function desk(): Promise<Desk> {
  const n = ++seq;
  const s = await peers.dovecot.addUser(`support${n}`, `support${n}-secret`);
  const c = await peers.dovecot.addUser(`customer${n}`, `customer${n}-secret`);
  const tmp = tempDir();
  const db = openDatabase(path.join(tmp.dir, 'omni-desk.sqlite'));
  const repo = new Repository(db);
  const mail = new MailStore(db, repo);
  const outbox = new OutboxStore(db);
  const accountId = mail.upsertAccount(
    {
      name: 'Omni Support',
      address: s.address,
      imap: { host: '127.0.0.1', port: peers.dovecot.imapPort, tls: 'none' },
      smtp: { host: '127.0.0.1', port: peers.smtp.port, tls: 'none' },
      username: s.user,
      auth: 'password',
      secretRef: `mail/${s.user}`,
    },
    Date.now(),
  );
  const agentId = repo.insertAgent({ name: 'Alex Agent', email: `alex${n}@omni.test`, role: 'agent', tier: 1, seniority: 'mid', skills: {}, channels: {}, languages: ['en'], capacity: {}, presence: 'available', createdAt: Date.now() });
  const firstMessageId = `<question-${n}@customer.example>`;
  const now = Date.now();
  const subject = 'My order has not arrived';
  const stored = mail.recordMessage(
    {
      accountId, folder: 'INBOX', uidValidity: 1, uid: 1, messageId: firstMessageId, headerHash: `h-${n}`, inReplyTo: null, references: [], flags: [], modseq: null,
      html: null, size: 100, fromAddress: c.address, quarantinedReason: null, receivedAt: now, attachments: [],
    },
    {
      customer: { create: { name: 'Dana Customer', company: null, title: null, tier: 'standard', vip: false, healthScore: null, language: null, timezone: null, preferredChannel: 'email', createdAt: now,
        identities: [{ kind: 'email', value: c.address, display: c.address, verified: true, source: 'email', firstSeenAt: now, lastSeenAt: now }] } },
      case: { action: 'new', case: { subject, status: 'open', priority: 'normal', issueType: 'other', channel: 'email', originChannel: 'email', assignedAgentId: null, createdAt: now, updatedAt: now,
        waitingSince: now, firstResponseAt: null, slaDueAt: null, resolvedAt: null, resolutionCode: null, csatScore: null } },
      event: { channel: 'email', direction: 'in', kind: 'message', authorType: 'customer', authorId: null, authorName: 'Dana Customer', subject, body: 'Where is it?', externalId: firstMessageId, occurredAt: now },
    },
    now,
  );
  if (stored.outcome !== 'stored') throw new Error(stored.outcome);

  const deps = { account: (id: number) => mail.getAccount(id), credentials: async () => ({ pass: s.password }) };
  const smtp = createSmtpSender(deps);
  const sent = createSentFolder(deps);
  const changes: Array<[number, DeliveryStatus]> = [];
  const workers: OutboxWorker[] = [];
  cleanups.push(async () => {
    for (const w of workers) await w.stop();
    smtp.close();
    db.close();
    tmp.remove();
  });
  return {
    db, repo, mail, outbox, agent: repo.agentById(agentId), accountId, changes,
    support: { user: s.user, password: s.password, address: s.address },
    customer: { user: c.user, password: c.password, address: c.address },
    caseId: stored.caseId!, customerId: stored.customerId, firstMessageId,
    worker() {
      const w = createOutboxWorker({
        store: outbox,
        send: smtp.send,
        describeError: smtp.describe,
        appendToSent: sent.append,
        findInSent: sent.find,
        backoff: { initialMs: 100, maxMs: 400 },
        pollMs: 1_000,
        onChange: (eventId, status) => changes.push([eventId, status]),
        log: process.env.DEBUG_OUTBOX ? (line) => console.log(line) : undefined,
      });
      workers.push(w);
      return w;
    },
  };
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

function reply(d: Desk, body: string, key = `${body}-${Math.random()}`) {
  return d.repo.appendOutgoingMessage({ caseId: d.caseId, channel: 'email', body, agent: d.agent, idempotencyKey: key, now: Date.now() });
}

const text = (m: ParsedMail) => (m.text ?? '').trim();

describe('an agent reply over SMTP', () => {
  it('reaches the customer with the threading headers and the case token, and their answer threads back', async () => {
    const d = await desk();
    const event = reply(d, 'Your parcel left our warehouse today.');
    const w = d.worker();
    w.start();
    await waitFor('delivery', () => d.outbox.forEvent(event.id)!.status === 'delivered');
    await w.idle();
    const ourId = d.outbox.forEvent(event.id)!.messageId!;

    const [got, ...more] = await waitFor('the reply in the customer INBOX', async () => {
      const box = await mailbox(d.customer);
      return box.length ? box : null;
    });
    expect(more).toEqual([]);
    expect(got!.subject).toBe(`Re: My order has not arrived [#${d.caseId}]`);
    expect(got!.messageId).toBe(ourId);
    expect(got!.inReplyTo).toBe(d.firstMessageId);
    expect([got!.references].flat()).toContain(d.firstMessageId);
    expect(got!.from?.value[0]).toMatchObject({ address: d.support.address, name: 'Omni Support' });
    expect(text(got!)).toBe('Your parcel left our warehouse today.');
    expect(got!.html).toContain('Your parcel left our warehouse today.');
    expect(got!.headers.get('auto-submitted')).toBeUndefined();
    expect(d.changes).toEqual([[event.id, 'sending'], [event.id, 'delivered']]);
    expect(d.repo.eventById(event.id).delivery).toBe('delivered');

    // A copy in the support account's Sent folder (our SMTP does not keep one).
    const sent = await mailbox(d.support, 'Sent');
    expect(sent.map((m) => m.messageId)).toEqual([ourId]);

    // The customer answers their mail client's way: In-Reply-To our Message-ID.
    const answer = await nodemailer.createTransport({ host: '127.0.0.1', port: peers.smtp.port, secure: false, ignoreTLS: true }).sendMail({
      from: d.customer.address,
      to: d.support.address,
      subject: got!.subject!,
      inReplyTo: ourId,
      references: [d.firstMessageId, ourId],
      text: 'Thanks!',
    });
    expect(answer.accepted).toEqual([d.support.address]);
    const [theirs] = await mailbox(d.support);
    expect(theirs!.inReplyTo).toBe(ourId);
    expect(caseIdFromMessageId(theirs!.inReplyTo!)).toBe(d.caseId);
    expect(d.mail.caseCandidates(null, [theirs!.inReplyTo!]).map((c) => c.id)).toEqual([d.caseId]);
  });
});

describe('an SMTP outage', () => {
  it('queues the replies and delivers each once, in order, when the server is back', async () => {
    const d = await desk();
    await peers.smtp.stop();
    const events = ['First reply.', 'Second reply.', 'Third reply.'].map((body) => reply(d, body));
    const w = d.worker();
    w.start();
    const first = await waitFor('a refused attempt', () => {
      const row = d.outbox.forEvent(events[0]!.id)!;
      return row.attempts >= 2 ? row : null;
    });
    expect(first.status === 'queued' || first.status === 'sending').toBe(true);
    expect(d.outbox.forEvent(events[0]!.id)!.lastError ?? first.lastError).toMatch(/^The mail server 127\.0\.0\.1 refused the connection; retrying in \d+ s$/);
    // The later replies wait behind the first: never tried while it is not out.
    for (const e of events.slice(1)) expect(d.outbox.forEvent(e.id)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(events.slice(1).map((e) => d.repo.eventById(e.id).delivery)).toEqual(['queued', 'queued']);

    await peers.smtp.start();
    w.kick();
    await waitFor('all delivered', () => events.every((e) => d.outbox.forEvent(e.id)!.status === 'delivered'));
    await w.idle();
    const box = await mailbox(d.customer);
    expect(box.map(text)).toEqual(['First reply.', 'Second reply.', 'Third reply.']);
    expect(new Set(box.map((m) => m.messageId)).size).toBe(3);
    const delivered = d.changes.filter(([, s]) => s === 'delivered').map(([id]) => id);
    expect(delivered).toEqual(events.map((e) => e.id));
  });
});

describe('a crash mid-send', () => {
  it('leaves exactly one copy with the customer when the server had accepted the reply', async () => {
    const d = await desk();
    const event = reply(d, 'Sent just before the crash.');
    const w1 = d.worker();
    w1.start();
    await waitFor('delivery', () => d.outbox.forEvent(event.id)!.status === 'delivered');
    await w1.idle();
    await w1.stop();
    // As a crash between the server's 250 and our write would leave it.
    d.db.prepare(`UPDATE outbox SET status = 'sending', delivered_at = NULL WHERE event_id = ?`).run(event.id);
    const received = peers.smtp.received.length;

    const w2 = d.worker();
    w2.start();
    await waitFor('settled', () => d.outbox.forEvent(event.id)!.status === 'delivered');
    await w2.idle();
    expect(peers.smtp.received.length).toBe(received);
    const box = await mailbox(d.customer);
    expect(box.map(text)).toEqual(['Sent just before the crash.']);
  });

  it('sends a reply the crash interrupted before the server had it, once', async () => {
    const d = await desk();
    const event = reply(d, 'Interrupted before it left.');
    d.outbox.claimNext('email', Date.now());
    expect(d.outbox.forEvent(event.id)!.status).toBe('sending');
    const w = d.worker();
    w.start();
    await waitFor('delivery', () => d.outbox.forEvent(event.id)!.status === 'delivered');
    await w.idle();
    const box = await mailbox(d.customer);
    expect(box.map(text)).toEqual(['Interrupted before it left.']);
  });
});

describe('a refusal', () => {
  it('marks a 5xx failed with the server reason, and the retry action sends it', async () => {
    const d = await desk();
    peers.smtp.failNext(1, 550, '5.7.1 Message refused by policy');
    const event = reply(d, 'Refused once.');
    const w = d.worker();
    w.start();
    const failed = await waitFor('failed', () => {
      const row = d.outbox.forEvent(event.id)!;
      return row.status === 'failed' ? row : null;
    });
    expect(failed.lastError).toBe('The mail server 127.0.0.1 rejected the message: 550 5.7.1 Message refused by policy');
    expect(d.repo.eventById(event.id).delivery).toBe('failed');
    expect(w.retry(failed.id)).toBe(true);
    await waitFor('delivery after retry', () => d.outbox.forEvent(event.id)!.status === 'delivered');
    await w.idle();
    expect((await mailbox(d.customer)).map(text)).toEqual(['Refused once.']);
    expect(d.changes.map(([, s]) => s)).toEqual(['sending', 'failed', 'queued', 'sending', 'delivered']);
  });
});

describe('the auto-responder', () => {
  const person: IncomingMailFacts = { channel: 'email', from: 'dana@customer.example', autoSubmitted: null, precedence: null, listId: null, returnPath: 'dana@customer.example' };
  const decide = (over: Partial<IncomingMailFacts>, lastSentAt: number | null = null, now = 10 * HOUR) =>
    decideAutoReply({ ...person, ...over }, { config: DEFAULT_AUTO_REPLY_CONFIG, ourAddresses: ['support@omni.test'], lastSentAt, now });

  it('answers a person, and never automatic mail, lists, bounces, robots or ourselves', () => {
    expect(decide({})).toEqual({ send: true, body: "We've received your request. Expect a response within 4 hours." });
    expect(decide({ autoSubmitted: 'no' }).send).toBe(true);
    for (const over of [
      { autoSubmitted: 'auto-replied' },
      { autoSubmitted: 'auto-generated' },
      { precedence: 'bulk' },
      { precedence: 'List' },
      { precedence: 'junk' },
      { listId: '<news.customer.example>' },
      { returnPath: '' },
      { from: 'MAILER-DAEMON@customer.example' },
      { from: 'postmaster@customer.example' },
      { from: 'noreply@customer.example' },
      { from: 'no-reply@customer.example' },
      { from: 'Support@Omni.test' },
      { autoResponseSuppress: 'OOF, AutoReply' },
      { channel: 'chat' as const },
    ]) {
      expect(decide(over), JSON.stringify(over)).toMatchObject({ send: false });
    }
    expect(decide({}, 10 * HOUR - 59 * 60_000)).toMatchObject({ send: false, reason: expect.stringMatching(/already got an auto-reply/) });
    expect(decide({}, 10 * HOUR - HOUR).send).toBe(true);
  });

  it('reads the loop-protection headers of a real mail as ingest parsed it', async () => {
    const raw = (extra: string[]) =>
      Buffer.from(['From: Dana <dana@customer.example>', 'To: support@omni.test', 'Subject: Help', 'Message-ID: <m1@customer.example>', 'Date: Mon, 02 Mar 2026 09:00:00 +0000', ...extra, '', 'Hi', ''].join('\r\n'));
    const stored = { outcome: 'stored' as const, mailMessageId: 1, eventId: 1, customerId: 2, caseId: 3, caseAction: 'new' as const };
    const requestOf = async (extra: string[]) => {
      const parsed = await parseEmail(raw(extra));
      if (parsed.kind !== 'parsed') throw new Error('not parsed');
      return autoReplyRequestFor(stored, parsed, 1)!;
    };
    const ctx = { config: DEFAULT_AUTO_REPLY_CONFIG, ourAddresses: ['support@omni.test'], lastSentAt: null, now: 10 * HOUR };
    expect(await requestOf([])).toMatchObject({ from: 'dana@customer.example', caseId: 3, customerId: 2, messageId: '<m1@customer.example>', subject: 'Help' });
    expect(decideAutoReply(await requestOf([]), ctx).send).toBe(true);
    for (const header of ['Auto-Submitted: auto-replied', 'Precedence: bulk', 'List-Id: News <news.customer.example>', 'Return-Path: <>']) {
      expect(decideAutoReply(await requestOf([header]), ctx).send, header).toBe(false);
    }
    const parsed = await parseEmail(raw([]));
    if (parsed.kind !== 'parsed') throw new Error('not parsed');
    expect(autoReplyRequestFor({ outcome: 'duplicate', mailMessageId: 1, rebound: false }, parsed, 1)).toBeNull();
  });

  it('sends through the outbox with Auto-Submitted, at most once per sender per hour, remembered in the file', async () => {
    const d = await desk();
    let clock = Date.now();
    const responder = () => createAutoResponder({ store: d.outbox, ourAddresses: () => d.mail.accounts().map((a) => a.address), now: () => clock });
    const request = { ...person, from: d.customer.address, returnPath: d.customer.address, caseId: d.caseId, customerId: d.customerId, accountId: d.accountId, messageId: d.firstMessageId, subject: 'My order has not arrived' };

    const first = responder().handle(request);
    expect(first.decision.send).toBe(true);
    expect(first.row).toMatchObject({ status: 'queued', payload: { autoReply: true, to: d.customer.address } });
    // The same mail handled twice (a refetch) queues nothing new.
    expect(responder().handle(request).row).toBeNull();
    clock += 30 * 60_000;
    expect(responder().handle({ ...request, messageId: '<second@customer.example>' })).toMatchObject({ row: null, decision: { send: false } });

    const w = d.worker();
    w.start();
    await waitFor('auto-reply delivered', () => d.outbox.get(first.row!.id)!.status === 'delivered');
    await w.idle();
    const [got, ...more] = await mailbox(d.customer);
    expect(more).toEqual([]);
    expect(got!.headers.get('auto-submitted')).toBe('auto-replied');
    expect(got!.subject).toBe(`Re: My order has not arrived [#${d.caseId}]`);
    expect(got!.inReplyTo).toBe(d.firstMessageId);
    expect(text(got!)).toBe("We've received your request. Expect a response within 4 hours.");
    // An automatic answer is no first response.
    expect(d.db.prepare('SELECT first_response_at FROM cases WHERE id = ?').get(d.caseId)).toEqual({ first_response_at: null });
    expect(d.repo.eventById(first.row!.eventId)).toMatchObject({ authorType: 'system', direction: 'out', delivery: 'delivered' });

    clock += 31 * 60_000;
    const later = responder().handle({ ...request, messageId: '<third@customer.example>' });
    expect(later.decision.send).toBe(true);
    expect(later.row?.status).toBe('queued');
  });
});
