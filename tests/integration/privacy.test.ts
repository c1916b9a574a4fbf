// Privacy on a real SQLite file through the core's dispatcher: card numbers and the like leave the
// store masked (timeline, search, live events) while the raw text stays; reveal is audited and refused
// to agents; the export is masked, formula-safe and leaves restricted channels out; the GDPR erase
// leaves no byte of the customer in the database file.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config';
import { createCore, type Core } from '../../src/main/core';
import type { EventName } from '../../src/shared/contract';
import type { TimelineEvent } from '../../src/shared/domain';
import { PRIVACY_SETTINGS_KEY } from '../../src/shared/privacy/settings';
import { tempDir } from '../helpers/tempDir';

const tmp = tempDir('omni-privacy-');
let core: Core;
const seen: Array<{ name: EventName; payload: unknown }> = [];
const T0 = Date.UTC(2025, 0, 6, 9);
const MARKER = 'Quixotrelmarkv';
const CARD = '4242 4242 4242 4242';
let dana = 0;
let lee = 0;
let danaCase = 0;
let cardEvent = 0;
let attachmentFile = '';
let sentFile: string;

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
const call = async <T>(method: string, input: unknown) => (await core.dispatch(method, input, { transport: 'direct' })) as Result<T>;
async function ok<T>(method: string, input: unknown): Promise<T> {
  const r = await call<T>(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}
const setRole = (role: 'agent' | 'supervisor' | 'admin') => core.repo.db.prepare(`UPDATE agents SET role = ?`).run(role);

function customer(name: string, email: string, phone: string): number {
  return core.repo.insertCustomer({
    name,
    company: null,
    title: null,
    tier: 'standard',
    vip: false,
    healthScore: null,
    language: 'en',
    timezone: null,
    preferredChannel: 'sms',
    createdAt: T0,
    identities: [
      { kind: 'email', value: email, display: email, verified: true, source: 'test', firstSeenAt: T0, lastSeenAt: T0 },
      { kind: 'phone', value: phone, display: phone, verified: true, source: 'test', firstSeenAt: T0, lastSeenAt: T0 },
    ],
  });
}

function message(customerId: number, caseId: number, channel: TimelineEvent['channel'], body: string, at: number): number {
  return core.repo.insertEvent({ caseId, customerId, channel, direction: 'in', kind: 'message', authorType: 'customer', authorId: null, authorName: 'Customer', subject: null, body, occurredAt: at });
}

beforeAll(() => {
  const config = loadConfig({ argv: ['--data-dir', path.join(tmp.dir, 'data'), '--no-demo', '--port', '0'], env: {} });
  core = createCore(config, { mode: 'headless', log: () => {}, mail: false, now: () => T0 + 3_600_000 });
  core.subscribe((name, payload) => seen.push({ name, payload }));
  const db = core.repo.db;
  dana = customer(`Dana ${MARKER}`, `dana.${MARKER.toLowerCase()}@example.com`, '+14155550142');
  lee = customer('Lee Park', 'lee@example.com', '+14155550199');
  danaCase = core.repo.insertCase({
    customerId: dana, subject: `Refund ${MARKER}`, status: 'open', priority: 'normal', issueType: 'billing', channel: 'sms', originChannel: 'sms',
    assignedAgentId: null, createdAt: T0, updatedAt: T0, waitingSince: T0, firstResponseAt: null, slaDueAt: null, resolvedAt: null, resolutionCode: null, csatScore: null,
  });
  const leeCase = core.repo.insertCase({
    customerId: lee, subject: 'Order question', status: 'open', priority: 'normal', issueType: 'shipping', channel: 'email', originChannel: 'email',
    assignedAgentId: null, createdAt: T0, updatedAt: T0, waitingSince: T0, firstResponseAt: null, slaDueAt: null, resolvedAt: null, resolutionCode: null, csatScore: null,
  });
  cardEvent = message(dana, danaCase, 'sms', `Please refund card ${CARD} ${MARKER}, my password: Sunfl0wer`, T0);
  message(dana, danaCase, 'phone', `Call notes ${MARKER}: diagnosis discussed, SSN 123-45-6789`, T0 + 1000);
  message(dana, danaCase, 'email', `=HYPERLINK("http://evil.example","click") ${MARKER}`, T0 + 2000);
  message(lee, leeCase, 'email', 'Where is order 4242424242424242? Thanks', T0);
  core.repo.insertCustomerNote({ customerId: dana, authorAgentId: null, body: `Prefers SMS ${MARKER}`, createdAt: T0 });
  // A fetched email with a stored attachment, and the hub's record of the conversation.
  db.prepare(`INSERT INTO mail_accounts (id, name, address, imap_host, imap_port, username, created_at, updated_at) VALUES (1, 'Support', 'help@example.com', 'localhost', 993, 'help', 0, 0)`).run();
  const mailEvent = message(dana, danaCase, 'email', `Attached the receipt ${MARKER}`, T0 + 3000);
  const mm = db
    .prepare(`INSERT INTO mail_messages (account_id, folder, uid_validity, uid, header_hash, event_id, received_at, created_at, html, from_address) VALUES (1, 'INBOX', 1, 1, 'h1', ?, 0, 0, ?, ?)`)
    .run(mailEvent, `<p>${MARKER}</p>`, `dana.${MARKER.toLowerCase()}@example.com`).lastInsertRowid;
  attachmentFile = path.join(tmp.dir, 'data', 'attachments', 'receipt.bin');
  fs.mkdirSync(path.dirname(attachmentFile), { recursive: true });
  fs.writeFileSync(attachmentFile, `receipt ${MARKER}`);
  db.prepare(`INSERT INTO mail_attachments (mail_message_id, filename, content_type, size, sha256, path) VALUES (?, 'receipt.bin', 'application/octet-stream', 10, ?, ?)`).run(mm, 'a'.repeat(64), attachmentFile);
  // A file an agent sent Dana with a reply.
  sentFile = path.join(tmp.dir, 'data', 'attachments', 'bb', 'b'.repeat(64));
  fs.mkdirSync(path.dirname(sentFile), { recursive: true });
  fs.writeFileSync(sentFile, `invoice ${MARKER}`);
  db.prepare(`INSERT INTO outgoing_attachments (event_id, sha256, filename, content_type, size, path) VALUES (?, ?, 'invoice.pdf', 'application/pdf', 10, ?)`).run(mailEvent, 'b'.repeat(64), sentFile);
  db.prepare(`INSERT INTO hub_conversations (hub, conversation_id, case_id, channel, updated_at) VALUES ('embedded', 9, ?, 'sms', 0)`).run(danaCase);
  db.prepare(`INSERT INTO hub_offers (hub, offer_id, conversation_id, conversation, expires_at, received_at) VALUES ('embedded', 1, 9, ?, 0, 0)`).run(JSON.stringify({ contact: MARKER }));
  db.prepare(`INSERT INTO remote_content_senders (address, allowed_at) VALUES (?, 0)`).run(`dana.${MARKER.toLowerCase()}@example.com`);
  core.repo.setSetting(PRIVACY_SETTINGS_KEY, { restricted: [{ channel: 'phone', reason: 'HIPAA' }] });
});

afterAll(async () => {
  await core?.close();
  tmp.remove();
});

describe('masking on read', () => {
  it('the timeline shows the card number and password masked, flagged for Reveal, while the store keeps the raw text', async () => {
    const page = await ok<{ events: TimelineEvent[] }>('customerTimeline', { customerId: dana });
    const sms = page.events.find((e) => e.id === cardEvent)!;
    expect(sms.body).toBe(`Please refund card •••• •••• •••• 4242 ${MARKER}, my password: ••••••••`);
    expect(sms.metadata.masked).toEqual(['card', 'password']);
    expect(page.events.find((e) => e.channel === 'phone')!.body).toContain('SSN •••-••-6789');
    expect(core.repo.eventById(cardEvent).body).toContain(CARD);
  });

  it('an order number that only looks like a card stays readable', async () => {
    const page = await ok<{ events: TimelineEvent[] }>('customerTimeline', { customerId: lee });
    expect(page.events[0]!.body).toBe('Where is order 4242424242424242? Thanks');
  });

  it('search hits show the snippet masked, also when searching part of the number', async () => {
    for (const query of ['refund', '4242']) {
      const { hits } = await ok<{ hits: Array<{ eventId: number; snippet: string }> }>('search', { query });
      const hit = hits.find((h) => h.eventId === cardEvent);
      expect(hit, query).toBeDefined();
      expect(hit!.snippet).not.toMatch(/4242[ \]]+\[?4242/);
      expect(hit!.snippet).not.toContain('Sunfl0wer');
    }
  });

  it('the queue preview is masked', async () => {
    const { items } = await ok<{ items: Array<{ caseId: number; preview: string }> }>('queueSnapshot', {});
    expect(items.find((i) => i.caseId === danaCase)!.preview).not.toContain(CARD);
  });

  it('a message announced live reaches the workspace masked', async () => {
    seen.length = 0;
    await ok('sendReply', { caseId: danaCase, channel: 'sms', body: `Noted the card ${CARD}.`, idempotencyKey: 'reply-key-0001' });
    const appended = seen.find((e) => e.name === 'timelineAppended')!.payload as { event: TimelineEvent };
    expect(appended.event.body).toBe('Noted the card •••• •••• •••• 4242.');
  });

});

describe('reveal', () => {
  it('an agent is refused with a sentence and nothing is audited', async () => {
    setRole('agent');
    const r = await call('revealEvent', { eventId: cardEvent, reason: 'Customer asked to confirm the card' });
    expect(r).toEqual({ ok: false, error: { code: 'rpc/forbidden', message: expect.stringMatching(/only supervisors and admins can reveal/), key: 'revealForbidden', params: expect.objectContaining({ role: 'agent' }) } });
    setRole('admin');
    expect((await ok<{ rows: unknown[] }>('privacyAudit', {})).rows.filter((x) => (x as { action: string }).action === 'reveal')).toHaveLength(0);
  });

  it('a supervisor sees the raw text and the reveal is audited with who, when, which event and why', async () => {
    setRole('supervisor');
    const revealed = await ok<{ body: string; kinds: string[] }>('revealEvent', { eventId: cardEvent, reason: 'Customer asked to confirm the card' });
    expect(revealed.body).toContain(CARD);
    expect(revealed.kinds).toEqual(['card', 'password']);
    // The audit list is for admins only.
    expect((await call('privacyAudit', {})).ok).toBe(false);
    setRole('admin');
    const { rows } = await ok<{ rows: Array<Record<string, unknown>> }>('privacyAudit', {});
    expect(rows[0]).toMatchObject({ action: 'reveal', eventId: cardEvent, customerId: dana, detail: 'Customer asked to confirm the card', at: T0 + 3_600_000 });
    expect(JSON.stringify(rows)).not.toContain('4242 4242');
  });
});

describe('export', () => {
  it('the CSV is masked, formula-safe and leaves the restricted phone channel out with a line saying why', async () => {
    const out = await ok<{ fileName: string; content: string; excluded: Array<{ channel: string; events: number }> }>('exportCustomer', { customerId: dana, format: 'csv' });
    expect(out.fileName).toMatch(/^customer-\d+-dana-quixotrelmarkv-2025-01-06\.csv$/);
    expect(out.content).toContain('•••• •••• •••• 4242');
    expect(out.content).not.toContain(CARD);
    expect(out.content).not.toContain('Sunfl0wer');
    expect(out.content).not.toContain('Call notes');
    expect(out.content).toContain('Phone is a restricted channel (HIPAA)');
    expect(out.content).toContain(`"'=HYPERLINK(""http://evil.example"",""click"") ${MARKER}"`);
    expect(out.excluded).toEqual([{ channel: 'phone', events: 1, note: expect.any(String) }]);
  });

  it('the JSON export carries the same masked events and the notes', async () => {
    const out = await ok<{ content: string }>('exportCustomer', { customerId: dana, format: 'json' });
    const data = JSON.parse(out.content) as { events: Array<{ body: string }>; notes: unknown[]; identities: unknown[] };
    expect(data.events.some((e) => e.body.includes('•••• •••• •••• 4242'))).toBe(true);
    expect(out.content).not.toContain(CARD);
    expect(data.identities).toHaveLength(2);
    expect(data.notes).toHaveLength(1);
  });
});

describe('GDPR erase', () => {
  it('is refused to a supervisor, and to an admin who mistypes the name', async () => {
    setRole('supervisor');
    expect(await call('eraseCustomer', { customerId: dana, confirm: `Dana ${MARKER}` })).toMatchObject({ ok: false, error: { code: 'rpc/forbidden' } });
    setRole('admin');
    expect(await call('eraseCustomer', { customerId: dana, confirm: 'Dana' })).toMatchObject({ ok: false, error: { code: 'privacy/confirm-mismatch' } });
    expect(core.repo.customerProfile(dana, T0).name).toBe(`Dana ${MARKER}`);
  });

  it('removes every row and file of the customer, keeps other customers, and leaves no byte of them in the database file', async () => {
    seen.length = 0;
    const result = await ok<{ removed: Record<string, number>; filesRemoved: number; hub: { told: boolean } }>('eraseCustomer', { customerId: dana, confirm: `  Dana ${MARKER} ` });
    expect(result.removed).toMatchObject({ customers: 1, identities: 2, cases: 1, customer_notes: 1, mail_messages: 1, mail_attachments: 1, hub_conversations: 1, hub_offers: 1, remote_content_senders: 1, outbox: 1 });
    expect(result.removed.events).toBe(5);
    expect(result.removed.outgoing_attachments).toBe(1);
    expect(result.filesRemoved).toBe(2);
    // What the hub did, with its catalog key so the workspace says it in the agent's language.
    expect((result as { hubText?: { key: string } }).hubText?.key).toMatch(/^eraseHub/);
    expect(fs.existsSync(attachmentFile)).toBe(false);
    expect(fs.existsSync(sentFile)).toBe(false);
    expect(seen.map((e) => e.name)).toContain('customerErased');

    const db = core.repo.db;
    for (const [table, where] of [
      ['customers', `id = ${dana}`],
      ['identities', `customer_id = ${dana}`],
      ['events', `customer_id = ${dana}`],
      ['cases', `customer_id = ${dana}`],
      ['customer_notes', `customer_id = ${dana}`],
    ] as const) {
      expect(db.prepare(`SELECT count(*) FROM ${table} WHERE ${where}`).pluck().get(), table).toBe(0);
    }
    expect((await ok<{ hits: unknown[] }>('search', { query: MARKER })).hits).toEqual([]);
    expect((await ok<{ events: unknown[] }>('customerTimeline', { customerId: lee })).events).toHaveLength(1);
    expect((await call('customerProfile', { customerId: dana })).ok).toBe(false);

    const { rows } = await ok<{ rows: Array<Record<string, unknown>> }>('privacyAudit', {});
    expect(rows[0]).toMatchObject({ action: 'erase', customerId: dana });
    expect(JSON.stringify(rows)).not.toContain(MARKER);

    // The file itself: the main database and its write-ahead log hold none of the customer's text.
    const files = [core.dataFile, `${core.dataFile}-wal`].filter((f) => fs.existsSync(f));
    const needles = [MARKER, MARKER.toLowerCase(), 'Sunfl0wer', '+14155550142'];
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      for (const needle of needles) expect(bytes.includes(Buffer.from(needle, 'utf8')), `${needle} in ${path.basename(file)}`).toBe(false);
    }
    // The other customer's data is still in the file (the check can find text).
    expect(fs.readFileSync(core.dataFile).includes(Buffer.from('lee@example.com'))).toBe(true);
  });
});
