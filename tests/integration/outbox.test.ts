// The outbox on a real SQLite file: a reply's Message-ID is fixed when it is stored, rows are
// claimed oldest first and never ahead of an earlier reply of the same case, failures back off
// (capped, jittered, with a human reason), a 5xx fails for good until retried, and a row a crash
// left in 'sending' is settled through the Sent folder before anything is sent again.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caseIdFromMessageId } from '../../src/shared/cases';
import { LATEST_SCHEMA_VERSION, openDatabase, schemaVersion, type Db } from '../../src/main/store/database';
import { MailStore } from '../../src/main/store/mailStore';
import { OutboxStore } from '../../src/main/store/outboxStore';
import { Repository } from '../../src/main/store/repository';
import { backoffDelay, createOutboxWorker, inWords } from '../../src/main/email/outboxWorker';
import { buildRawEmail, composeEmail, describeSmtpError, replySubject, smtpFailure, type OutgoingEmail } from '../../src/main/email/smtpSender';
import type { Agent, DeliveryStatus } from '../../src/shared/domain';
import { tempDir } from '../helpers/tempDir';

const T0 = Date.UTC(2026, 2, 2, 9, 0);
const MIN = 60_000;

interface Fixture {
  db: Db;
  file: string;
  repo: Repository;
  mail: MailStore;
  outbox: OutboxStore;
  agent: Agent;
  accountId: number;
  remove(): void;
}

let f: Fixture;

function fixture(): Fixture {
  const tmp = tempDir();
  const file = path.join(tmp.dir, 'omni-desk.sqlite');
  const db = openDatabase(file);
  const repo = new Repository(db);
  const mail = new MailStore(db, repo);
  const accountId = mail.upsertAccount(
    { name: 'Omni Support', address: 'support@omni.test', imap: { host: '127.0.0.1', port: 1143, tls: 'none' }, smtp: { host: '127.0.0.1', port: 2525, tls: 'none' }, username: 'support', auth: 'password', secretRef: null },
    T0,
  );
  const agentId = repo.insertAgent({ name: 'Alex Agent', email: 'alex@omni.test', role: 'agent', tier: 1, seniority: 'mid', skills: {}, channels: {}, languages: ['en'], capacity: {}, presence: 'available', createdAt: T0 });
  return { db, file, repo, mail, outbox: new OutboxStore(db), agent: repo.agentById(agentId), accountId, remove: tmp.remove };
}

/** A customer email that opened a case (as ingest would store it). */
function incomingCase(n: number, subject = `Order ${n} has not arrived`): { caseId: number; customerId: number; messageId: string } {
  const messageId = `<order-${n}@customer.example>`;
  const address = `dana${n}@customer.example`;
  const r = f.mail.recordMessage(
    {
      accountId: f.accountId, folder: 'INBOX', uidValidity: 1, uid: n, messageId, headerHash: `hash-${n}`, inReplyTo: null, references: ['<older@customer.example>'],
      flags: [], modseq: null, html: null, size: 100, fromAddress: address, quarantinedReason: null, receivedAt: T0, attachments: [],
    },
    {
      customer: { create: { name: `Dana ${n}`, company: null, title: null, tier: 'standard', vip: false, healthScore: null, language: null, timezone: null, preferredChannel: 'email', createdAt: T0,
        identities: [{ kind: 'email', value: address, display: address, verified: true, source: 'email', firstSeenAt: T0, lastSeenAt: T0 }] } },
      case: { action: 'new', case: { subject, status: 'open', priority: 'normal', issueType: 'other', channel: 'email', originChannel: 'email', assignedAgentId: null, createdAt: T0, updatedAt: T0,
        waitingSince: T0, firstResponseAt: null, slaDueAt: null, resolvedAt: null, resolutionCode: null, csatScore: null } },
      event: { channel: 'email', direction: 'in', kind: 'message', authorType: 'customer', authorId: null, authorName: `Dana ${n}`, subject, body: 'Where is it?', externalId: messageId, occurredAt: T0 },
    },
    T0,
  );
  if (r.outcome !== 'stored') throw new Error(`not stored: ${r.outcome}`);
  return { caseId: r.caseId!, customerId: r.customerId, messageId };
}

function reply(caseId: number, body: string, key: string, now = T0 + MIN) {
  return f.repo.appendOutgoingMessage({ caseId, channel: 'email', body, agent: f.agent, idempotencyKey: key, now });
}

function status(eventId: number) {
  return f.outbox.forEvent(eventId)!;
}

beforeEach(() => {
  f = fixture();
});
afterEach(() => {
  f.db.close();
  f.remove();
});

