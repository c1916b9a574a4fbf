// Files attached in the composer travel as real MIME attachments: staged through the composer's
// requests into the content-addressed store, sent over real SMTP into a real Dovecot with their
// bytes intact, sent once after the connection drops mid-message, never twice after a crash, and
// a reply whose file vanished fails with a sentence instead of going out without it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/shared/domain';
import type { ComposerAttachment } from '../../src/shared/contractComposer';
import type { CallContext } from '../../src/shared/rpc';
import { AppError } from '../../src/shared/errors';
import { createComposerService, type ComposerService } from '../../src/main/composer/composerService';
import { AttachmentStore } from '../../src/main/email/attachmentStore';
import { createOutboxWorker, type OutboxWorker } from '../../src/main/email/outboxWorker';
import { createSentFolder, createSmtpSender } from '../../src/main/email/smtpSender';
import { openDatabase, type Db } from '../../src/main/store/database';
import { MailStore } from '../../src/main/store/mailStore';
import { OutboxStore } from '../../src/main/store/outboxStore';
import { Repository } from '../../src/main/store/repository';
import { connectMailPeers, type MailPeers } from '../helpers/smtpServer';
import { tempDir } from '../helpers/tempDir';

const ctx: CallContext = { transport: 'direct' };
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

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** A PDF-looking file of `size` bytes (file-type reads it as application/pdf), random after the header. */
function pdfBytes(size: number): Buffer {
  const head = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');
  return Buffer.concat([head, crypto.randomBytes(size - head.length)]);
}

/**
 * A TCP proxy in front of the SMTP server that cuts the first connection after `cutAfter` bytes
 * from the client (mid-DATA for a large message), and passes later connections through.
 */
