// Merge and split on a real SQLite file: the events move between cases' timelines in one
// transaction with a line on each side, tags and links follow, and a bad id or a refused merge or
// split changes nothing. Tags on a case reach the queue's items (the "by tag" views).
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCaseActionsService, type CaseActionsService } from '../../src/main/caseActions/caseActionsService';
import { ComposerStore } from '../../src/main/composer/composerStore';
import { openDatabase, type Db } from '../../src/main/store/database';
import { Repository } from '../../src/main/store/repository';
import type { EventName } from '../../src/shared/contract';
import { caseActionsRequests } from '../../src/shared/contractCaseActions';
import type { Channel, Direction } from '../../src/shared/domain';
import type { CallContext } from '../../src/shared/rpc';
import { tempDir } from '../helpers/tempDir';

const T0 = Date.UTC(2026, 0, 12, 14, 0);
const MIN = 60_000;
const ctx: CallContext = { transport: 'direct' };
const alex = { id: 1, name: 'Alex Morgan', email: 'alex@support.example', role: 'admin' as const, tier: 2, seniority: 'senior' as const };

describe('merge, split and tags on a real SQLite file', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: Db;
  let repo: Repository;
  let clock: number;
  let emitted: EventName[];
  let service: CaseActionsService;
  let dana: number;
  let other: number;

  const customer = (name: string, email: string) =>
    repo.insertCustomer({
      name,
      company: null,
      title: null,
      tier: 'standard',
      vip: false,
      healthScore: null,
      language: 'en',
      timezone: null,
      preferredChannel: 'email',
      createdAt: T0,
      identities: [{ kind: 'email', value: email, display: email, verified: true, source: 'email', firstSeenAt: T0, lastSeenAt: T0 }],
    });
  const newCase = (customerId: number, subject: string, channel: Channel = 'email') =>
    repo.insertCase({
      customerId,
      subject,
      status: 'open',
      priority: 'normal',
      issueType: 'technical',
      channel,
      originChannel: channel,
      assignedAgentId: null,
      createdAt: T0,
      updatedAt: T0,
      waitingSince: T0,
      firstResponseAt: null,
      slaDueAt: T0 + 60 * MIN,
      resolvedAt: null,
      resolutionCode: null,
      csatScore: null,
    });
  const message = (caseId: number, customerId: number, channel: Channel, direction: Direction, body: string, at: number) =>
    repo.insertEvent({ caseId, customerId, channel, direction, kind: 'message', authorType: direction === 'in' ? 'customer' : 'agent', authorId: null, authorName: direction === 'in' ? 'Dana' : 'Alex Morgan', subject: null, body, occurredAt: at });
  const eventsOf = (caseId: number) => (db.prepare(`SELECT id FROM events WHERE case_id = ? AND kind = 'message' ORDER BY occurred_at, id`).all(caseId) as Array<{ id: number }>).map((r) => r.id);
  const linesOf = (caseId: number) => (db.prepare(`SELECT body FROM events WHERE case_id = ? AND kind = 'system' ORDER BY id`).all(caseId) as Array<{ body: string }>).map((r) => r.body);
  const caseRow = (caseId: number) => db.prepare(`SELECT status, merged_into AS mergedInto, waiting_since AS waitingSince, channel FROM cases WHERE id = ?`).get(caseId);
  /** Everything a merge or split could touch, to prove a refused one changed nothing. */
  const snapshot = () =>
    JSON.stringify([
      db.prepare(`SELECT * FROM cases ORDER BY id`).all(),
      db.prepare(`SELECT id, case_id FROM events ORDER BY id`).all(),
      db.prepare(`SELECT * FROM case_tags ORDER BY case_id, tag`).all(),
      db.prepare(`SELECT * FROM case_links ORDER BY case_id, other_case_id`).all(),
    ]);
  const call = (fn: () => unknown) => Promise.resolve().then(fn);

  beforeEach(() => {
    tmp = tempDir('omni-merge-split-');
    db = openDatabase(path.join(tmp.dir, 'omni-desk.sqlite'));
    repo = new Repository(db);
    clock = T0 + 120 * MIN;
    emitted = [];
    repo.insertAgent({ ...alex, skills: {}, channels: {}, languages: ['en'], capacity: {}, presence: 'available', createdAt: T0 });
    dana = customer('Dana Customer', 'dana@customer.example');
    other = customer('Olga Other', 'olga@customer.example');
    service = createCaseActionsService({ db, repo, now: () => clock, agent: alex, emit: (name) => emitted.push(name) });
  });

  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('merging moves the events to the target’s timeline, closes the merged case into it, and carries its tags and links', async () => {
    const source = newCase(dana, 'Refund not received');
    const m1 = message(source, dana, 'email', 'in', 'Where is my refund?', T0 + MIN);
    const m2 = message(source, dana, 'email', 'out', 'Looking into it.', T0 + 2 * MIN);
    const target = newCase(dana, 'Refund for order 42', 'chat');
    const t1 = message(target, dana, 'chat', 'in', 'Hi, about my refund', T0 + 3 * MIN);
    const linked = newCase(dana, 'Old question');
    await service.handlers.addCaseTag({ caseId: source, tag: 'refund' }, ctx);
    await service.handlers.linkCases({ caseId: source, otherCaseId: linked }, ctx);
    new ComposerStore(db).saveDraft({ caseId: source, channel: 'email', mode: 'reply', body: 'half a reply', subject: null, cc: '', includeQuoted: false, mentions: [], pendingMacroIds: [], updatedAt: T0 });
    emitted = [];

    const result = await service.handlers.mergeCase({ caseId: source, intoCaseId: target }, ctx);

    expect(result.movedEvents).toBe(3); // two messages and the line of the link
    expect(eventsOf(source)).toEqual([]);
    expect(eventsOf(target)).toEqual([m1, m2, t1]);
    expect(caseRow(source)).toMatchObject({ status: 'closed', mergedInto: target });
    expect(result.source).toMatchObject({ status: 'closed', mergedInto: target, tags: [], links: [] });
    expect(result.target).toMatchObject({ status: 'open', mergedInto: null, tags: ['refund'] });
    expect(result.target.links.map((l) => l.caseId)).toEqual([linked]);
    expect((await service.handlers.caseActions({ caseId: linked }, ctx)).links.map((l) => l.caseId)).toEqual([target]);
    expect(linesOf(target).at(-1)).toBe(`Case #${source} (“Refund not received”) merged into this case by Alex Morgan; its 3 events moved here.`);
    expect(linesOf(source)).toEqual([`Merged into case #${target} by Alex Morgan; case #${source} is closed.`]);
    expect(new ComposerStore(db).drafts(source)).toEqual([]);
    // The queue: the merged case is gone, the target carries its tag.
    const queue = repo.activeQueue();
    expect(queue.map((i) => i.caseId)).not.toContain(source);
    expect(queue.find((i) => i.caseId === target)?.tags).toEqual(['refund']);
    expect(emitted).toEqual(['timelineAppended', 'timelineAppended', 'queueChanged']);

    // The merged case cannot be merged again, nor reopened.
    await expect(call(() => service.handlers.mergeCase({ caseId: source, intoCaseId: linked }, ctx))).rejects.toMatchObject({ code: 'case/merged' });
    await expect(call(() => service.handlers.reopenCase({ caseId: source }, ctx))).rejects.toMatchObject({ code: 'case/merged' });
  });

  it('a merge is one transaction: when its last step fails, no event has moved and both cases are as they were', async () => {
    const source = newCase(dana, 'Refund not received');
    message(source, dana, 'email', 'in', 'Where is my refund?', T0 + MIN);
    const target = newCase(dana, 'Refund for order 42');
    message(target, dana, 'email', 'in', 'Refund please', T0 + 2 * MIN);
    const before = snapshot();
    // The store refuses the last write of the merge (the line on the merged case).
    db.exec(`CREATE TRIGGER refuse_merge_line BEFORE INSERT ON events WHEN NEW.body LIKE 'Merged into case%' BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    await expect(call(() => service.handlers.mergeCase({ caseId: source, intoCaseId: target }, ctx))).rejects.toThrow(/disk full/);
    expect(snapshot()).toBe(before);
    expect(emitted).toEqual([]);
  });

  it('refuses a bad merge with a clear sentence and changes nothing', async () => {
    const a = newCase(dana, 'A');
    message(a, dana, 'email', 'in', 'a', T0 + MIN);
    const b = newCase(dana, 'B');
    const olgas = newCase(other, 'Olga’s case');
    const resolved = newCase(dana, 'Done already');
    await service.handlers.resolveWithCode({ caseId: resolved, code: 'solved' }, ctx);
    const before = snapshot();
    emitted = [];
    await expect(call(() => service.handlers.mergeCase({ caseId: a, intoCaseId: 9999 }, ctx))).rejects.toMatchObject({ code: 'not-found', message: 'There is no case #9999 to merge into.' });
    await expect(call(() => service.handlers.mergeCase({ caseId: 9999, intoCaseId: a }, ctx))).rejects.toMatchObject({ code: 'not-found' });
    await expect(call(() => service.handlers.mergeCase({ caseId: a, intoCaseId: a }, ctx))).rejects.toMatchObject({ code: 'case/self' });
    await expect(call(() => service.handlers.mergeCase({ caseId: a, intoCaseId: olgas }, ctx))).rejects.toMatchObject({ code: 'case/different-customer', message: expect.stringMatching(/another customer/) });
    await expect(call(() => service.handlers.mergeCase({ caseId: a, intoCaseId: resolved }, ctx))).rejects.toMatchObject({ code: 'case/not-open', message: expect.stringMatching(/is resolved/) });
    expect(snapshot()).toBe(before);
    expect(emitted).toEqual([]);
    // And the contract refuses a missing target before any handler runs.
    expect(caseActionsRequests.mergeCase.input.safeParse({ caseId: a }).success).toBe(false);
    expect(b).toBeGreaterThan(0);
  });

  it('splitting at a message moves it and the later events of its thread to a new linked case; earlier threads stay', async () => {
    const kase = newCase(dana, 'Order and password');
    const e1 = message(kase, dana, 'email', 'in', 'My order is late', T0 + MIN);
    const e2 = message(kase, dana, 'email', 'out', 'It ships today', T0 + 2 * MIN);
    const c1 = message(kase, dana, 'chat', 'in', 'Also, my password reset fails', T0 + 10 * MIN);
    const c2 = message(kase, dana, 'chat', 'out', 'Which browser?', T0 + 11 * MIN);
    const c3 = message(kase, dana, 'chat', 'in', 'Firefox', T0 + 12 * MIN);
    emitted = [];

    const result = await service.handlers.splitCase({ caseId: kase, eventId: c1, subject: 'Password reset fails' }, ctx);

    const created = result.created.caseId;
    expect(result).toMatchObject({ customerId: dana, movedEvents: 3, original: { status: 'open' }, created: { status: 'open' } });
    expect(eventsOf(kase)).toEqual([e1, e2]);
    expect(eventsOf(created)).toEqual([c1, c2, c3]);
    expect(caseRow(created)).toMatchObject({ status: 'open', channel: 'chat', waitingSince: T0 + 12 * MIN });
    expect(result.original.links.map((l) => l.caseId)).toEqual([created]);
    expect(result.created.links.map((l) => l.caseId)).toEqual([kase]);
    expect(linesOf(kase)).toEqual([`Split into case #${created} by Alex Morgan: 3 events from this thread moved there.`]);
    expect(linesOf(created)).toEqual([`Split off case #${kase} by Alex Morgan with 3 events.`]);
    const item = repo.activeQueue().find((i) => i.caseId === created);
    expect(item).toMatchObject({ subject: 'Password reset fails', channel: 'chat', customerId: dana });
    expect(emitted).toEqual(['timelineAppended', 'timelineAppended', 'queueChanged']);
  });

  it('refuses a bad split with a clear sentence and changes nothing', async () => {
    const kase = newCase(dana, 'One thread');
    const e1 = message(kase, dana, 'email', 'in', 'first', T0 + MIN);
    const e2 = message(kase, dana, 'email', 'out', 'second', T0 + 2 * MIN);
    const elsewhere = newCase(dana, 'Another case');
    const foreign = message(elsewhere, dana, 'email', 'in', 'not this case', T0 + 3 * MIN);
    await service.handlers.linkCases({ caseId: kase, otherCaseId: elsewhere }, ctx);
    const systemLine = (db.prepare(`SELECT id FROM events WHERE case_id = ? AND kind = 'system'`).get(kase) as { id: number }).id;
    const before = snapshot();
    emitted = [];
    await expect(call(() => service.handlers.splitCase({ caseId: kase, eventId: e1 }, ctx))).rejects.toMatchObject({ code: 'case/split-all', message: expect.stringMatching(/leave it empty/) });
    await expect(call(() => service.handlers.splitCase({ caseId: kase, eventId: foreign }, ctx))).rejects.toMatchObject({ code: 'case/unknown-events', message: `Case #${kase} has no message ${foreign}.` });
    await expect(call(() => service.handlers.splitCase({ caseId: kase, eventId: systemLine }, ctx))).rejects.toMatchObject({ code: 'case/unknown-events', message: expect.stringMatching(/not at a note or a status line/) });
    await expect(call(() => service.handlers.splitCase({ caseId: 9999, eventId: e2 }, ctx))).rejects.toMatchObject({ code: 'not-found' });
    expect(snapshot()).toBe(before);
    expect(emitted).toEqual([]);
    // Splitting at the second message of the thread is fine: only it moves.
    const ok = await service.handlers.splitCase({ caseId: kase, eventId: e2 }, ctx);
    expect(eventsOf(ok.created.caseId)).toEqual([e2]);
    expect(eventsOf(kase)).toEqual([e1]);
  });

  it('tags: added once in lower case, shown on the queue item, removed again; each change tells the queue', async () => {
    const kase = newCase(dana, 'Tagged');
    const tag = caseActionsRequests.addCaseTag.input.parse({ caseId: kase, tag: '  Refund ' });
    expect(tag.tag).toBe('refund');
    expect((await service.handlers.addCaseTag(tag, ctx)).tags).toEqual(['refund']);
    expect((await service.handlers.addCaseTag({ caseId: kase, tag: 'vip' }, ctx)).tags).toEqual(['refund', 'vip']);
    expect(emitted).toEqual(['queueChanged', 'queueChanged']);
    await service.handlers.addCaseTag(tag, ctx);
    expect(emitted).toHaveLength(2);
    expect(repo.activeQueue().find((i) => i.caseId === kase)?.tags).toEqual(['refund', 'vip']);
    expect((await service.handlers.removeCaseTag({ caseId: kase, tag: 'Refund' }, ctx)).tags).toEqual(['vip']);
    expect(repo.activeQueue().find((i) => i.caseId === kase)?.tags).toEqual(['vip']);
    expect(caseActionsRequests.addCaseTag.input.safeParse({ caseId: kase, tag: '<b>' }).error?.issues[0]?.message).toMatch(/letters and digits/);
    await expect(call(() => service.handlers.addCaseTag({ caseId: 9999, tag: 'x' }, ctx))).rejects.toMatchObject({ code: 'not-found' });
  });
});