describe('storing a reply', () => {
  it('fixes the Message-ID at creation, carrying the case id, once per idempotency key', () => {
    const { caseId } = incomingCase(1);
    const first = reply(caseId, 'On its way.', 'reply-1');
    const again = reply(caseId, 'On its way.', 'reply-1');
    expect(again.id).toBe(first.id);
    const row = status(first.id);
    expect(row.messageId).toMatch(/^<case-\d+\.[A-Za-z0-9]+@omni\.local>$/);
    expect(caseIdFromMessageId(row.messageId!)).toBe(caseId);
    expect(first.delivery).toBe('queued');
    // Our own sent mail is recognised when the sync meets it again (Sent folder, Cc copy).
    expect(f.mail.eventForMessageId(row.messageId!)).toBe(first.id);
    // A chat reply has no Message-ID.
    expect(status(f.repo.appendOutgoingMessage({ caseId, channel: 'chat', body: 'x', agent: f.agent, idempotencyKey: 'chat-1', now: T0 }).id).messageId).toBeNull();
    expect(schemaVersion(f.db)).toBe(LATEST_SCHEMA_VERSION);
  });

  it('composes the reply from the case: threading headers, one Re: and one token, the support address as From', () => {
    const { caseId, messageId } = incomingCase(2, 'Re: AW: Order 2 has not arrived');
    const event = reply(caseId, 'Line one\n\nLine <two>', 'reply-2');
    const ctx = f.outbox.emailContext(status(event.id))!;
    const composed = composeEmail(ctx);
    if (!composed.ok) throw new Error(composed.reason);
    expect(composed.email).toMatchObject({
      from: { name: 'Omni Support', address: 'support@omni.test' },
      to: 'dana2@customer.example',
      subject: `Re: Order 2 has not arrived [#${caseId}]`,
      inReplyTo: messageId,
      references: ['<older@customer.example>', messageId],
      text: 'Line one\n\nLine <two>',
      autoReply: false,
    });
    expect(composed.email.html).toContain('<p>Line &lt;two&gt;</p>');
    expect(replySubject(`Re: Order [#${caseId}]`, caseId)).toBe(`Re: Order [#${caseId}]`);
    expect(replySubject('', 7)).toBe('Re: [#7]');
  });

  it('carries the copies the agent added: in the Cc header and in the SMTP envelope', async () => {
    const { caseId } = incomingCase(3, 'Invoice question');
    const event = reply(caseId, 'Copying your accountant.', 'reply-cc');
    const ctx = f.outbox.emailContext(status(event.id))!;
    const composed = composeEmail({ ...ctx, row: { ...ctx.row, payload: { ...ctx.row.payload, cc: ['books@customer.example'] } } });
    if (!composed.ok) throw new Error(composed.reason);
    expect(composed.email.cc).toEqual(['books@customer.example']);
    const raw = (await buildRawEmail(composed.email)).toString('utf8');
    expect(raw).toMatch(/^Cc: books@customer\.example\r$/m);
    const plain = composeEmail(ctx);
    if (!plain.ok) throw new Error(plain.reason);
    expect((await buildRawEmail(plain.email)).toString('utf8')).not.toMatch(/^Cc:/m);
  });
});

