// The IMAP sync against a real Dovecot: mail arrives through IDLE into the store and the queue,
// replies thread to their case, a cut connection or a new UIDVALIDITY neither duplicates nor
// loses mail, expunges are seen, and a refused password is a status, not a crash.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { caseMessageId } from '../../src/shared/cases';
import { openDatabase, type Db } from '../../src/main/store/database';
import { MailStore, type MailAccount } from '../../src/main/store/mailStore';
import { Repository } from '../../src/main/store/repository';
import { ImapSupervisor, type SupervisorOptions } from '../../src/main/email/imapSupervisor';
import type { ResyncReport } from '../../src/main/email/imapSync';
import { startDovecot, type Dovecot } from '../helpers/dovecot';
import { freePort } from '../helpers/freePort';
import { tempDir } from '../helpers/tempDir';

interface Harness {
  db: Db;
  repo: Repository;
  store: MailStore;
  accountId: number;
  supervisor: ImapSupervisor;
  stored: number;
  statuses: MailAccount[];
  resyncs: ResyncReport[];
}

let dovecot: Dovecot;
let userSeq = 0;
const open: Array<{ supervisor: ImapSupervisor; db: Db; remove(): void }> = [];

beforeAll(async () => {
  dovecot = await startDovecot({ users: [] });
});
afterAll(async () => {
  await dovecot?.stop();
});
afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.supervisor.stop();
    h.db.close();
    h.remove();
  }
});

/** A fresh mailbox per test, so the tests do not see each other's mail. */
async function mailbox(): Promise<{ user: string; password: string }> {
  const user = `support${++userSeq}`;
  await dovecot.addUser(user, `${user}-secret`);
  return { user, password: `${user}-secret` };
}

function harness(login: { user: string; password: string }, over: Partial<SupervisorOptions> & { port?: number } = {}): Harness {
  const tmp = tempDir();
  const db = openDatabase(path.join(tmp.dir, 'omni-desk.sqlite'));
  const repo = new Repository(db);
  const store = new MailStore(db, repo);
  const accountId = store.upsertAccount(
    {
      name: 'Support',
      address: `${login.user}@omni.test`,
      imap: { host: '127.0.0.1', port: over.port ?? dovecot.imapPort, tls: 'none' },
      smtp: null,
      username: login.user,
      auth: 'password',
      secretRef: `mail/${login.user}`,
    },
    Date.now(),
  );
  const h: Harness = { db, repo, store, accountId, supervisor: undefined as unknown as ImapSupervisor, stored: 0, statuses: [], resyncs: [] };
  h.supervisor = new ImapSupervisor({
    store,
    accountId,
    credentials: async () => ({ pass: login.password }),
    ingest: { now: Date.now },
    backoff: { initialMs: 50, maxMs: 400, authFailureMs: 400 },
    session: { batchSize: 20, autoIdleDelayMs: 300 },
    log: process.env.DEBUG_IMAP ? (line) => console.log(line) : undefined,
    ...over,
    onStatus: (account) => {
      h.statuses.push(account);
      over.onStatus?.(account);
    },
    onResync: (report) => h.resyncs.push(report),
    onIngested: (result, mail) => {
      if (result.outcome === 'stored' || result.outcome === 'linked') h.stored++;
      over.onIngested?.(result, mail);
    },
  });
  open.push({ supervisor: h.supervisor, db, remove: tmp.remove });
  return h;
}