async function droppingProxy(target: number, cutAfter: number): Promise<{ port: number; cuts: number; close(): Promise<void> }> {
  const state = { cuts: 0, connections: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const n = ++state.connections;
    const upstream = net.connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    let sent = 0;
    client.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (n === 1 && sent > cutAfter) {
        state.cuts += 1;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    get cuts() {
      return state.cuts;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

interface Desk {
  db: Db;
  repo: Repository;
  outbox: OutboxStore;
  files: AttachmentStore;
  composer: ComposerService;
  agent: Agent;
  caseId: number;
  customer: { user: string; password: string };
  support: { user: string; password: string };
  worker(): OutboxWorker;
}

/** A support mailbox sending through `smtpPort`, a customer mailbox, and a case opened by the customer's mail. */
async function desk(smtpPort = peers.smtp.port): Promise<Desk> {
  const n = ++seq;
  const s = await peers.dovecot.addUser(`attsupport${n}`, `attsupport${n}-secret`);
  const c = await peers.dovecot.addUser(`attcustomer${n}`, `attcustomer${n}-secret`);
  const tmp = tempDir();
  const db = openDatabase(path.join(tmp.dir, 'omni-desk.sqlite'));
  const repo = new Repository(db);
  const mail = new MailStore(db, repo);
  const outbox = new OutboxStore(db);
  const files = new AttachmentStore(path.join(tmp.dir, 'attachments'));
  const accountId = mail.upsertAccount(
    {
      name: 'Omni Support',
      address: s.address,
      imap: { host: '127.0.0.1', port: peers.dovecot.imapPort, tls: 'none' },
      smtp: { host: '127.0.0.1', port: smtpPort, tls: 'none' },
      username: s.user,
      auth: 'password',
      secretRef: `mail/${s.user}`,
    },
    Date.now(),
  );
  const agentId = repo.insertAgent({ name: 'Alex Agent', email: `alex${n}@omni.test`, role: 'agent', tier: 1, seniority: 'mid', skills: {}, channels: {}, languages: ['en'], capacity: {}, presence: 'available', createdAt: Date.now() });
  const now = Date.now();
  const subject = 'Invoice copy please';
  const stored = mail.recordMessage(
    {
      accountId, folder: 'INBOX', uidValidity: 1, uid: 1, messageId: `<ask-${n}@customer.example>`, headerHash: `h-${n}`, inReplyTo: null, references: [], flags: [], modseq: null,
      html: null, size: 100, fromAddress: c.address, quarantinedReason: null, receivedAt: now, attachments: [],
    },
    {
      customer: { create: { name: 'Dana Customer', company: null, title: null, tier: 'standard', vip: false, healthScore: null, language: null, timezone: null, preferredChannel: 'email', createdAt: now,
        identities: [{ kind: 'email', value: c.address, display: c.address, verified: true, source: 'email', firstSeenAt: now, lastSeenAt: now }] } },
      case: { action: 'new', case: { subject, status: 'open', priority: 'normal', issueType: 'billing', channel: 'email', originChannel: 'email', assignedAgentId: null, createdAt: now, updatedAt: now,
        waitingSince: now, firstResponseAt: null, slaDueAt: null, resolvedAt: null, resolutionCode: null, csatScore: null } },
      event: { channel: 'email', direction: 'in', kind: 'message', authorType: 'customer', authorId: null, authorName: 'Dana Customer', subject, body: 'Can I have the invoice?', externalId: `<ask-${n}@customer.example>`, occurredAt: now },
    },
    now,
  );
  if (stored.outcome !== 'stored') throw new Error(stored.outcome);
  const agent = repo.agentById(agentId);
  const composer = createComposerService({ db, repo, emit: () => undefined, now: Date.now, agent, attachments: files, senderDomain: (id) => outbox.senderDomain(id) });

  const deps = { account: (id: number) => mail.getAccount(id), credentials: async () => ({ pass: s.password }) };
  const smtp = createSmtpSender(deps);
  const sent = createSentFolder(deps);
  const workers: OutboxWorker[] = [];
  cleanups.push(async () => {
    for (const w of workers) await w.stop();
    smtp.close();
    db.close();
    tmp.remove();
  });
  return {
    db, repo, outbox, files, composer, agent, caseId: stored.caseId!,
    customer: { user: c.user, password: c.password },
    support: { user: s.user, password: s.password },
    worker() {
      const w = createOutboxWorker({
        store: outbox,
        send: smtp.send,
        describeError: smtp.describe,
        appendToSent: sent.append,
        findInSent: sent.find,
        readAttachment: (hash) => files.read(hash, { verify: true }),
        backoff: { initialMs: 100, maxMs: 400 },
        pollMs: 1_000,
      });
      workers.push(w);
      return w;
    },
  };
}

/** Stages `content` as the renderer does: start, chunks of the size main asks for, finish. */
async function stage(d: Desk, name: string, content: Buffer): Promise<ComposerAttachment> {
  const h = d.composer.handlers;
  const { uploadId, chunkBytes } = await h.stageAttachmentStart({ name, size: content.length }, ctx);
  for (let at = 0; at < content.length; at += chunkBytes) {
    await h.stageAttachmentChunk({ uploadId, offset: at, data: content.subarray(at, at + chunkBytes).toString('base64') }, ctx);
  }
  return h.stageAttachmentFinish({ uploadId }, ctx);
}

async function sendWith(d: Desk, body: string, files: ComposerAttachment[]) {
  return d.composer.handlers.sendComposed(
    { caseId: d.caseId, channel: 'email', body, idempotencyKey: `key-${crypto.randomUUID()}`, macroIds: [], attachments: files.map((f) => ({ sha256: f.sha256, name: f.name })) },
    ctx,
  );
}

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

describe('a reply with attachments over SMTP', () => {
  it('reaches the customer with every file byte for byte, and the timeline lists the files', async () => {
    const d = await desk();
    const invoice = pdfBytes(700 * 1024); // two chunks
    const notes = Buffer.from('order,amount\n1042,19.90\n');
    const a = await stage(d, 'invoice-1042.pdf', invoice);
    const b = await stage(d, 'C:\\Users\\alex\\orders.csv', notes);
    expect(a).toEqual({ sha256: sha(invoice), name: 'invoice-1042.pdf', contentType: 'application/pdf', size: invoice.length });
    // The path a browser may send is dropped; text has no signature, so its name gives the type.
    expect(b).toMatchObject({ name: 'orders.csv', contentType: 'text/csv', size: notes.length });

    const event = await sendWith(d, 'Here is your invoice and the order list.', [a, b]);
    expect(event.metadata.attachments).toEqual([
      { sha256: a.sha256, name: 'invoice-1042.pdf', contentType: 'application/pdf', size: invoice.length },
      { sha256: b.sha256, name: 'orders.csv', contentType: 'text/csv', size: notes.length },
    ]);
    // /attachments/<sha256> serves a sent reply's file.
    expect(d.composer.attachmentFile(a.sha256)).toMatchObject({ filename: 'invoice-1042.pdf', contentType: 'application/pdf' });

    const w = d.worker();
    w.start();
    await waitFor('delivery', () => d.outbox.forEvent(event.id)!.status === 'delivered');
    await w.idle();
    const [got, ...more] = await waitFor('the reply in the customer INBOX', async () => {
      const box = await mailbox(d.customer);
      return box.length ? box : null;
    });
    expect(more).toEqual([]);
    expect((got!.text ?? '').trim()).toBe('Here is your invoice and the order list.');
    expect(got!.attachments.map((x) => [x.filename, x.contentType, sha(x.content)])).toEqual([
      ['invoice-1042.pdf', 'application/pdf', sha(invoice)],
      ['orders.csv', 'text/csv', sha(notes)],
    ]);
    // The copy in Sent carries the files too.
    const [copy] = await mailbox(d.support, 'Sent');
    expect(copy!.attachments.map((x) => sha(x.content))).toEqual([sha(invoice), sha(notes)]);
  });

  it('a connection dropped in the middle of the message is retried and the customer gets it once, intact', async () => {
    const proxy = await droppingProxy(peers.smtp.port, 200 * 1024);
    cleanups.push(() => proxy.close());
    const d = await desk(proxy.port);
    const file = pdfBytes(1024 * 1024);
    const staged = await stage(d, 'statement.pdf', file);
    const event = await sendWith(d, 'Your statement is attached.', [staged]);
    const w = d.worker();
    w.start();
    await waitFor('delivery after the drop', () => d.outbox.forEvent(event.id)!.status === 'delivered');
    await w.idle();
    expect(proxy.cuts).toBe(1);
    expect(d.outbox.forEvent(event.id)!.attempts).toBe(2);
    const box = await mailbox(d.customer);
    expect(box).toHaveLength(1);
    expect(box[0]!.attachments.map((x) => [x.filename, sha(x.content)])).toEqual([['statement.pdf', sha(file)]]);

    // A crash right after the server's 250: the restart finds it in Sent and does not send it again.
    await w.stop();
    d.db.prepare(`UPDATE outbox SET status = 'sending', delivered_at = NULL WHERE event_id = ?`).run(event.id);
    const received = peers.smtp.received.length;
    const again = d.worker();
    again.start();
    await waitFor('settled', () => d.outbox.forEvent(event.id)!.status === 'delivered');
    await again.idle();
    expect(peers.smtp.received.length).toBe(received);
    expect(await mailbox(d.customer)).toHaveLength(1);
  });

  it('a reply whose file vanished from the store fails with a sentence and sends nothing', async () => {
    const d = await desk();
    const staged = await stage(d, 'photo.pdf', pdfBytes(4096));
    const event = await sendWith(d, 'See the attached.', [staged]);
    fs.rmSync(d.files.pathFor(staged.sha256)!);
    const received = peers.smtp.received.length;
    const w = d.worker();
    w.start();
    const row = await waitFor('failed', () => {
      const r = d.outbox.forEvent(event.id)!;
      return r.status === 'failed' ? r : null;
    });
    expect(row.lastError).toBe('The attached file “photo.pdf” is no longer on this computer (or was damaged), so the reply was not sent. Send the reply again with the file attached anew.');
    expect(peers.smtp.received.length).toBe(received);
  });
});

describe('what the composer refuses to attach', () => {
  it('refuses programs by name and by their bytes, and files over the email total, with a sentence', async () => {
    const d = await desk();
    await expect(stage(d, 'setup.exe', Buffer.from('MZ this is a program'))).rejects.toThrow(/“setup\.exe” is a \.exe file, which can run programs when opened/);
    // An ELF binary renamed to look like a PDF: the bytes decide.
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(120)]);
    const disguised = stage(d, 'report.pdf', elf);
    await expect(disguised).rejects.toBeInstanceOf(AppError);
    await expect(disguised).rejects.toThrow(/“report\.pdf” is a program or installer \(application\/x-elf\)/);
    // Nothing refused was stored.
    expect(fs.existsSync(path.join(d.files.dir))).toBe(false);

    // Three files of 9 MB each are each fine, together over 25 MB.
    const big = await Promise.all([1, 2, 3].map((i) => stage(d, `scan-${i}.pdf`, pdfBytes(9 * 1024 * 1024))));
    await expect(sendWith(d, 'All the scans.', big)).rejects.toThrow('The attachments add up to 27 MB; one email can carry at most 25 MB. Remove some, or share a link instead.');
    expect(d.db.prepare(`SELECT count(*) FROM outbox`).pluck().get()).toBe(0);
    // SMS takes no files: a reply with one is refused.
    await expect(
      d.composer.handlers.sendComposed({ caseId: d.caseId, channel: 'sms', body: 'hi', idempotencyKey: 'key-sms-files', macroIds: [], attachments: [{ sha256: big[0]!.sha256, name: 'scan-1.pdf' }] }, ctx),
    ).rejects.toThrow('Files cannot be sent on this channel; only email and chat replies carry attachments.');
  });
});