describe('claiming', () => {
  it('takes due rows oldest first and never a later reply of a case before an earlier one', () => {
    const a = incomingCase(1).caseId;
    const b = incomingCase(2).caseId;
    const a1 = reply(a, 'a1', 'a1', T0 + 1);
    const b1 = reply(b, 'b1', 'b1', T0 + 2);
    const a2 = reply(a, 'a2', 'a2', T0 + 3);

    const first = f.outbox.claimNext('email', T0 + MIN)!;
    expect(first.eventId).toBe(a1.id);
    expect(first).toMatchObject({ status: 'sending', attempts: 1 });
    // a2 waits for a1 (still sending); b1 is another case.
    const second = f.outbox.claimNext('email', T0 + MIN)!;
    expect(second.eventId).toBe(b1.id);
    expect(f.outbox.claimNext('email', T0 + MIN)).toBeNull();

    // a1 fails for now: a2 still waits behind it, even though a2 is due.
    f.outbox.requeue(first.id, T0 + 10 * MIN, 'The mail server refused the connection; retrying in 9 min', T0 + MIN);
    expect(f.outbox.claimNext('email', T0 + 2 * MIN)).toBeNull();
    expect(f.outbox.nextDueAt('email')).toBe(T0 + 10 * MIN);
    expect(f.repo.eventById(a1.id).delivery).toBe('queued');

    const again = f.outbox.claimNext('email', T0 + 10 * MIN)!;
    expect(again).toMatchObject({ eventId: a1.id, attempts: 2 });
    f.outbox.markDelivered(again.id, T0 + 10 * MIN);
    expect(status(a1.id)).toMatchObject({ status: 'delivered', deliveredAt: T0 + 10 * MIN, lastError: null });
    expect(f.outbox.claimNext('email', T0 + 10 * MIN)!.eventId).toBe(a2.id);
  });

  it('leaves other channels to their own senders and survives reopening the file', () => {
    const a = incomingCase(1).caseId;
    f.repo.appendOutgoingMessage({ caseId: a, channel: 'chat', body: 'chat', agent: f.agent, idempotencyKey: 'c1', now: T0 });
    const e = reply(a, 'email', 'e1', T0 + 1);
    const claimed = f.outbox.claimNext('email', T0 + MIN)!;
    expect(claimed.eventId).toBe(e.id);
    // The process dies here: the row stays 'sending' in the file.
    f.db.close();
    f.db = openDatabase(f.file);
    const outbox = new OutboxStore(f.db);
    expect(outbox.inSending('email').map((r) => r.eventId)).toEqual([e.id]);
    f.outbox = outbox;
    f.repo = new Repository(f.db);
  });

  it('a failed row is retried only by hand, and then starts over', () => {
    const a = incomingCase(1).caseId;
    const e = reply(a, 'x', 'x');
    const row = f.outbox.claimNext('email', T0 + MIN)!;
    f.outbox.markFailed(row.id, 'The mail server rejected the message: 550 5.1.1 User unknown', T0 + MIN);
    expect(f.outbox.claimNext('email', T0 + 60 * MIN)).toBeNull();
    expect(f.repo.eventById(e.id).delivery).toBe('failed');
    expect(f.outbox.retry(row.id, T0 + 2 * MIN)).toBe(true);
    expect(f.outbox.retry(row.id, T0 + 2 * MIN)).toBe(false);
    expect(status(e.id)).toMatchObject({ status: 'queued', attempts: 0, lastError: null, nextAttemptAt: T0 + 2 * MIN });
  });
});

