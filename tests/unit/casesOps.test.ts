import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THREADING_CONFIG,
  addEvent,
  caseEventIds,
  createCase,
  currentThread,
  link,
  matchCase,
  mergeCases,
  reopen,
  resolveCase,
  splitCase,
  toCaseCandidate,
  unlink,
  type CaseOpResult,
  type CaseRecord,
} from '../../src/shared/cases';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 2, 10, 9, 0);

function unwrap<T>(r: CaseOpResult<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** Case 1: an email thread (events 1, 2), then the customer moved to chat (events 3, 4). */
function emailThenChat(): CaseRecord {
  let c = createCase({ id: 1, customerId: 7, subject: 'Invoice question', channel: 'email', at: T, event: { id: 1, at: T, messageId: '<m1@customer.example>' } });
  c = unwrap(addEvent(c, 'email', { id: 2, at: T + HOUR, messageId: '<case-1.a@omni.local>' }));
  c = unwrap(addEvent(c, 'chat', { id: 3, at: T + 3 * HOUR }));
  c = unwrap(addEvent(c, 'chat', { id: 4, at: T + 3 * HOUR + 60_000 }));
  return c;
}

describe('channel threads on a case', () => {
  it('a customer moving from email to chat starts a new chat thread on the same case', () => {
    const c = emailThenChat();
    expect(c.threads.map((t) => [t.id, t.channel, t.events.map((e) => e.id), t.closedAt])).toEqual([
      ['1-1', 'email', [1, 2], T + HOUR],
      ['1-2', 'chat', [3, 4], null],
    ]);
  });

  it('a message on a resolved case reopens it with a new chat thread and keeps the resolution history', () => {
    const resolved = unwrap(resolveCase(emailThenChat(), { at: T + 4 * HOUR, code: 'refund', agentId: 3 }));
    expect(resolved.status).toBe('resolved');
    expect(currentThread(resolved)).toBeNull();
    expect(addEvent(resolved, 'chat', { id: 5, at: T + 30 * HOUR })).toMatchObject({ ok: false, error: { code: 'case/already-resolved' } });

    const reopened = unwrap(reopen(resolved, { at: T + 30 * HOUR, channel: 'chat', event: { id: 5, at: T + 30 * HOUR }, reason: 'case token [#1] in subject' }));
    expect(reopened.status).toBe('open');
    expect(reopened.threads).toHaveLength(3);
    expect(currentThread(reopened)).toMatchObject({ id: '1-3', channel: 'chat', events: [{ id: 5 }], closedAt: null });
    expect(reopened.resolutions).toEqual([{ resolvedAt: T + 4 * HOUR, code: 'refund', agentId: 3, reopenedAt: T + 30 * HOUR }]);
    expect(reopened.history.map((h) => h.op)).toEqual(['created', 'resolved', 'reopened']);
    expect(reopened.history[2]!.note).toBe('reopened on chat: case token [#1] in subject');

    const again = unwrap(resolveCase(reopened, { at: T + 31 * HOUR, code: 'replacement' }));
    expect(again.resolutions.map((r) => r.code)).toEqual(['refund', 'replacement']);
  });

  it('reopening an open case is refused: the message joins it instead', () => {
    expect(reopen(emailThenChat(), { at: T, channel: 'chat' })).toMatchObject({ ok: false, error: { code: 'case/not-resolved' } });
  });
});

describe('linking, merging and splitting cases', () => {
  const other = () => createCase({ id: 2, customerId: 7, subject: 'Delivery', channel: 'phone', at: T + 2 * HOUR, event: { id: 10, at: T + 2 * HOUR } });

  it('linking is symmetric and idempotent', () => {
    const [a, b] = unwrap(link(emailThenChat(), other(), T + 5 * HOUR));
    expect(a.links).toEqual([2]);
    expect(b.links).toEqual([1]);
    const [b2, a2] = unwrap(link(b, a, T + 6 * HOUR)); // results come back in argument order
    expect(a2.links).toEqual([2]);
    expect(b2.links).toEqual([1]);
    expect(a2).toBe(a);
    expect(a2.history.filter((h) => h.op === 'linked')).toHaveLength(1);
    expect(link(a, a, T)).toMatchObject({ ok: false, error: { code: 'case/self' } });
    const [u1, u2] = unlink(a2, b2, T + 7 * HOUR);
    expect([u1.links, u2.links]).toEqual([[], []]);
  });

  it('merging moves the events and threads to the target; the source stays as a pointer', () => {
    const { target, source } = unwrap(mergeCases(emailThenChat(), other(), T + 5 * HOUR));
    expect(caseEventIds(target).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 10]);
    expect(target.threads.map((t) => t.id)).toEqual(['1-1', '2-1', '1-2']);
    expect(target.threads[1]).toMatchObject({ channel: 'phone', movedFrom: 2, closedAt: T + 5 * HOUR });
    expect(currentThread(target)?.id).toBe('1-2');
    expect(target.history.at(-1)).toMatchObject({ op: 'merged_from', caseId: 2, eventIds: [10] });
    expect(source).toMatchObject({ mergedInto: 1, status: 'closed', threads: [] });
    expect(source.history.at(-1)).toMatchObject({ op: 'merged_into', caseId: 1, eventIds: [10] });
    expect(addEvent(source, 'email', { id: 11, at: T + 6 * HOUR })).toMatchObject({ ok: false, error: { code: 'case/merged' } });
  });

  it('merging open work into a resolved case reopens it and keeps its resolution', () => {
    const resolved = unwrap(resolveCase(emailThenChat(), { at: T + 4 * HOUR, code: 'refund' }));
    const { target } = unwrap(mergeCases(resolved, other(), T + 5 * HOUR));
    expect(target.status).toBe('open');
    expect(target.resolutions).toEqual([{ resolvedAt: T + 4 * HOUR, code: 'refund', agentId: null, reopenedAt: T + 5 * HOUR }]);
  });

  it("refuses to merge a case into itself or into another customer's case", () => {
    expect(mergeCases(emailThenChat(), emailThenChat(), T)).toMatchObject({ ok: false, error: { code: 'case/self' } });
    const bens = createCase({ id: 9, customerId: 8, subject: 'x', channel: 'sms', at: T });
    const r = mergeCases(emailThenChat(), bens, T);
    expect(r).toMatchObject({ ok: false, error: { code: 'case/different-customer' } });
    if (!r.ok) expect(r.error.message).toBe('Case #9 belongs to another customer than case #1; merge the customers first.');
  });

  it('after a merge, a reply to a message of the source threads into the target', () => {
    const first = emailThenChat();
    const second = createCase({ id: 2, customerId: 7, subject: 'Other', channel: 'email', at: T, event: { id: 20, at: T, messageId: '<second@customer.example>' } });
    const { target, source } = unwrap(mergeCases(first, second, T + HOUR));
    const m = matchCase({ customerId: 7, channel: 'email', occurredAt: T + 2 * HOUR, inReplyTo: '<second@customer.example>' }, [toCaseCandidate(target), toCaseCandidate(source)], DEFAULT_THREADING_CONFIG, T + 2 * HOUR);
    expect(m).toMatchObject({ action: 'join', caseId: 1 });
  });

  it('splitting moves the selected events to a new case linked back to the original', () => {
    const { original, split } = unwrap(splitCase(emailThenChat(), [2, 4], { newCaseId: 30, at: T + 5 * HOUR, subject: 'Second question' }));
    expect(original.threads.map((t) => [t.id, t.events.map((e) => e.id)])).toEqual([
      ['1-1', [1]],
      ['1-2', [3]],
    ]);
    expect(split).toMatchObject({ id: 30, customerId: 7, subject: 'Second question', status: 'open', links: [1] });
    expect(split.threads.map((t) => [t.id, t.channel, t.events.map((e) => e.id), t.movedFrom])).toEqual([
      ['30-1', 'email', [2], 1],
      ['30-2', 'chat', [4], 1],
    ]);
    expect(currentThread(split)?.id).toBe('30-2');
    expect(original.links).toEqual([30]);
    expect(original.history.at(-1)).toMatchObject({ op: 'split_to', caseId: 30, eventIds: [2, 4] });
    expect(split.history).toEqual([{ op: 'split_from', at: T + 5 * HOUR, caseId: 1, eventIds: [2, 4], note: 'split off case 1 with 2 events' }]);
    // The split case's Message-IDs went with it, so replies follow.
    expect(toCaseCandidate(split).messageIds).toEqual(['<case-1.a@omni.local>']);
  });

  it('refuses a split of nothing, of unknown events, or of everything', () => {
    const c = emailThenChat();
    expect(splitCase(c, [], { newCaseId: 30, at: T })).toMatchObject({ ok: false, error: { code: 'case/empty-split' } });
    expect(splitCase(c, [99], { newCaseId: 30, at: T })).toMatchObject({ ok: false, error: { code: 'case/unknown-events', message: 'Case #1 has no event 99.' } });
    expect(splitCase(c, [1, 2, 3, 4], { newCaseId: 30, at: T })).toMatchObject({ ok: false, error: { code: 'case/split-all' } });
  });

  it('operations return new data and leave their inputs untouched', () => {
    const a = deepFreeze(emailThenChat());
    const b = deepFreeze(other());
    const before = JSON.stringify([a, b]);
    unwrap(addEvent(a, 'sms', { id: 40, at: T + 9 * HOUR }));
    unwrap(link(a, b, T));
    unwrap(mergeCases(a, b, T));
    unwrap(splitCase(a, [1], { newCaseId: 31, at: T }));
    const r = unwrap(resolveCase(a, { at: T + 9 * HOUR }));
    unwrap(reopen(deepFreeze(r), { at: T + 10 * HOUR, channel: 'chat' }));
    expect(JSON.stringify([a, b])).toBe(before);
  });

  it('threading sees a case by its last activity and channel', () => {
    expect(toCaseCandidate(emailThenChat())).toEqual({
      id: 1,
      customerId: 7,
      status: 'open',
      lastActivityAt: T + 3 * HOUR + 60_000,
      lastChannel: 'chat',
      resolvedAt: null,
      messageIds: ['<m1@customer.example>', '<case-1.a@omni.local>'],
      mergedInto: null,
    });
  });
});
