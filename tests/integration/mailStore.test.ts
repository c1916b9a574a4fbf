// The email store on a real SQLite file: a mail and its timeline event are written together or
// not at all, a mail is never stored twice, UIDs follow a UIDVALIDITY change.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/main/store/database';
import { MailStore, type MessagePlacement, type NewMailMessage } from '../../src/main/store/mailStore';
import { Repository } from '../../src/main/store/repository';
import { tempDir } from '../helpers/tempDir';
import { say } from '../../src/shared/serverErrors';
import { normalizeEmail } from '../../src/shared/identity';

const T0 = Date.UTC(2026, 2, 2, 9, 0);

function mail(over: Partial<NewMailMessage> = {}): NewMailMessage {
  return {
    accountId: 1,
    folder: 'INBOX',
    uidValidity: 100,
    uid: 1,
    messageId: '<order-1@customer.example>',
    headerHash: 'hash-1',
    inReplyTo: null,
    references: [],
    flags: [],
    modseq: 5n,
    html: '<p>Hello <img src="https://tracker.example/p.gif"></p>',
    size: 1234,
    fromAddress: 'dana@customer.example',
    quarantinedReason: null,
    receivedAt: T0,
    attachments: [{ filename: 'invoice.pdf', contentType: 'application/pdf', size: 10, contentId: null, inline: false, sha256: 'ab'.repeat(32), path: null }],
    ...over,
  };
}

function newCustomerPlacement(over: Partial<MessagePlacement> = {}): MessagePlacement {
  return {
    customer: {
      create: {
        name: 'Dana Customer',
        company: null,
        title: null,
        tier: 'standard',
        vip: false,
        healthScore: null,
        language: null,
        timezone: null,
        preferredChannel: 'email',
        createdAt: T0,
        identities: [{ kind: 'email', value: 'dana@customer.example', display: 'dana@customer.example', verified: true, source: 'email', firstSeenAt: T0, lastSeenAt: T0 }],
      },
    },
    case: {
      action: 'new',
      case: {
        subject: 'Order has not arrived',
        status: 'open',
        priority: 'normal',
        issueType: 'other',
        channel: 'email',
        originChannel: 'email',
        assignedAgentId: null,
        createdAt: T0,
        updatedAt: T0,
        waitingSince: T0,
        firstResponseAt: null,
        slaDueAt: T0 + 4 * 3_600_000,
        resolvedAt: null,
        resolutionCode: null,
        csatScore: null,
      },
    },
    event: {
      channel: 'email',
      direction: 'in',
      kind: 'message',
      authorType: 'customer',
      authorId: null,
      authorName: 'Dana Customer',
      subject: 'Order has not arrived',
      body: 'My order has not arrived.',
      metadata: { from: 'dana@customer.example' },
      externalId: '<order-1@customer.example>',
      occurredAt: T0,
    },
    ...over,
  };
}

function counts(db: Db) {
  return db
    .prepare(
      `SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM events) AS events,
        (SELECT count(*) FROM mail_messages) AS mails, (SELECT count(*) FROM mail_attachments) AS attachments`,
    )
    .get() as { customers: number; cases: number; events: number; mails: number; attachments: number };
}

