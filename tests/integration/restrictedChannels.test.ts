// Restricted channels on real files: a restricted channel's text never reaches the SQLite file, its
// WAL, the search index or the data folder (sealed under the secret store's key), while the
// timeline still shows it; search and export leave it out; turning restriction on or off converts
// what is stored, survives a failure half-way, and a missing key is a clear error that destroys nothing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config';
import { openCore, type Core } from '../../src/main/core';
import { ingestFetched } from '../../src/main/email/ingest';
import { ParsePool } from '../../src/main/email/parsePool';
import { CONTENT_KEY_REF } from '../../src/main/privacy/contentSealer';
import { defaultSecretStore, type SecretStore } from '../../src/main/secrets';
import type { TimelineEvent } from '../../src/shared/domain';
import { tempDir } from '../helpers/tempDir';

const REAL_WORKER = fileURLToPath(new URL('../../src/main/email/parseWorker.ts', import.meta.url));

const tmp = tempDir('omni-restricted-');
const T0 = Date.UTC(2025, 2, 3, 9);
const PHONE_TEXT = 'Zorbulentine';
const SMS_TEXT = 'Plixavorquent';

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
async function ok<T>(core: Core, method: string, input: unknown): Promise<T> {
  const r = (await core.dispatch(method, input, { transport: 'direct' })) as Result<T>;
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

let open: Core | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});
afterAll(() => tmp.remove());

function configFor(dataDir: string, restricted: Array<'phone' | 'email'>) {
  fs.mkdirSync(dataDir, { recursive: true });
  const channels = Object.fromEntries(restricted.map((c) => [c, { restricted: true, reason: 'HIPAA' }]));
  fs.writeFileSync(path.join(dataDir, 'omni-desk.config.json'), JSON.stringify({ privacy: { channels } }));
  return loadConfig({ argv: ['--data-dir', dataDir, '--no-demo', '--port', '0'], env: {} });
}

async function start(dataDir: string, restricted: Array<'phone' | 'email'>, secrets: SecretStore, extra: Parameters<typeof openCore>[1]['restriction'] = undefined): Promise<Core> {
  const core = await openCore(configFor(dataDir, restricted), { mode: 'headless', log: () => {}, mail: false, now: () => T0 + 3_600_000, secrets, ...(extra ? { restriction: extra } : {}) });
  open = core;
  return core;
}