let mailSeq = 0;
function customerMail(o: { from?: string; subject?: string; messageId?: string | null; inReplyTo?: string; body?: string; date?: Date } = {}): string {
  const n = ++mailSeq;
  return [
    `From: ${o.from ?? 'Dana Customer <dana@customer.example>'}`,
    'To: Support <support@omni.test>',
    `Subject: ${o.subject ?? `Order ${n} has not arrived`}`,
    ...(o.messageId === null ? [] : [`Message-ID: ${o.messageId ?? `<mail-${n}.${Date.now()}@customer.example>`}`]),
    ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`, `References: ${o.inReplyTo}`] : []),
    `Date: ${(o.date ?? new Date()).toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.body ?? `Hello, this is message ${n}. Where is my order?`,
    '',
  ].join('\r\n');
}

async function waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 10_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const idle = (h: Harness) => waitFor('the account to be in sync', () => h.store.getAccount(h.accountId)?.status === 'idle');

function mailStats(db: Db) {
  return db
    .prepare(
      `SELECT (SELECT count(*) FROM events WHERE channel = 'email') AS events,
              (SELECT count(DISTINCT external_id) FROM events WHERE channel = 'email') AS distinctMessageIds,
              (SELECT count(*) FROM mail_messages) AS mails,
              (SELECT count(*) FROM mail_messages WHERE vanished_at IS NULL) AS present`,
    )
    .get() as { events: number; distinctMessageIds: number; mails: number; present: number };
}

async function serverUids(user: string): Promise<number[]> {
  const out = await dovecot.doveadm(['-f', 'flow', 'fetch', '-u', user, 'uid', 'mailbox', 'INBOX', 'all']);
  return [...out.matchAll(/uid=(\d+)/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

describe('IMAP sync with a real Dovecot', () => {
  it('puts a customer email into the store and the active queue within 2 s of delivery, through IDLE', async () => {
    const login = await mailbox();
    const h = harness(login);
    h.supervisor.start();
    await idle(h);

    const sent = Date.now();
    await dovecot.deliver(customerMail({ subject: 'Refund for order 5521', messageId: '<refund-5521@customer.example>' }), login.user);
    const item = await waitFor('the case in the queue', () => h.repo.activeQueue().find((q) => q.subject === 'Refund for order 5521'), 2_000, 10);
    expect(Date.now() - sent).toBeLessThan(2_000);

    expect(item).toMatchObject({ customerName: 'Dana Customer', channel: 'email', status: 'open', priority: 'normal' });
    expect(item.slaDueAt).toBeGreaterThan(item.waitingSince);
    const profile = h.repo.customerProfile(item.customerId, Date.now());
    expect(profile.identities).toEqual([expect.objectContaining({ kind: 'email', value: 'dana@customer.example', verified: true })]);
    const { events } = h.repo.timelineForCustomer(item.customerId, undefined, 10);
    expect(events).toEqual([
      expect.objectContaining({ channel: 'email', direction: 'in', kind: 'message', subject: 'Refund for order 5521', metadata: expect.objectContaining({ messageId: '<refund-5521@customer.example>' }) }),
    ]);
    expect(events[0]!.body).toContain('Where is my order?');
  });

  it('threads a reply to its case by In-Reply-To (our Message-ID or the customer’s) and by the [#N] token', async () => {
    const login = await mailbox();
    const h = harness(login);
    h.supervisor.start();
    await idle(h);
    const resolve = (caseId: number) => h.db.prepare(`UPDATE cases SET status = 'resolved', resolved_at = ?, waiting_since = NULL, sla_due_at = NULL WHERE id = ?`).run(Date.now(), caseId);
    const caseOf = (messageId: string) => (h.db.prepare(`SELECT case_id AS caseId FROM events WHERE external_id = ?`).get(messageId) as { caseId: number } | undefined)?.caseId;

    await dovecot.deliver(customerMail({ subject: 'Broken charger', messageId: '<charger-1@customer.example>' }), login.user);
    const caseId = await waitFor('the first mail', () => caseOf('<charger-1@customer.example>'));

    // Resolved cases take no continuity: only the reply headers or the token can bring mail back to them.
    resolve(caseId);
    await dovecot.deliver(customerMail({ subject: 'Re: Broken charger', messageId: '<charger-2@customer.example>', inReplyTo: caseMessageId(caseId, 'r1') }), login.user);
    expect(await waitFor('the reply to our message', () => caseOf('<charger-2@customer.example>'))).toBe(caseId);
    expect(h.db.prepare('SELECT status FROM cases WHERE id = ?').get(caseId)).toEqual({ status: 'open' });

    resolve(caseId);
    await dovecot.deliver(customerMail({ subject: 'Still broken', messageId: '<charger-3@customer.example>', inReplyTo: '<charger-1@customer.example>' }), login.user);
    expect(await waitFor('the reply to the first mail', () => caseOf('<charger-3@customer.example>'))).toBe(caseId);

    resolve(caseId);
    await dovecot.deliver(customerMail({ subject: `AW: [#${caseId}] Broken charger`, messageId: '<charger-4@customer.example>' }), login.user);
    expect(await waitFor('the mail with the token', () => caseOf('<charger-4@customer.example>'))).toBe(caseId);

    // Another customer quoting the token does not get into this case.
    resolve(caseId);
    await dovecot.deliver(customerMail({ from: 'Mallory <mallory@elsewhere.example>', subject: `[#${caseId}] hello`, messageId: '<mallory-1@elsewhere.example>' }), login.user);
    expect(await waitFor('the stranger’s mail', () => caseOf('<mallory-1@elsewhere.example>'))).not.toBe(caseId);
    expect(h.db.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 2 });
  });

  it('resumes an initial sync cut in the middle without a duplicate or a lost mail', async () => {
    const login = await mailbox();
    const total = 300;
    const date = new Date(Date.now() - 3 * 86_400_000);
    for (let i = 0; i < total; i++) {
      await dovecot.deliver(customerMail({ from: `Customer ${i % 40} <customer${i % 40}@customer.example>`, subject: `Question ${i}`, date, messageId: i % 50 === 7 ? null : undefined }), login.user);
    }
    let kicked = false;
    let storedAtCut = 0;
    const h: Harness = harness(login, {
      onStatus: () => {
        if (kicked && storedAtCut === 0) storedAtCut = h.stored;
      },
      onIngested: () => {
        if (h.stored === 100 && !kicked) {
          kicked = true;
          void dovecot.kickUser(login.user);
        }
      },
    });
    h.supervisor.start();

    await waitFor('the sync to finish after the cut', () => kicked && h.store.getAccount(h.accountId)?.status === 'idle' && mailStats(h.db).mails === total, 40_000, 50);
    expect(h.statuses.some((s) => s.status === 'error' && /connection to 127\.0\.0\.1 was lost/.test(s.statusDetail ?? ''))).toBe(true);
    expect(mailStats(h.db)).toEqual({ events: total, distinctMessageIds: total - 6, mails: total, present: total });
    expect(h.db.prepare(`SELECT count(*) AS n FROM events WHERE channel = 'email' AND external_id IS NULL`).get()).toEqual({ n: 6 });
    expect([...h.store.knownUids(h.accountId, 'INBOX', h.store.folderState(h.accountId, 'INBOX')!.uidValidity!)].sort((a, b) => a - b)).toEqual(await serverUids(login.user));
    expect(h.store.getAccount(h.accountId)!.progress).toEqual({ done: total, total });
    // The first session never finished its resync; the second resumed it and fetched only the rest.
    expect(storedAtCut).toBeGreaterThanOrEqual(100);
    expect(storedAtCut).toBeLessThan(total);
    expect(h.resyncs).toEqual([expect.objectContaining({ mode: 'resume', fetched: total - storedAtCut })]);
  }, 60_000);

  it('rebinds every mail after a UIDVALIDITY change: a full resync with no duplicate and no loss', async () => {
    const login = await mailbox();
    for (let i = 0; i < 5; i++) await dovecot.deliver(customerMail({ subject: `Before ${i}`, messageId: i === 2 ? null : undefined }), login.user);
    const h = harness(login);
    h.supervisor.start();
    await waitFor('the first sync', () => h.store.getAccount(h.accountId)?.status === 'idle' && mailStats(h.db).mails === 5);
    const before = h.store.folderState(h.accountId, 'INBOX')!;
    await h.supervisor.stop();

    const newValidity = before.uidValidity! + 1000;
    await dovecot.doveadm(['mailbox', 'update', '--uid-validity', String(newValidity), '-u', login.user, 'INBOX']);
    await dovecot.deliver(customerMail({ subject: 'After the change' }), login.user);

    h.supervisor.start();
    await waitFor('the full resync', () => h.store.folderState(h.accountId, 'INBOX')?.uidValidity === newValidity && h.store.getAccount(h.accountId)?.status === 'idle' && mailStats(h.db).events === 6);
    expect(mailStats(h.db)).toEqual({ events: 6, distinctMessageIds: 5, mails: 6, present: 6 });
    expect(h.db.prepare('SELECT DISTINCT uid_validity AS v FROM mail_messages').all()).toEqual([{ v: newValidity }]);
    expect([...h.store.presentUids(h.accountId, 'INBOX', newValidity)].sort((a, b) => a - b)).toEqual(await serverUids(login.user));
    expect(h.store.folderState(h.accountId, 'INBOX')).toMatchObject({ uidValidity: newValidity, lastSyncedAt: expect.any(Number) });
    // Rebound from the header blocks alone (one of them has no Message-ID); only the new mail was fetched.
    expect(h.resyncs.at(-1)).toEqual({ mode: 'uidvalidity', uidValidity: newValidity, rebound: 5, fetched: 1, vanished: 0 });
  });

  it('marks expunged mail as vanished, during IDLE and while it was offline (QRESYNC)', async () => {
    const login = await mailbox();
    for (let i = 0; i < 4; i++) await dovecot.deliver(customerMail({ subject: `Expunge me ${i}` }), login.user);
    const h = harness(login);
    h.supervisor.start();
    await waitFor('the sync', () => h.store.getAccount(h.accountId)?.status === 'idle' && mailStats(h.db).mails === 4);
    const uidValidity = h.store.folderState(h.accountId, 'INBOX')!.uidValidity!;

    await dovecot.doveadm(['expunge', '-u', login.user, 'mailbox', 'INBOX', 'uid', '1']);
    await waitFor('the expunge seen in IDLE', () => !h.store.presentUids(h.accountId, 'INBOX', uidValidity).has(1));

    await h.supervisor.stop();
    await dovecot.doveadm(['expunge', '-u', login.user, 'mailbox', 'INBOX', 'uid', '3']);
    h.supervisor.start();
    await waitFor('the second resync', () => h.resyncs.length === 2);
    expect(h.resyncs[1]).toMatchObject({ mode: 'qresync', vanished: 1, fetched: 0 });
    expect([...h.store.presentUids(h.accountId, 'INBOX', uidValidity)].sort()).toEqual([2, 4]);
    // The events stay on the timeline.
    expect(mailStats(h.db)).toMatchObject({ events: 4, mails: 4, present: 2 });
  });

  it('sets \\Seen and \\Answered on the server and archives a resolved case by MOVE', async () => {
    const login = await mailbox();
    const h = harness(login);
    h.supervisor.start();
    await idle(h);
    await dovecot.deliver(customerMail({ subject: 'Flag me', messageId: '<flag-me@customer.example>' }), login.user);
    const eventId = await waitFor('the mail', () => (h.db.prepare(`SELECT id, case_id AS caseId FROM events WHERE external_id = '<flag-me@customer.example>'`).get() as { id: number; caseId: number } | undefined));

    h.supervisor.markSeen(eventId.id);
    h.supervisor.markAnswered(eventId.caseId);
    await waitFor('the flags pushed', () => h.store.pendingChanges(h.accountId).length === 0);
    expect(await dovecot.doveadm(['-f', 'flow', 'fetch', '-u', login.user, 'flags', 'mailbox', 'INBOX', 'all'])).toMatch(/\\Answered.*\\Seen|\\Seen.*\\Answered/);

    // An archive folder the server does not have yet is created on the first move.
    const account = h.store.getAccount(h.accountId)!;
    h.store.upsertAccount({ ...account, archiveFolder: 'Resolved/2026' }, Date.now());
    expect(h.supervisor.archiveCase(eventId.caseId)).toBe(1);
    await waitFor('the move', () => h.store.locateEvent(eventId.id)?.folder === 'Resolved/2026');
    expect(await serverUids(login.user)).toEqual([]);
    expect(await dovecot.doveadm(['-f', 'flow', 'fetch', '-u', login.user, 'hdr.message-id', 'mailbox', 'Resolved/2026', 'all'])).toContain('<flag-me@customer.example>');
    // The MOVE's VANISHED in INBOX does not mark the archived copy as gone.
    expect(h.store.locateEvent(eventId.id)).toMatchObject({ folder: 'Resolved/2026', vanished: false });
  });

  it('keeps mail it cannot or should not turn into a case: oversized mail quarantined with its reason, auto-replies off the queue', async () => {
    const login = await mailbox();
    const h = harness(login, { ingest: { now: Date.now, mimeLimits: { maxMessageBytes: 8 * 1024 } } });
    h.supervisor.start();
    await idle(h);
    await dovecot.deliver(customerMail({ subject: 'Huge logs attached', messageId: '<huge@customer.example>', body: 'x'.repeat(20 * 1024) }), login.user);
    await dovecot.deliver(
      customerMail({ from: 'Out Of Office <ooo@customer.example>', subject: 'Automatic reply: Order', messageId: '<ooo@customer.example>' }).replace('MIME-Version: 1.0', 'Auto-Submitted: auto-replied\r\nMIME-Version: 1.0'),
      login.user,
    );
    await dovecot.deliver(customerMail({ subject: 'A real question', messageId: '<real@customer.example>' }), login.user);

    await waitFor('all three', () => mailStats(h.db).mails === 3);
    expect(h.store.quarantinedMessages(h.accountId)).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^The message is 2\d(\.\d)? KB, larger than the 8 KB limit/) })]);
    const ooo = h.db.prepare(`SELECT case_id AS caseId, metadata FROM events WHERE external_id = '<ooo@customer.example>'`).get() as { caseId: number | null; metadata: string };
    expect(ooo.caseId).toBeNull();
    expect(JSON.parse(ooo.metadata)).toMatchObject({ automatic: true });
    expect(h.repo.activeQueue().map((q) => q.subject)).toEqual(['A real question']);
  });

  it('reports a refused password as the account’s error with a readable reason, and keeps running', async () => {
    const login = await mailbox();
    const h = harness({ user: login.user, password: 'not-the-password' });
    h.supervisor.start();
    const account = await waitFor('the error status', () => {
      const a = h.store.getAccount(h.accountId);
      return a?.status === 'error' ? a : null;
    });
    expect(account.statusDetail).toMatch(/^The password was not accepted by 127\.0\.0\.1/);
    expect(h.supervisor.error).toMatchObject({ code: 'mail/auth-failed' });
    await h.supervisor.stop();
  });

  it('reports a server that refuses the connection, and retries', async () => {
    const login = await mailbox();
    const h = harness(login, { port: await freePort() });
    h.supervisor.start();
    await waitFor('two attempts', () => h.statuses.filter((s) => s.status === 'error').length >= 2, 5_000);
    expect(h.store.getAccount(h.accountId)!.statusDetail).toMatch(/^The server 127\.0\.0\.1:\d+ refused the connection/);
  });

  it('keeps the status sentence\'s catalog key, so Settings shows it in the agent\'s language', async () => {
    const login = await mailbox();
    const port = await freePort();
    const h = harness(login, { port });
    h.supervisor.start();
    await waitFor('an attempt', () => h.statuses.some((s) => s.status === 'error'), 5_000);
    await h.supervisor.stop();
    const account = h.store.getAccount(h.accountId)!;
    expect(account.statusText).toMatchObject({
      key: expect.stringMatching(/^imapRetry(Seconds|Now)$/),
      params: { reason: `The server 127.0.0.1:${port} refused the connection. Check the host and port, or whether the mail server is running.` },
      nested: { reason: { key: 'imapRefused', params: { where: `127.0.0.1:${port}` } } },
    });
    expect(account.statusDetail).toMatch(/^The server 127\.0\.0\.1:\d+ refused the connection\. .* Trying again/);
  });
});
