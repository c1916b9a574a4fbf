// Case actions on a real SQLite file: resolve with a resolution code, snooze until a time (expiry read
// with a fixed clock) or until the customer writes (a real email through ingest wakes it), reopen, link.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCaseActionsService, type CaseActionsService } from '../../src/main/caseActions/caseActionsService';
import { ingestFetched, type FetchedMail } from '../../src/main/email/ingest';
import { ParsePool } from '../../src/main/email/parsePool';
import { openDatabase, type Db } from '../../src/main/store/database';
import { MailStore } from '../../src/main/store/mailStore';
import { Repository } from '../../src/main/store/repository';
import type { EventName } from '../../src/shared/contract';
import type { CallContext } from '../../src/shared/rpc';
import { tempDir } from '../helpers/tempDir';

const T0 = Date.UTC(2026, 0, 12, 14, 0); // a Monday
const HOUR = 3_600_000;
const ctx: CallContext = { transport: 'direct' };
const REAL_WORKER = fileURLToPath(new URL('../../src/main/email/parseWorker.ts', import.meta.url));
const alex = { id: 1, name: 'Alex Morgan', email: 'alex@support.example', role: 'admin' as const, tier: 2, seniority: 'senior' as const };

function seedCase(repo: Repository, customerId: number, subject: string): number {
  const caseId = repo.insertCase({
    customerId,
    subject,
    status: 'open',
    priority: 'normal',
    issueType: 'technical',
    channel: 'email',
    originChannel: 'email',
    assignedAgentId: null,
    createdAt: T0,
    updatedAt: T0,
    waitingSince: T0,
    firstResponseAt: null,
    slaDueAt: null,
    resolvedAt: null,
    resolutionCode: null,
    csatScore: null,
  });
  repo.insertEvent({ caseId, customerId, channel: 'email', direction: 'in', kind: 'message', authorType: 'customer', authorId: null, authorName: 'Dana', subject, body: subject, occurredAt: T0 });
  return caseId;
}