/** Every file under `dir` whose bytes contain `text` (the DB, its WAL, attachments, anything). */
function filesContaining(dir: string, text: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (fs.readFileSync(p).includes(Buffer.from(text))) out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

function seedCustomer(core: Core, channel: 'phone' | 'sms' | 'email', name: string, subject = 'A call'): { customerId: number; caseId: number } {
  const customerId = core.repo.insertCustomer({
    name, company: null, title: null, tier: 'standard', vip: false, healthScore: null, language: 'en', timezone: null, preferredChannel: channel, createdAt: T0,
    identities: [{ kind: 'email', value: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`, display: name, verified: true, source: 'test', firstSeenAt: T0, lastSeenAt: T0 }],
  });
  const caseId = core.repo.insertCase({
    customerId, subject, status: 'open', priority: 'normal', issueType: 'billing', channel, originChannel: channel,
    assignedAgentId: null, createdAt: T0, updatedAt: T0, waitingSince: T0, firstResponseAt: null, slaDueAt: null, resolvedAt: null, resolutionCode: null, csatScore: null,
  });
  return { customerId, caseId };
}

function phoneCall(core: Core, customerId: number, caseId: number, n: number): number {
  return core.repo.insertEvent({
    caseId, customerId, channel: 'phone', direction: 'in', kind: 'call', authorType: 'customer', authorId: null, authorName: 'Caller',
    subject: `Call about ${PHONE_TEXT} ${n}`, body: `Call notes ${n}: ${PHONE_TEXT} diagnosis discussed`,
    metadata: { transcription: `caller said ${PHONE_TEXT}`, durationSeconds: 120 }, occurredAt: T0 + n * 1000,
  });
}

describe('a restricted channel on a real data folder', () => {
  const dataDir = path.join(tmp.dir, 'live');
  const secrets = defaultSecretStore(dataDir, {});
  let patient = { customerId: 0, caseId: 0 };
  let callEvent = 0;

  it('the phone text reaches neither the database file, its WAL, the search index nor any file; SMS text does', async () => {
    const core = await start(dataDir, ['phone'], secrets);
    patient = seedCustomer(core, 'phone', 'Pat Quill', `Results of ${PHONE_TEXT}`);
    const other = seedCustomer(core, 'sms', 'Sam Reed');
    callEvent = phoneCall(core, patient.customerId, patient.caseId, 1);
    core.repo.insertEvent({ caseId: other.caseId, customerId: other.customerId, channel: 'sms', direction: 'in', kind: 'message', authorType: 'customer', authorId: null, authorName: 'Sam', subject: null, body: `Order ${SMS_TEXT} late`, occurredAt: T0 });
    // What the agent writes on the phone case: a reply (with its outbox row), a draft and an internal note.
    await ok(core, 'sendReply', { caseId: patient.caseId, channel: 'phone', body: `Follow-up ${PHONE_TEXT} reply`, idempotencyKey: 'reply-phone-1' });
    await ok(core, 'saveDraft', { caseId: patient.caseId, channel: 'phone', body: `Draft ${PHONE_TEXT} typing` });
    await ok(core, 'addNote', { caseId: patient.caseId, body: `Note ${PHONE_TEXT} internal`, idempotencyKey: 'note-phone-1' });

    // Before and after a checkpoint: the WAL, then the main file.
    expect(filesContaining(dataDir, PHONE_TEXT)).toEqual([]);
    expect(filesContaining(dataDir, SMS_TEXT).length).toBeGreaterThan(0);
    core.repo.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(filesContaining(dataDir, PHONE_TEXT)).toEqual([]);
    expect(filesContaining(dataDir, SMS_TEXT)).toContain('omni-desk.sqlite');
    // The key is in the secret store, not in the database.
    expect(await secrets.get(CONTENT_KEY_REF)).toMatch(/^[A-Za-z0-9+/=]{44}$/);
  });

  it('the timeline, the queue, the draft and the outbox still read the phone text decrypted', async () => {
    const core = await start(dataDir, ['phone'], secrets);
    const profile = await ok<{ openCases: Array<{ subject: string }> }>(core, 'customerProfile', { customerId: patient.customerId });
    expect(profile.openCases[0]!.subject).toBe(`Results of ${PHONE_TEXT}`);
    const page = await ok<{ events: TimelineEvent[] }>(core, 'customerTimeline', { customerId: patient.customerId });
    const call = page.events.find((e) => e.id === callEvent)!;
    expect(call.subject).toBe(`Call about ${PHONE_TEXT} 1`);
    expect(call.body).toBe(`Call notes 1: ${PHONE_TEXT} diagnosis discussed`);
    expect(call.metadata).toMatchObject({ transcription: `caller said ${PHONE_TEXT}`, durationSeconds: 120 });
    expect(page.events.map((e) => e.body)).toEqual(expect.arrayContaining([`Follow-up ${PHONE_TEXT} reply`, `Note ${PHONE_TEXT} internal`]));
    const { drafts } = await ok<{ drafts: Array<{ body: string }> }>(core, 'draft', { caseId: patient.caseId });
    expect(drafts[0]!.body).toBe(`Draft ${PHONE_TEXT} typing`);
    const reply = page.events.find((e) => e.body.startsWith('Follow-up'))!;
    expect(core.outbox.forEvent(reply.id)!.payload.body).toBe(`Follow-up ${PHONE_TEXT} reply`);
  });

  it('search does not find the phone text and says why; it finds the SMS text', async () => {
    const core = await start(dataDir, ['phone'], secrets);
    const phone = await ok<{ hits: unknown[]; notSearchable: Array<{ channel: string; note: string }> }>(core, 'search', { query: PHONE_TEXT });
    expect(phone.hits).toEqual([]);
    expect(phone.notSearchable).toEqual([{ channel: 'phone', note: 'Phone is restricted: its content is not searchable on this desktop.' }]);
    const sms = await ok<{ hits: Array<{ channel: string }> }>(core, 'search', { query: SMS_TEXT });
    expect(sms.hits.map((h) => h.channel)).toEqual(['sms']);
  });

  it('the export leaves the phone content out with a marker saying why', async () => {
    const core = await start(dataDir, ['phone'], secrets);
    for (const format of ['csv', 'json'] as const) {
      const out = await ok<{ content: string; excluded: Array<{ channel: string; events: number; note: string }> }>(core, 'exportCustomer', { customerId: patient.customerId, format });
      expect(out.content).not.toContain(PHONE_TEXT);
      expect(out.excluded).toEqual([{ channel: 'phone', events: 3, note: expect.stringContaining('Phone is a restricted channel (HIPAA)') }]);
      expect(out.content).toContain('restricted channel (HIPAA)');
    }
  });

  it('the GDPR erase still removes the sealed rows', async () => {
    const core = await start(dataDir, ['phone'], secrets);
    const erased = await ok<{ removed: Record<string, number> }>(core, 'eraseCustomer', { customerId: patient.customerId, confirm: 'Pat Quill' });
    expect(erased.removed.events).toBe(3);
    expect(core.repo.db.prepare(`SELECT count(*) FROM events WHERE customer_id = ?`).pluck().get(patient.customerId)).toBe(0);
  });
});

describe('turning restriction on and off for stored content', () => {
  const dataDir = path.join(tmp.dir, 'convert');
  const secrets = defaultSecretStore(dataDir, {});
  let customerId = 0;
  const rawBodies = () => {
    const db = new Database(path.join(dataDir, 'omni-desk.sqlite'), { readonly: true });
    try {
      return db.prepare(`SELECT body FROM events WHERE channel = 'phone' ORDER BY id`).pluck().all() as string[];
    } finally {
      db.close();
    }
  };

  it('turning it on re-encrypts every existing row; a failure half-way loses nothing and the next start finishes', async () => {
    let core = await start(dataDir, [], secrets);
    const seeded = seedCustomer(core, 'phone', 'Ada Lorne', `About ${PHONE_TEXT}`);
    customerId = seeded.customerId;
    for (let n = 1; n <= 25; n++) phoneCall(core, customerId, seeded.caseId, n);
    await core.close();
    open = null;
    expect(filesContaining(dataDir, PHONE_TEXT).length).toBeGreaterThan(0);

    // An injected failure after the first committed batch of 10.
    const failing = start(dataDir, ['phone'], secrets, { batchSize: 10, afterBatch: (done) => { if (done >= 10) throw new Error('power cut'); } });
    await expect(failing).rejects.toThrow('power cut');
    const half = rawBodies();
    expect(half).toHaveLength(25);
    expect(half.filter((b) => b.startsWith('sealed:v1:'))).toHaveLength(10);

    const progress: string[] = [];
    core = await openCore(configFor(dataDir, ['phone']), { mode: 'headless', log: (l) => progress.push(l), mail: false, now: () => T0, secrets, restriction: { batchSize: 10 } });
    open = core;
    expect(progress.some((l) => /events 20 of 25 rows checked/.test(l))).toBe(true);
    expect(progress.at(-1)).toMatch(/in line: 16 rows/); // 15 calls and the case subject
    const page = await ok<{ events: TimelineEvent[] }>(core, 'customerTimeline', { customerId, limit: 100 });
    expect(page.events.map((e) => e.body)).toEqual(Array.from({ length: 25 }, (_, i) => `Call notes ${i + 1}: ${PHONE_TEXT} diagnosis discussed`));
    // The queue shows the sealed subject and the last call's notes decrypted.
    const queue = await ok<{ items: Array<{ customerId: number; subject: string; preview: string }> }>(core, 'queueSnapshot', { view: 'all' });
    expect(queue.items.find((i) => i.customerId === customerId)).toMatchObject({ subject: `About ${PHONE_TEXT}`, preview: `Call notes 25: ${PHONE_TEXT} diagnosis discussed` });
    await core.close();
    open = null;
    // VACUUMed with secure_delete and the WAL emptied: no old page keeps the text, and the index has no term of it.
    expect(filesContaining(dataDir, PHONE_TEXT)).toEqual([]);
  });

  it('turning it off decrypts the rows again, searchable once more', async () => {
    const core = await start(dataDir, [], secrets);
    expect(rawBodies().every((b) => b.includes(PHONE_TEXT))).toBe(true);
    const found = await ok<{ hits: Array<{ channel: string }>; notSearchable: unknown[] }>(core, 'search', { query: PHONE_TEXT, limit: 50 });
    expect(found.hits).toHaveLength(25);
    expect(found.notSearchable).toEqual([]);
  });
});

describe('the key for restricted channels', () => {
  it('a missing key is a clear error; the sealed content is left as it was and no new key replaces it', async () => {
    const dataDir = path.join(tmp.dir, 'nokey');
    const secrets = defaultSecretStore(dataDir, {});
    const core = await start(dataDir, ['phone'], secrets);
    const { customerId, caseId } = seedCustomer(core, 'phone', 'Kim Ode');
    phoneCall(core, customerId, caseId, 1);
    await core.close();
    open = null;
    const before = fs.readFileSync(path.join(dataDir, 'omni-desk.sqlite'));
    const key = await secrets.get(CONTENT_KEY_REF);
    await secrets.delete(CONTENT_KEY_REF);

    await expect(start(dataDir, ['phone'], secrets)).rejects.toMatchObject({ code: 'restricted/key-missing', message: expect.stringMatching(/key for it \(restricted\/content-key\) is missing.*Nothing was changed or deleted/) });
    // Turning restriction off does not get around it either: the content cannot be decrypted without the key.
    await expect(start(dataDir, [], secrets)).rejects.toMatchObject({ code: 'restricted/key-missing' });
    expect(await secrets.get(CONTENT_KEY_REF)).toBeNull();
    expect(fs.readFileSync(path.join(dataDir, 'omni-desk.sqlite')).equals(before)).toBe(true);

    // With the key restored, everything is there.
    await secrets.set(CONTENT_KEY_REF, key!);
    const back = await start(dataDir, ['phone'], secrets);
    const page = await ok<{ events: TimelineEvent[] }>(back, 'customerTimeline', { customerId });
    expect(page.events[0]!.body).toContain(PHONE_TEXT);
  });
});

describe('restricted email', () => {
  it('turning email restricted seals stored HTML and attachment files; the attachment is still served decrypted', async () => {
    const dataDir = path.join(tmp.dir, 'mail');
    const secrets = defaultSecretStore(dataDir, {});
    let core = await start(dataDir, [], secrets);
    const { customerId, caseId } = seedCustomer(core, 'email', 'Mo Vance');
    const db = core.repo.db;
    const eventId = core.repo.insertEvent({ caseId, customerId, channel: 'email', direction: 'in', kind: 'message', authorType: 'customer', authorId: null, authorName: 'Mo', subject: `Lab ${PHONE_TEXT}`, body: `Results ${PHONE_TEXT}`, occurredAt: T0 });
    db.prepare(`INSERT INTO mail_accounts (id, name, address, imap_host, imap_port, username, created_at, updated_at) VALUES (1, 'Support', 'help@example.com', 'localhost', 993, 'help', 0, 0)`).run();
    const mm = db.prepare(`INSERT INTO mail_messages (account_id, folder, uid_validity, uid, header_hash, event_id, received_at, created_at, html, from_address) VALUES (1, 'INBOX', 1, 1, 'h1', ?, 0, 0, ?, 'mo@example.com')`).run(eventId, `<p>${PHONE_TEXT}</p>`).lastInsertRowid;
    const sha = 'b'.repeat(64);
    const file = path.join(dataDir, 'attachments', sha);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `scan ${PHONE_TEXT}`);
    db.prepare(`INSERT INTO mail_attachments (mail_message_id, filename, content_type, size, sha256, path) VALUES (?, 'scan.txt', 'text/plain', 10, ?, ?)`).run(mm, sha, file);
    await core.close();
    open = null;

    core = await start(dataDir, ['email'], secrets);
    expect(filesContaining(dataDir, PHONE_TEXT)).toEqual([]);
    expect(fs.existsSync(file)).toBe(false);
    const served = core.attachment(sha)!;
    expect(served.path).toBe(`${file}.sealed`);
    expect(served.content!.toString()).toBe(`scan ${PHONE_TEXT}`);
    const content = await ok<{ html: string }>(core, 'emailContent', { eventId });
    expect(content.html).toBe(`<p>${PHONE_TEXT}</p>`);
  });
});

describe('restricted email arriving', () => {
  it('a fetched mail on restricted email is stored sealed: body, subject, HTML and the attachment file; the workspace reads them', async () => {
    const dataDir = path.join(tmp.dir, 'ingest');
    const core = await start(dataDir, ['email'], defaultSecretStore(dataDir, {}));
    const store = core.mail;
    const accountId = store.upsertAccount({ name: 'Support', address: 'support@omni.test', imap: { host: '127.0.0.1', port: 993, tls: 'tls' }, smtp: null, username: 'support', auth: 'password', secretRef: null }, T0);
    const pool = new ParsePool({ size: 1, workerScript: REAL_WORKER });
    try {
      const attachment = Buffer.from(`lab report ${PHONE_TEXT}`).toString('base64');
      const source = Buffer.from(
        [
          'From: Lee <lee@customer.example>', 'To: support@omni.test', `Subject: Test ${PHONE_TEXT}`, 'Message-ID: <lab-1@customer.example>',
          'Date: Mon, 3 Mar 2025 09:00:00 +0000', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '',
          '--b1', 'Content-Type: text/html; charset=utf-8', '', `<p>Results ${PHONE_TEXT}</p>`,
          '--b1', 'Content-Type: application/octet-stream; name="lab.txt"', 'Content-Disposition: attachment; filename="lab.txt"', 'Content-Transfer-Encoding: base64', '', attachment,
          '--b1--', '',
        ].join('\r\n'),
      );
      const result = await ingestFetched(
        { store, now: () => T0, ownAddresses: ['support@omni.test'], parsePool: pool, attachmentDir: path.join(dataDir, 'attachments') },
        { accountId, folder: 'INBOX', uidValidity: 1, uid: 1, flags: [], modseq: null, internalDate: T0, size: source.length, source, truncated: false },
      );
      if (result.outcome !== 'stored') throw new Error(`expected a stored mail, got ${result.outcome}`);
      core.repo.db.pragma('wal_checkpoint(TRUNCATE)');
      expect(filesContaining(dataDir, PHONE_TEXT)).toEqual([]);
      const event = core.repo.eventById(result.eventId);
      expect(event.subject).toBe(`Test ${PHONE_TEXT}`);
      expect(event.body).toContain(`Results ${PHONE_TEXT}`);
      const content = await ok<{ html: string; attachments: Array<{ sha256: string; filename: string }> }>(core, 'emailContent', { eventId: result.eventId });
      expect(content.html).toContain(`Results ${PHONE_TEXT}`);
      const file = core.attachment(content.attachments[0]!.sha256)!;
      expect(file.path.endsWith('.sealed')).toBe(true);
      expect(file.content!.toString()).toBe(`lab report ${PHONE_TEXT}`);
    } finally {
      await pool.close();
    }
  });
});