describe('the email store on a real SQLite file', () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  let db: Db;
  let store: MailStore;
  let accountId: number;

  beforeEach(() => {
    tmp = tempDir();
    file = path.join(tmp.dir, 'omni-desk.sqlite');
    db = openDatabase(file);
    store = new MailStore(db, new Repository(db));
    accountId = store.upsertAccount(
      {
        name: 'Support',
        address: 'Support@Omni.test',
        imap: { host: '127.0.0.1', port: 1143, tls: 'none' },
        smtp: null,
        username: 'support',
        auth: 'password',
        secretRef: 'mail/support',
      },
      T0,
    );
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('keeps an account with a key into the secret store, its status and the human reason', () => {
    expect(accountId).toBe(1);
    const again = store.upsertAccount({ name: 'Support desk', address: 'support@omni.test', imap: { host: 'imap.omni.test', port: 993, tls: 'tls' }, smtp: { host: 'smtp.omni.test', port: 587, tls: 'starttls' }, username: 'support', auth: 'password', secretRef: 'mail/support', syncDays: 30 }, T0 + 1);
    expect(again).toBe(accountId);
    store.setAccountStatus(accountId, 'error', 'The password was not accepted by imap.omni.test.', T0 + 2);
    expect(store.getAccount(accountId)).toMatchObject({
      name: 'Support desk',
      address: 'support@omni.test',
      imap: { host: 'imap.omni.test', port: 993, tls: 'tls' },
      smtp: { host: 'smtp.omni.test', port: 587, tls: 'starttls' },
      secretRef: 'mail/support',
      syncDays: 30,
      archiveOnResolve: true,
      archiveFolder: 'Archive',
      status: 'error',
      statusDetail: 'The password was not accepted by imap.omni.test.',
    });
    expect(JSON.stringify(db.prepare('SELECT * FROM mail_accounts').all())).not.toMatch(/secret(?!_ref|")/i);
  });

  it('keeps a 64-bit HIGHESTMODSEQ exactly', () => {
    const max = 18_446_744_073_709_551_615n;
    store.saveFolderState(accountId, 'INBOX', { uidValidity: 4_294_967_295, highestModseq: max, uidNext: 7, lastSyncedAt: T0 });
    expect(store.folderState(accountId, 'INBOX')).toEqual({ uidValidity: 4_294_967_295, highestModseq: max, uidNext: 7, lastSyncedAt: T0 });
    expect(store.folderState(accountId, 'Archive')).toBeNull();
  });

  it('stores a mail with its new customer, case, event and attachments in one go', () => {
    const result = store.recordMessage(mail(), newCustomerPlacement(), T0);
    expect(result).toMatchObject({ outcome: 'stored', caseAction: 'new' });
    expect(counts(db)).toEqual({ customers: 1, cases: 1, events: 1, mails: 1, attachments: 1 });
    if (result.outcome !== 'stored') throw new Error('not stored');
    expect(store.locateEvent(result.eventId)).toMatchObject({ folder: 'INBOX', uidValidity: 100, uid: 1, messageId: '<order-1@customer.example>' });
    expect(store.customerByEmail('dana@customer.example')).toBe(result.customerId);
    const repo = new Repository(db);
    expect(repo.activeQueue().map((q) => q.caseId)).toEqual([result.caseId]);
  });

  it('writes nothing at all when any part of storing a mail fails', () => {
    const broken = mail({ attachments: [{ filename: 'x', contentType: null as unknown as string, size: 1, contentId: null, inline: false, sha256: null, path: null }] });
    expect(() => store.recordMessage(broken, newCustomerPlacement(), T0)).toThrow(/NOT NULL/);
    expect(counts(db)).toEqual({ customers: 0, cases: 0, events: 0, mails: 0, attachments: 0 });
    // The refetch after the failure stores it once.
    expect(store.recordMessage(mail(), newCustomerPlacement(), T0).outcome).toBe('stored');
    expect(counts(db)).toEqual({ customers: 1, cases: 1, events: 1, mails: 1, attachments: 1 });
  });

  it('leaves neither an event nor a mail row when the process dies in the middle of storing a mail', () => {
    db.close();
    const script = path.join(tmp.dir, 'die.ts');
    const root = path.resolve(__dirname, '../..');
    fs.writeFileSync(
      script,
      `import { openDatabase } from ${JSON.stringify(path.join(root, 'src/main/store/database'))};
import { MailStore } from ${JSON.stringify(path.join(root, 'src/main/store/mailStore'))};
import { Repository } from ${JSON.stringify(path.join(root, 'src/main/store/repository'))};
const [file, mailJson, placementJson] = process.argv.slice(2);
const db = openDatabase(file);
const store = new MailStore(db, new Repository(db));
const mail = JSON.parse(mailJson, (k, v) => (k === 'modseq' && v !== null ? BigInt(v) : v));
// Reading the attachment's type happens after the event row is written: die right there.
Object.defineProperty(mail.attachments[0], 'contentType', { enumerable: true, get() { process.kill(process.pid, 'SIGKILL'); return 'x'; } });
store.recordMessage(mail, JSON.parse(placementJson), ${T0});
`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script, file, JSON.stringify(mail(), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)), JSON.stringify(newCustomerPlacement())], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    db = openDatabase(file);
    store = new MailStore(db, new Repository(db));
    expect(counts(db)).toEqual({ customers: 0, cases: 0, events: 0, mails: 0, attachments: 0 });
  });

  it('never stores the same mail twice: same UID, or the same header hash at another UID', () => {
    store.recordMessage(mail(), newCustomerPlacement(), T0);
    expect(store.recordMessage(mail(), newCustomerPlacement(), T0)).toMatchObject({ outcome: 'duplicate', rebound: false });
    // A second copy listed next to the first: not stored, the first keeps its UID.
    expect(store.recordMessage(mail({ uid: 2 }), newCustomerPlacement(), T0)).toMatchObject({ outcome: 'duplicate', rebound: false });
    expect(counts(db)).toMatchObject({ events: 1, mails: 1 });
    expect(store.knownUids(accountId, 'INBOX', 100)).toEqual(new Set([1]));

    // Expunged and delivered again (or a new UIDVALIDITY): the stored mail follows it.
    store.markVanished(accountId, 'INBOX', 100, [1], T0 + 1);
    expect(store.presentUids(accountId, 'INBOX', 100)).toEqual(new Set());
    expect(store.recordMessage(mail({ uid: 9, uidValidity: 200 }), newCustomerPlacement(), T0)).toMatchObject({ outcome: 'duplicate', rebound: true });
    expect(store.presentUids(accountId, 'INBOX', 200)).toEqual(new Set([9]));
    expect(counts(db)).toMatchObject({ events: 1, mails: 1 });
  });

  it('binds the same mail seen through a second support address to the event already stored', () => {
    const first = store.recordMessage(mail(), newCustomerPlacement(), T0);
    const sales = store.upsertAccount({ name: 'Sales', address: 'sales@omni.test', imap: { host: '127.0.0.1', port: 1143, tls: 'none' }, smtp: null, username: 'sales', auth: 'password', secretRef: null }, T0);
    const second = store.recordMessage(mail({ accountId: sales }), newCustomerPlacement(), T0);
    expect(second).toMatchObject({ outcome: 'linked', eventId: first.outcome === 'stored' ? first.eventId : -1 });
    expect(counts(db)).toMatchObject({ customers: 1, cases: 1, events: 1, mails: 2 });
  });

  it('keeps a quarantined mail as a row with its reason and no timeline event', () => {
    const result = store.recordMessage(mail({ quarantinedReason: say('quarantineTooLarge', { size: 52 * 1024 * 1024, limit: 40 * 1024 * 1024 }), headerHash: 'raw:1' }), null, T0);
    expect(result).toMatchObject({ outcome: 'quarantined', reason: 'The message is 52 MB, larger than the 40 MB limit; it was not imported.' });
    expect(counts(db)).toMatchObject({ events: 0, mails: 1 });
    expect(store.quarantinedMessages(accountId)).toEqual([
      expect.objectContaining({ uid: 1, reason: 'The message is 52 MB, larger than the 40 MB limit; it was not imported.', fromAddress: 'dana@customer.example' }),
    ]);
  });

  it('keeps each quarantine reason with its catalog key and reads the English back unchanged; older plain rows read as they are', () => {
    const unreadable = normalizeEmail('dana at customer');
    if (unreadable.ok) throw new Error('expected an unreadable address');
    const reasons = [
      say('quarantineEmpty'),
      say('quarantineTooLarge', { size: 3 * 1024, limit: 2 * 1024 }),
      { said: say('quarantineSenderUnreadable', { why: unreadable.message }), nested: { why: unreadable.said } },
      say('quarantineOwnAddress', { address: 'help@omni.test' }),
      null, // a mail ingest could not place: the store's own fallback
    ];
    reasons.forEach((reason, i) => {
      const placed = store.recordMessage(mail({ uid: 10 + i, headerHash: `raw:${i}`, quarantinedReason: reason, receivedAt: T0 + i * 1000 }), null, T0);
      expect(placed.outcome, String(i)).toBe('quarantined');
    });
    // The column holds the key next to the English sentence.
    const stored = db.prepare('SELECT quarantined_reason FROM mail_messages WHERE uid = 13').get() as { quarantined_reason: string };
    expect(JSON.parse(stored.quarantined_reason)).toMatchObject({ key: 'quarantineOwnAddress', params: { address: 'help@omni.test' } });

    const listed = store.quarantinedMessages(accountId);
    expect(store.quarantinedCount(accountId)).toBe(5);
    // Newest first.
    expect(listed.map((m) => m.uid)).toEqual([14, 13, 12, 11, 10]);
    expect(listed.map((m) => [m.reason, m.reasonText?.key])).toEqual([
      ['The message could not be read.', 'quarantineNotRead'],
      ['Sent from the support address help@omni.test itself (our own mail or a loop); not a customer message.', 'quarantineOwnAddress'],
      [`The sender could not be read: ${unreadable.message}`, 'quarantineSenderUnreadable'],
      ['The message is 3 KB, larger than the 2 KB limit; it was not imported.', 'quarantineTooLarge'],
      ['The message is empty (0 bytes); there was nothing to import.', 'quarantineEmpty'],
    ]);
    expect(listed[1]!.reasonText).toEqual({ key: 'quarantineOwnAddress', params: { address: 'help@omni.test' } });
    expect(listed[3]!.reasonText).toEqual({ key: 'quarantineTooLarge', params: { size: 3072, limit: 2048 } });
    // The identity engine's own sentence travels inside, keyed too.
    expect(listed[2]!.reasonText).toMatchObject({ key: 'quarantineSenderUnreadable', params: { why: unreadable.message }, nested: { why: { key: unreadable.said!.key } } });
    expect(store.quarantinedMessages(accountId, 2).map((m) => m.uid)).toEqual([14, 13]);

    // A row written before reasons had keys: its English, no key.
    db.prepare(`UPDATE mail_messages SET quarantined_reason = 'The message is larger than the 40 MB limit (52.0 MB).' WHERE uid = 10`).run();
    expect(store.quarantinedMessages(accountId).at(-1)).toMatchObject({ uid: 10, reason: 'The message is larger than the 40 MB limit (52.0 MB).', reasonText: null });
    expect(store.quarantinedCount(accountId + 1)).toBe(0);
  });

  it('joins a case: the customer waits again, the older wait and its deadline are kept', () => {
    const first = store.recordMessage(mail(), newCustomerPlacement(), T0);
    if (first.outcome !== 'stored') throw new Error('not stored');
    db.prepare(`UPDATE cases SET status = 'pending', waiting_since = NULL, sla_due_at = NULL WHERE id = ?`).run(first.caseId);
    const reply = newCustomerPlacement({
      customer: { id: first.customerId },
      seenIdentity: { kind: 'email', value: 'dana@customer.example', at: T0 + 3_600_000 },
      case: { action: 'join', caseId: first.caseId!, waiting: { since: T0 + 3_600_000, slaDueAt: T0 + 5 * 3_600_000 } },
    });
    expect(store.recordMessage(mail({ uid: 2, headerHash: 'hash-2', messageId: '<order-2@customer.example>' }), { ...reply, event: { ...reply.event, externalId: '<order-2@customer.example>', occurredAt: T0 + 3_600_000 } }, T0)).toMatchObject({ outcome: 'stored', caseAction: 'join', caseId: first.caseId });
    const third = { ...reply, case: { action: 'join' as const, caseId: first.caseId!, waiting: { since: T0 + 7_200_000, slaDueAt: T0 + 9 * 3_600_000 } } };
    store.recordMessage(mail({ uid: 3, headerHash: 'hash-3', messageId: '<order-3@customer.example>' }), { ...third, event: { ...third.event, externalId: '<order-3@customer.example>', occurredAt: T0 + 7_200_000 } }, T0);
    expect(db.prepare('SELECT status, waiting_since, sla_due_at FROM cases WHERE id = ?').get(first.caseId)).toEqual({ status: 'open', waiting_since: T0 + 3_600_000, sla_due_at: T0 + 5 * 3_600_000 });
    expect(db.prepare(`SELECT last_seen_at FROM identities WHERE value = 'dana@customer.example'`).get()).toEqual({ last_seen_at: T0 + 3_600_000 });
  });

  it('finds the case a reply belongs to by the Message-IDs it recorded, incoming or sent', () => {
    const first = store.recordMessage(mail(), newCustomerPlacement(), T0);
    if (first.outcome !== 'stored') throw new Error('not stored');
    const repo = new Repository(db);
    const agentId = repo.insertAgent({ name: 'Alex', email: 'alex@omni.test', role: 'agent', tier: 1, seniority: 'mid', skills: {}, channels: {}, languages: ['en'], capacity: {}, presence: 'available', createdAt: T0 });
    const reply = repo.appendOutgoingMessage({ caseId: first.caseId!, channel: 'email', body: 'On its way', agent: repo.agentById(agentId), idempotencyKey: 'k1', now: T0 + 60_000 });
    db.prepare('UPDATE outbox SET message_id = ? WHERE event_id = ?').run('<case-1.abc@omni.local>', reply.id);

    const byIncoming = store.caseCandidates(null, ['<order-1@customer.example>']);
    expect(byIncoming).toEqual([expect.objectContaining({ id: first.caseId, customerId: first.customerId, messageIds: ['<order-1@customer.example>'], lastChannel: 'email' })]);
    const bySent = store.caseCandidates(null, ['<case-1.abc@omni.local>']);
    expect(bySent.map((c) => c.messageIds)).toEqual([['<case-1.abc@omni.local>']]);
    expect(store.caseCandidates(first.customerId, [])).toEqual([expect.objectContaining({ id: first.caseId, status: 'pending', messageIds: [] })]);
    expect(store.caseCandidates(null, [], { caseIds: [first.caseId!] }).map((c) => c.id)).toEqual([first.caseId]);
  });

  it('rebinds UIDs after a UIDVALIDITY change and marks the mails not found as vanished', () => {
    const placement = newCustomerPlacement();
    store.recordMessage(mail(), placement, T0);
    store.recordMessage(mail({ uid: 2, headerHash: 'hash-2', messageId: '<order-2@customer.example>' }), { ...placement, customer: { id: 1 }, case: { action: 'none' }, event: { ...placement.event, externalId: '<order-2@customer.example>' } }, T0);
    store.recordMessage(mail({ uid: 3, headerHash: 'hash-3', messageId: null }), { ...placement, customer: { id: 1 }, case: { action: 'none' }, event: { ...placement.event, externalId: null } }, T0);
    store.saveFolderState(accountId, 'INBOX', { uidValidity: 100, highestModseq: 9n, uidNext: 4, lastSyncedAt: T0 });

    const { rebound, unmatched } = store.rebindUids(accountId, 'INBOX', 300, [
      { uid: 11, messageId: '<order-1@customer.example>' },
      { uid: 12, messageId: '<someone-else@x.example>' },
    ], T0 + 1);
    expect(rebound).toBe(1);
    expect(unmatched).toEqual([{ uid: 12, messageId: '<someone-else@x.example>' }]);
    expect(store.presentUids(accountId, 'INBOX', 300)).toEqual(new Set([11]));
    expect(store.folderState(accountId, 'INBOX')).toMatchObject({ uidValidity: 300, highestModseq: null, lastSyncedAt: null });
    // Not found by Message-ID: vanished until the header hash finds it again while fetching.
    expect(store.findByHeaderHash(accountId, 'hash-3')).toMatchObject({ vanished: true, uidValidity: 100 });
    expect(store.recordMessage(mail({ uid: 13, uidValidity: 300, headerHash: 'hash-3', messageId: null }), null, T0)).toMatchObject({ outcome: 'duplicate', rebound: true });
    expect(store.presentUids(accountId, 'INBOX', 300)).toEqual(new Set([11, 13]));
    expect(counts(db)).toMatchObject({ events: 3, mails: 3 });
  });

  it('gives the email view the raw HTML, the attachments and the sender’s remote-content consent', () => {
    const result = store.recordMessage(mail(), newCustomerPlacement(), T0);
    if (result.outcome !== 'stored') throw new Error('not stored');
    expect(store.emailContent(result.eventId)).toEqual({
      html: '<p>Hello <img src="https://tracker.example/p.gif"></p>',
      attachments: [expect.objectContaining({ filename: 'invoice.pdf', contentType: 'application/pdf', size: 10, inline: false })],
      sender: 'dana@customer.example',
      remoteContentAllowed: false,
    });
    store.allowRemoteContent('Dana@Customer.example', T0);
    expect(store.emailContent(result.eventId)?.remoteContentAllowed).toBe(true);
    expect(store.emailContent(999)).toBeNull();
  });

  it('keeps flag changes and archive moves made on the desktop until the server took them', () => {
    const result = store.recordMessage(mail(), newCustomerPlacement(), T0);
    if (result.outcome !== 'stored') throw new Error('not stored');
    const at = store.locateEvent(result.eventId)!;
    store.queueFlagChange([at.mailMessageId], { add: ['\\Seen'] });
    store.queueFlagChange([at.mailMessageId], { add: ['\\Answered'] });
    store.queueMove([at.mailMessageId], 'Archive');
    expect(store.pendingChanges(accountId)).toEqual([expect.objectContaining({ uid: 1, flagChange: { add: ['\\Seen', '\\Answered'], remove: [] }, moveTo: 'Archive' })]);
    store.flagsPushed(at.mailMessageId, ['\\Seen', '\\Answered']);
    store.movePushed(at.mailMessageId, { folder: 'Archive', uidValidity: 7, uid: 1 }, T0);
    expect(store.pendingChanges(accountId)).toEqual([]);
    expect(store.locateEvent(result.eventId)).toMatchObject({ folder: 'Archive', uidValidity: 7, uid: 1, flags: ['\\Answered', '\\Seen'], vanished: false });
    expect(store.mailsOfCase(result.caseId!).map((m) => m.folder)).toEqual(['Archive']);
  });
});