describe('case actions on a real SQLite file', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: Db;
  let repo: Repository;
  let clock: number;
  let emitted: EventName[];
  let resolved: number[];
  let service: CaseActionsService;
  let customerId: number;
  let pool: ParsePool | null = null;

  const statusOf = (caseId: number) => (db.prepare(`SELECT status, resolution_code AS code FROM cases WHERE id = ?`).get(caseId) as { status: string; code: string | null });
  const queueIds = () => repo.activeQueue().map((i) => i.caseId);
  const lines = (caseId: number) =>
    (db.prepare(`SELECT body FROM events WHERE case_id = ? AND kind = 'system' ORDER BY id`).all(caseId) as Array<{ body: string }>).map((r) => r.body);

  beforeEach(() => {
    tmp = tempDir('omni-case-actions-');
    db = openDatabase(path.join(tmp.dir, 'omni-desk.sqlite'));
    repo = new Repository(db);
    clock = T0;
    emitted = [];
    resolved = [];
    repo.insertAgent({ ...alex, skills: {}, channels: {}, languages: ['en'], capacity: {}, presence: 'available', createdAt: T0 });
    customerId = repo.insertCustomer({
      name: 'Dana Customer',
      company: null,
      title: null,
      tier: 'standard',
      vip: false,
      healthScore: null,
      language: 'en',
      timezone: null,
      preferredChannel: 'email',
      createdAt: T0,
      identities: [{ kind: 'email', value: 'dana@customer.example', display: 'dana@customer.example', verified: true, source: 'email', firstSeenAt: T0, lastSeenAt: T0 }],
    });
    service = createCaseActionsService({ db, repo, now: () => clock, agent: alex, emit: (name) => emitted.push(name), onResolved: (id) => resolved.push(id) });
  });

  afterEach(async () => {
    await pool?.close();
    pool = null;
    db.close();
    tmp.remove();
  });

  it('resolves with a code: the case leaves the queue, the timeline says "Resolved as Workaround given", the follow-ups run once', async () => {
    const caseId = seedCase(repo, customerId, 'Export fails');
    const first = await service.handlers.resolveWithCode({ caseId, code: 'workaround' }, ctx);
    expect(first).toMatchObject({ status: 'resolved', resolutionCode: 'workaround', changed: true });
    expect(statusOf(caseId)).toEqual({ status: 'resolved', code: 'workaround' });
    expect(lines(caseId)).toEqual(['Resolved as Workaround given by Alex Morgan.']);
    expect(queueIds()).not.toContain(caseId);
    expect(emitted).toEqual(['timelineAppended', 'queueChanged']);
    const again = await service.handlers.resolveWithCode({ caseId, code: 'spam' }, ctx);
    expect(again).toMatchObject({ changed: false, resolutionCode: 'workaround' });
    expect(resolved).toEqual([caseId]);
  });

  it('reopens a resolved case into the queue and refuses to reopen an open one', async () => {
    const caseId = seedCase(repo, customerId, 'Export fails');
    await service.handlers.resolveWithCode({ caseId, code: 'solved' }, ctx);
    clock += HOUR;
    const reopened = await service.handlers.reopenCase({ caseId }, ctx);
    expect(reopened).toMatchObject({ status: 'open', resolutionCode: null, changed: true });
    expect(queueIds()).toContain(caseId);
    expect(lines(caseId).at(-1)).toBe('Reopened by Alex Morgan.');
    await expect(Promise.resolve().then(() => service.handlers.reopenCase({ caseId }, ctx))).rejects.toMatchObject({ code: 'case/not-resolved' });
  });

  it('a case snoozed until a time leaves the queue and comes back when the queue is read after that time', async () => {
    const caseId = seedCase(repo, customerId, 'Invoice question');
    const view = await service.handlers.snoozeCase({ caseId, until: T0 + 2 * HOUR, zone: 'Europe/Paris' }, ctx);
    expect(view).toMatchObject({ status: 'snoozed', snoozedUntil: T0 + 2 * HOUR, untilReply: false });
    expect(lines(caseId)).toEqual(['Snoozed until Mon 12 Jan, 17:00 by Alex Morgan.']);
    expect(queueIds()).not.toContain(caseId);

    clock = T0 + 2 * HOUR - 1;
    expect(service.wakeDue()).toEqual([]);
    expect(queueIds()).not.toContain(caseId);

    clock = T0 + 2 * HOUR;
    expect(service.wakeDue()).toEqual([caseId]);
    expect(queueIds()).toContain(caseId);
    expect((await service.handlers.caseActions({ caseId }, ctx)).snoozedUntil).toBeNull();
    expect(lines(caseId).at(-1)).toBe(`Snooze ended; case #${caseId} is back in the queue.`);
    expect(service.wakeDue()).toEqual([]);
  });

  it('each status line keeps its catalog key and params in its metadata, so a German workspace reads it translated', async () => {
    const said = (caseId: number) =>
      (db.prepare(`SELECT metadata FROM events WHERE case_id = ? AND kind = 'system' ORDER BY id`).all(caseId) as Array<{ metadata: string }>).map((r) => (JSON.parse(r.metadata) as { said?: unknown }).said);
    const caseId = seedCase(repo, customerId, 'Invoice question');
    await service.handlers.snoozeCase({ caseId, until: T0 + 2 * HOUR, zone: 'Europe/Paris' }, ctx);
    clock = T0 + 2 * HOUR;
    service.wakeDue();
    await service.handlers.resolveWithCode({ caseId, code: 'workaround' }, ctx);
    await service.handlers.reopenCase({ caseId }, ctx);
    expect(said(caseId)).toEqual([
      { key: 'lineSnoozedUntil', params: { until: T0 + 2 * HOUR, agent: 'Alex Morgan' } },
      { key: 'lineSnoozeEnded', params: { caseId } },
      { key: 'lineResolvedAs', params: { code: 'workaround', agent: 'Alex Morgan' } },
      { key: 'lineReopened', params: { agent: 'Alex Morgan' } },
    ]);
    // The English body stays the row's text (search, export, older desktops).
    expect(lines(caseId)[0]).toBe('Snoozed until Mon 12 Jan, 17:00 by Alex Morgan.');
    const other = seedCase(repo, customerId, 'Second question');
    await service.handlers.mergeCase({ caseId: other, intoCaseId: caseId }, ctx);
    expect(said(caseId).at(-1)).toEqual({ key: 'lineMergedHereOne', params: { source: other, subject: 'Second question', agent: 'Alex Morgan' } });
    expect(lines(caseId).at(-1)).toBe(`Case #${other} (“Second question”) merged into this case by Alex Morgan; its 1 event moved here.`);
  });

  it('refuses to snooze into the past or to snooze a resolved case', async () => {
    const caseId = seedCase(repo, customerId, 'Invoice question');
    expect(() => service.handlers.snoozeCase({ caseId, until: T0 - 1, zone: 'UTC' }, ctx)).toThrow(/future/);
    await service.handlers.resolveWithCode({ caseId, code: 'solved' }, ctx);
    expect(() => service.handlers.snoozeCase({ caseId, until: null, zone: 'UTC' }, ctx)).toThrow(expect.objectContaining({ code: 'case/already-resolved' }));
  });

  it('a case snoozed until the customer replies wakes when the customer’s email arrives', { timeout: 60_000 }, async () => {
    const store = new MailStore(db, repo);
    const accountId = store.upsertAccount({ name: 'Support', address: 'support@omni.test', imap: { host: '127.0.0.1', port: 993, tls: 'tls' }, smtp: null, username: 'support', auth: 'password', secretRef: null }, T0);
    pool = new ParsePool({ size: 1, workerScript: REAL_WORKER });
    const fetched = (uid: number, lines: string[]): FetchedMail => {
      const source = Buffer.from([...lines, ''].join('\r\n'));
      return { accountId, folder: 'INBOX', uidValidity: 7, uid, flags: [], modseq: null, internalDate: clock, size: source.length, source, truncated: false };
    };
    const deps = () => ({ store, now: () => clock, ownAddresses: ['support@omni.test'], parsePool: pool! });
    const opened = await ingestFetched(deps(), fetched(1, ['From: Dana <dana@customer.example>', 'To: support@omni.test', 'Subject: Order 1 has not arrived', 'Message-ID: <order-1@customer.example>', 'Date: Mon, 12 Jan 2026 14:00:00 +0000', '', 'Where is my order?']));
    if (opened.outcome !== 'stored' || opened.caseId === null) throw new Error(`expected a stored mail, got ${opened.outcome}`);
    const caseId = opened.caseId;

    await service.handlers.snoozeCase({ caseId, until: null, zone: 'UTC' }, ctx);
    expect(lines(caseId)).toEqual(['Snoozed until the customer replies by Alex Morgan.']);
    expect(queueIds()).not.toContain(caseId);
    clock += 30 * 24 * HOUR;
    expect(service.wakeDue()).toEqual([]);
    expect(queueIds()).not.toContain(caseId);

    clock += HOUR;
    const replied = await ingestFetched(deps(), fetched(2, ['From: Dana <dana@customer.example>', 'To: support@omni.test', 'Subject: Re: Order 1 has not arrived', 'Message-ID: <order-1-again@customer.example>', 'In-Reply-To: <order-1@customer.example>', 'Date: Wed, 11 Feb 2026 15:00:00 +0000', '', 'Any news?']));
    expect(replied).toMatchObject({ outcome: 'stored', caseId });
    expect(statusOf(caseId).status).toBe('open');
    expect(queueIds()).toContain(caseId);
    service.wakeDue();
    expect(await service.handlers.caseActions({ caseId }, ctx)).toMatchObject({ status: 'open', snoozedUntil: null, untilReply: false });
  });

  it('links two cases by number both ways, once, and refuses a case linked to itself or an unknown number', async () => {
    const a = seedCase(repo, customerId, 'Export fails');
    const b = seedCase(repo, customerId, 'Export fails again');
    const view = await service.handlers.linkCases({ caseId: a, otherCaseId: b }, ctx);
    expect(view.links).toEqual([{ caseId: b, customerId, subject: 'Export fails again', status: 'open' }]);
    expect((await service.handlers.caseActions({ caseId: b }, ctx)).links.map((l) => l.caseId)).toEqual([a]);
    await service.handlers.linkCases({ caseId: b, otherCaseId: a }, ctx);
    expect(lines(a)).toEqual([`Linked to case #${b}.`]);
    expect(lines(b)).toEqual([`Linked to case #${a}.`]);
    expect(() => service.handlers.linkCases({ caseId: a, otherCaseId: a }, ctx)).toThrow(expect.objectContaining({ code: 'case/self' }));
    expect(() => service.handlers.linkCases({ caseId: a, otherCaseId: 9999 }, ctx)).toThrow(expect.objectContaining({ code: 'not-found' }));
  });
});