describe('backoff', () => {
  it('doubles from the first delay, jitters by ±20 % and stays under the cap', () => {
    expect(backoffDelay(1, () => 0.5, 2 * MIN, 30 * MIN)).toBe(2 * MIN);
    expect(backoffDelay(2, () => 0.5, 2 * MIN, 30 * MIN)).toBe(4 * MIN);
    expect(backoffDelay(3, () => 0, 2 * MIN, 30 * MIN)).toBe(Math.round(8 * MIN * 0.8));
    expect(backoffDelay(3, () => 1, 2 * MIN, 30 * MIN)).toBe(Math.round(8 * MIN * 1.2));
    expect(backoffDelay(20, () => 1, 2 * MIN, 30 * MIN)).toBe(30 * MIN);
    expect(inWords(2 * MIN)).toBe('2 min');
    expect(inWords(40_000)).toBe('40 s');
    expect(inWords(3 * 60 * MIN)).toBe('3 h');
  });

  it('says why and when in words, and fails for good on a 5xx', () => {
    expect(describeSmtpError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ESOCKET' }))).toEqual({ permanent: false, message: 'The mail server refused the connection' });
    expect(describeSmtpError({ code: 'EMESSAGE', responseCode: 550, response: '550 5.1.1 User unknown' }, 'smtp.omni.test')).toEqual({
      permanent: true,
      message: 'The mail server smtp.omni.test rejected the message: 550 5.1.1 User unknown',
    });
    expect(describeSmtpError({ code: 'EMESSAGE', responseCode: 451, response: '451 4.3.0 Try again later' }).permanent).toBe(false);
  });
});

describe('the worker (SMTP and Sent folder faked)', () => {
  function worker(over: { send?: (e: OutgoingEmail) => Promise<void>; findInSent?: (e: OutgoingEmail) => Promise<boolean>; now?: () => number } = {}) {
    const sent: OutgoingEmail[] = [];
    const appended: string[] = [];
    const changes: Array<[number, DeliveryStatus]> = [];
    const w = createOutboxWorker({
      store: f.outbox,
      send: over.send ?? (async (e) => void sent.push(e)),
      appendToSent: async (e) => void appended.push(e.messageId),
      findInSent: over.findInSent ?? (async (e) => appended.includes(e.messageId)),
      now: over.now ?? (() => T0 + MIN),
      random: () => 0.5,
      backoff: { initialMs: 2 * MIN, maxMs: 30 * MIN },
      onChange: (eventId, s) => changes.push([eventId, s]),
    });
    return { w, sent, appended, changes };
  }

  it('sends, records delivered, keeps a copy in Sent and reports each change', async () => {
    const a = incomingCase(1).caseId;
    const e = reply(a, 'Hello', 'k');
    const { w, sent, appended, changes } = worker();
    w.start();
    await w.idle();
    await w.stop();
    expect(sent.map((m) => m.eventId)).toEqual([e.id]);
    expect(appended).toEqual([status(e.id).messageId]);
    expect(changes).toEqual([[e.id, 'sending'], [e.id, 'delivered']]);
    expect(status(e.id)).toMatchObject({ status: 'delivered', deliveredAt: T0 + MIN, attempts: 1 });
  });

  it('requeues a refused connection with a human reason; fails a 5xx with the server reason until retried', async () => {
    const a = incomingCase(1).caseId;
    const e1 = reply(a, 'one', 'k1');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ESOCKET' });
    const { w, changes } = worker({ send: () => Promise.reject(refused) });
    w.start();
    await w.idle();
    await w.stop();
    expect(status(e1.id)).toMatchObject({ status: 'queued', lastError: 'The mail server refused the connection; retrying in 2 min', nextAttemptAt: T0 + 3 * MIN });
    expect(changes).toEqual([[e1.id, 'sending'], [e1.id, 'queued']]);

    const rejected = { code: 'EMESSAGE', responseCode: 550, response: '550 5.7.1 Message refused by policy' };
    const t = worker({ send: () => Promise.reject(rejected), now: () => T0 + 3 * MIN });
    t.w.start();
    await t.w.idle();
    expect(status(e1.id)).toMatchObject({ status: 'failed', lastError: 'The mail server rejected the message: 550 5.7.1 Message refused by policy' });
    expect(t.w.retry(status(e1.id).id)).toBe(true);
    await t.w.idle();
    await t.w.stop();
    expect(status(e1.id).status).toBe('failed');
    expect(t.changes.map(([, s]) => s)).toEqual(['sending', 'failed', 'queued', 'sending', 'failed']);
  });

  it('keeps the reason\'s catalog key next to its English sentence, on the row and on the timeline event', async () => {
    const a = incomingCase(1).caseId;
    const e1 = reply(a, 'one', 'k1');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ESOCKET' });
    const w = createOutboxWorker({ store: f.outbox, send: () => Promise.reject(refused), describeError: (err) => smtpFailure(err, 'smtp.omni.test'), now: () => T0 + MIN, random: () => 0.5, backoff: { initialMs: 2 * MIN, maxMs: 30 * MIN } });
    w.start();
    await w.idle();
    await w.stop();
    const text = { key: 'deliveryRetrying', params: { reason: 'The mail server smtp.omni.test refused the connection', delay: 2 * MIN }, nested: { reason: { key: 'smtpRefused', params: { host: 'smtp.omni.test' } } } };
    expect(status(e1.id)).toMatchObject({ status: 'queued', lastError: 'The mail server smtp.omni.test refused the connection; retrying in 2 min', lastErrorText: text });
    expect(f.repo.eventById(e1.id)).toMatchObject({ delivery: 'queued', deliveryDetail: 'The mail server smtp.omni.test refused the connection; retrying in 2 min', deliveryText: text });
  });

  it('settles a row a crash left in sending: found in Sent → delivered without sending; not found → sent once', async () => {
    const a = incomingCase(1).caseId;
    const b = incomingCase(2).caseId;
    const ea = reply(a, 'went out before the crash', 'ka');
    const eb = reply(b, 'never went out', 'kb');
    f.outbox.claimNext('email', T0 + MIN);
    f.outbox.claimNext('email', T0 + MIN);
    const inSent = status(ea.id).messageId!;
    const { w, sent } = worker({ findInSent: async (e) => e.messageId === inSent });
    w.start();
    await w.idle();
    await w.stop();
    expect(sent.map((m) => m.eventId)).toEqual([eb.id]);
    expect(status(ea.id).status).toBe('delivered');
    expect(status(eb.id).status).toBe('delivered');
  });

  it('does not resend while the Sent folder cannot be checked', async () => {
    const a = incomingCase(1).caseId;
    const e = reply(a, 'x', 'k');
    f.outbox.claimNext('email', T0 + MIN);
    const later = reply(a, 'y', 'k2');
    const { w, sent } = worker({ findInSent: () => Promise.reject(new Error('connection refused')) });
    w.start();
    await w.idle();
    await w.stop();
    expect(sent).toEqual([]);
    expect(status(e.id).status).toBe('sending');
    expect(status(e.id).lastError).toMatch(/^Could not check the Sent folder whether this reply already went out \(connection refused\); checking again in 2 min$/);
    expect(status(later.id).status).toBe('queued');
  });
});
