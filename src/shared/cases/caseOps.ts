// Operations on a case and its channel threads (one thread per stint on a channel): add an event,
// resolve, reopen, link, merge, split. Plain data in, new plain data out, each step in the history.
import type { CaseStatus, Channel } from '../domain';
import { isActiveStatus, type CaseCandidate } from './threading';
import { say, type Said, type ServerErrorKey, type ServerErrorParam } from '../serverErrors';

export interface CaseEventRef {
  id: number;
  at: number;
  /** The email's Message-ID, so replies keep threading after a merge or split. */
  messageId?: string | null;
}

/** One stint on one channel. Thread ids are `caseId-seq`, unique across cases, and kept when a thread moves. */
export interface CaseThread {
  id: string;
  channel: Channel;
  openedAt: number;
  /** Set when the stint ended: the customer moved to another channel, or the case was resolved. */
  closedAt: number | null;
  events: CaseEventRef[];
  /** The case the thread came from when it was moved by a merge or split. */
  movedFrom?: number;
}

export interface ResolutionEntry {
  resolvedAt: number;
  code: string | null;
  agentId: number | null;
  /** Set when a later message reopened the case; the entry itself stays. */
  reopenedAt: number | null;
}

export type CaseHistoryEntry =
  | { op: 'created'; at: number; channel: Channel; note: string }
  | { op: 'resolved'; at: number; code: string | null; agentId: number | null; note: string }
  | { op: 'reopened'; at: number; channel: Channel; threadId: string; note: string }
  | { op: 'linked' | 'unlinked'; at: number; caseId: number; note: string }
  | { op: 'merged_from' | 'merged_into' | 'split_to' | 'split_from'; at: number; caseId: number; eventIds: number[]; note: string };

export interface CaseRecord {
  id: number;
  customerId: number;
  subject: string;
  status: CaseStatus;
  createdAt: number;
  threads: CaseThread[];
  /** Symmetric links to related cases, ascending. */
  links: number[];
  /** Set once the case was merged into another; the record stays, empty, as the pointer. */
  mergedInto: number | null;
  resolutions: ResolutionEntry[];
  history: CaseHistoryEntry[];
  nextThreadSeq: number;
}

export type CaseOpErrorCode =
  | 'case/merged'
  | 'case/self'
  | 'case/different-customer'
  | 'case/not-resolved'
  | 'case/already-resolved'
  | 'case/empty-split'
  | 'case/unknown-events'
  | 'case/split-all';

export interface CaseOpError {
  code: CaseOpErrorCode;
  /** The English sentence; `key` and `params` name it in the serverErrors catalog. */
  message: string;
  key: ServerErrorKey;
  params: Readonly<Record<string, ServerErrorParam>>;
}

export type CaseOpResult<T> = { ok: true; value: T } | { ok: false; error: CaseOpError };

const ok = <T>(value: T): CaseOpResult<T> => ({ ok: true, value });
const fail = <T>(code: CaseOpErrorCode, said: Said): CaseOpResult<T> => ({ ok: false, error: { code, ...said } });

function mergedError<T>(c: CaseRecord): CaseOpResult<T> {
  return fail('case/merged', say('caseMerged', { caseId: c.id, into: c.mergedInto ?? '' }));
}

// ---------------------------------------------------------------------------------------------

export interface NewCase {
  id: number;
  customerId: number;
  subject: string;
  channel: Channel;
  at: number;
  event?: CaseEventRef;
}

export function createCase(input: NewCase): CaseRecord {
  const thread: CaseThread = { id: `${input.id}-1`, channel: input.channel, openedAt: input.at, closedAt: null, events: input.event ? [{ ...input.event }] : [] };
  return {
    id: input.id,
    customerId: input.customerId,
    subject: input.subject,
    status: 'open',
    createdAt: input.at,
    threads: [thread],
    links: [],
    mergedInto: null,
    resolutions: [],
    history: [{ op: 'created', at: input.at, channel: input.channel, note: `opened on ${input.channel}` }],
    nextThreadSeq: 2,
  };
}

/** The thread that takes new events: the last one, unless it was closed. */
export function currentThread(c: CaseRecord): CaseThread | null {
  const last = c.threads[c.threads.length - 1];
  return last && last.closedAt === null ? last : null;
}

export function caseEventIds(c: CaseRecord): number[] {
  return c.threads.flatMap((t) => t.events.map((e) => e.id));
}

function lastEventAt(t: CaseThread): number {
  return t.events.reduce((m, e) => Math.max(m, e.at), t.openedAt);
}

function openThread(c: CaseRecord, channel: Channel, at: number, event: CaseEventRef | undefined): { threads: CaseThread[]; thread: CaseThread; nextThreadSeq: number } {
  // The stint that ends is closed at its last event: that is when the customer left the channel.
  const threads = c.threads.map((t) => (t.closedAt === null ? { ...t, closedAt: lastEventAt(t) } : t));
  const thread: CaseThread = { id: `${c.id}-${c.nextThreadSeq}`, channel, openedAt: at, closedAt: null, events: event ? [{ ...event }] : [] };
  return { threads: [...threads, thread], thread, nextThreadSeq: c.nextThreadSeq + 1 };
}

/**
 * A joined event: into the current thread when the customer stays on its channel, else into a new
 * thread for the new stint. Adding to a resolved case is a reopen; use `reopen`.
 */
export function addEvent(c: CaseRecord, channel: Channel, event: CaseEventRef): CaseOpResult<CaseRecord> {
  if (c.mergedInto !== null) return mergedError(c);
  if (!isActiveStatus(c.status)) return fail('case/already-resolved', say('caseClosedNewMessage', { caseId: c.id, status: c.status }));
  const current = currentThread(c);
  if (current && current.channel === channel) {
    return ok({ ...c, threads: c.threads.map((t) => (t === current ? { ...t, events: [...t.events, { ...event }] } : t)) });
  }
  const { threads, nextThreadSeq } = openThread(c, channel, event.at, event);
  return ok({ ...c, threads, nextThreadSeq });
}

export function resolveCase(c: CaseRecord, input: { at: number; code?: string | null; agentId?: number | null; status?: 'resolved' | 'closed' }): CaseOpResult<CaseRecord> {
  if (c.mergedInto !== null) return mergedError(c);
  if (!isActiveStatus(c.status)) return fail('case/already-resolved', say('caseAlready', { caseId: c.id, status: c.status }));
  const code = input.code ?? null;
  const agentId = input.agentId ?? null;
  return ok({
    ...c,
    status: input.status ?? 'resolved',
    threads: c.threads.map((t) => (t.closedAt === null ? { ...t, closedAt: input.at } : t)),
    resolutions: [...c.resolutions, { resolvedAt: input.at, code, agentId, reopenedAt: null }],
    history: [...c.history, { op: 'resolved', at: input.at, code, agentId, note: code ? `resolved: ${code}` : 'resolved' }],
  });
}

/** A message on a resolved or closed case: open again with a new thread on the message's channel; earlier resolutions stay. */
export function reopen(c: CaseRecord, input: { at: number; channel: Channel; event?: CaseEventRef; reason?: string }): CaseOpResult<CaseRecord> {
  if (c.mergedInto !== null) return mergedError(c);
  if (isActiveStatus(c.status)) return fail('case/not-resolved', say('caseNotResolvedAdd', { caseId: c.id, status: c.status }));
  const { threads, thread, nextThreadSeq } = openThread(c, input.channel, input.at, input.event);
  const resolutions = c.resolutions.map((r, i) => (i === c.resolutions.length - 1 && r.reopenedAt === null ? { ...r, reopenedAt: input.at } : r));
  const note = `reopened on ${input.channel}${input.reason ? `: ${input.reason}` : ''}`;
  return ok({ ...c, status: 'open', threads, nextThreadSeq, resolutions, history: [...c.history, { op: 'reopened', at: input.at, channel: input.channel, threadId: thread.id, note }] });
}

/** Symmetric and idempotent: linking twice records it once. */
export function link(a: CaseRecord, b: CaseRecord, at: number): CaseOpResult<[CaseRecord, CaseRecord]> {
  if (a.id === b.id) return fail('case/self', say('caseLinkSelf', { caseId: a.id }));
  if (a.mergedInto !== null) return mergedError(a);
  if (b.mergedInto !== null) return mergedError(b);
  return ok([withLink(a, b.id, at), withLink(b, a.id, at)]);
}

function withLink(c: CaseRecord, other: number, at: number): CaseRecord {
  if (c.links.includes(other)) return c;
  return { ...c, links: [...c.links, other].sort((x, y) => x - y), history: [...c.history, { op: 'linked', at, caseId: other, note: `linked to case ${other}` }] };
}

export function unlink(a: CaseRecord, b: CaseRecord, at: number): [CaseRecord, CaseRecord] {
  const drop = (c: CaseRecord, other: number): CaseRecord =>
    c.links.includes(other) ? { ...c, links: c.links.filter((l) => l !== other), history: [...c.history, { op: 'unlinked', at, caseId: other, note: `unlinked from case ${other}` }] } : c;
  return [drop(a, b.id), drop(b, a.id)];
}

const STATUS_ACTIVITY: Record<CaseStatus, number> = { open: 4, pending: 3, snoozed: 2, resolved: 1, closed: 0 };

/**
 * The source's threads and events move to the target (threads keep their ids and say where they
 * came from); the source stays as an empty record that points at the target. Links are combined.
 * When the source still had work in progress, the target takes the more active status.
 */
export function mergeCases(target: CaseRecord, source: CaseRecord, at: number): CaseOpResult<{ target: CaseRecord; source: CaseRecord }> {
  if (target.id === source.id) return fail('case/self', say('caseMergeSelf', { caseId: target.id }));
  if (target.mergedInto !== null) return mergedError(target);
  if (source.mergedInto !== null) return mergedError(source);
  if (target.customerId !== source.customerId) {
    return fail('case/different-customer', say('caseOtherCustomer', { source: source.id, target: target.id }));
  }
  const moved = source.threads.map((t) => ({ ...t, closedAt: t.closedAt ?? at, movedFrom: t.movedFrom ?? source.id }));
  const eventIds = caseEventIds(source);
  // Keep the target's current thread last so it still takes new events.
  const current = currentThread(target);
  const before = target.threads.filter((t) => t !== current);
  const threads = [...before, ...moved].sort((x, y) => x.openedAt - y.openedAt || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  if (current) threads.push(current);
  const links = [...new Set([...target.links, ...source.links])].filter((l) => l !== target.id && l !== source.id).sort((x, y) => x - y);
  const status = STATUS_ACTIVITY[source.status] > STATUS_ACTIVITY[target.status] && isActiveStatus(source.status) ? source.status : target.status;
  // Open work from the source reopens a resolved target; the resolution entry stays, marked.
  const resolutions =
    status !== target.status && !isActiveStatus(target.status)
      ? target.resolutions.map((r, i) => (i === target.resolutions.length - 1 && r.reopenedAt === null ? { ...r, reopenedAt: at } : r))
      : target.resolutions;
  const mergedTarget: CaseRecord = {
    ...target,
    status,
    resolutions,
    threads,
    links,
    history: [...target.history, { op: 'merged_from', at, caseId: source.id, eventIds, note: `case ${source.id} merged in (${eventIds.length} events)` }],
  };
  const mergedSource: CaseRecord = {
    ...source,
    status: 'closed',
    threads: [],
    links: [],
    mergedInto: target.id,
    history: [...source.history, { op: 'merged_into', at, caseId: target.id, eventIds, note: `merged into case ${target.id} (${eventIds.length} events)` }],
  };
  return ok({ target: mergedTarget, source: mergedSource });
}

/**
 * The selected events move to a new case, in threads of the same channels, and the two cases are
 * linked. Every other event stays; a thread left without events is dropped from the original.
 */
export function splitCase(c: CaseRecord, eventIds: readonly number[], input: { newCaseId: number; at: number; subject?: string }): CaseOpResult<{ original: CaseRecord; split: CaseRecord }> {
  if (c.mergedInto !== null) return mergedError(c);
  if (input.newCaseId === c.id) return fail('case/self', say('caseSplitSameId', { caseId: c.id }));
  const selected = new Set(eventIds);
  if (selected.size === 0) return fail('case/empty-split', say('caseSplitEmpty'));
  const present = new Set(caseEventIds(c));
  const unknown = [...selected].filter((id) => !present.has(id));
  if (unknown.length > 0) return fail('case/unknown-events', say('caseNoEvents', { caseId: c.id, events: unknown.join(', ') }));
  if (selected.size === present.size) return fail('case/split-all', say('caseSplitAll', { caseId: c.id }));

  const kept: CaseThread[] = [];
  const movedThreads: CaseThread[] = [];
  let seq = 1;
  for (const t of c.threads) {
    const stay = t.events.filter((e) => !selected.has(e.id));
    const go = t.events.filter((e) => selected.has(e.id));
    if (stay.length > 0 || (go.length === 0 && t.closedAt === null)) kept.push({ ...t, events: stay });
    if (go.length > 0) {
      const openedAt = go.reduce((m, e) => Math.min(m, e.at), Number.POSITIVE_INFINITY);
      movedThreads.push({ id: `${input.newCaseId}-${seq++}`, channel: t.channel, openedAt, closedAt: null, events: go.map((e) => ({ ...e })), movedFrom: c.id });
    }
  }
  // Only the new case's last thread stays open for new events.
  const splitThreads = movedThreads.map((t, i) => (i < movedThreads.length - 1 ? { ...t, closedAt: lastEventAt(t) } : t));
  const moved = [...selected].sort((x, y) => x - y);
  const original: CaseRecord = {
    ...c,
    threads: kept,
    links: [...new Set([...c.links, input.newCaseId])].sort((x, y) => x - y),
    history: [...c.history, { op: 'split_to', at: input.at, caseId: input.newCaseId, eventIds: moved, note: `${moved.length} events split off to case ${input.newCaseId}` }],
  };
  const split: CaseRecord = {
    id: input.newCaseId,
    customerId: c.customerId,
    subject: input.subject ?? c.subject,
    status: 'open',
    createdAt: input.at,
    threads: splitThreads,
    links: [c.id],
    mergedInto: null,
    resolutions: [],
    history: [{ op: 'split_from', at: input.at, caseId: c.id, eventIds: moved, note: `split off case ${c.id} with ${moved.length} events` }],
    nextThreadSeq: seq,
  };
  return ok({ original, split });
}

/** How threading sees a case: its status, its last activity and channel, its Message-IDs. */
export function toCaseCandidate(c: CaseRecord): CaseCandidate {
  let lastActivityAt = c.createdAt;
  let lastChannel: Channel | null = null;
  const messageIds: string[] = [];
  for (const t of c.threads) {
    for (const e of t.events) {
      if (e.at >= lastActivityAt) {
        lastActivityAt = e.at;
        lastChannel = t.channel;
      }
      if (e.messageId) messageIds.push(e.messageId);
    }
  }
  const current = currentThread(c) ?? c.threads[c.threads.length - 1];
  const lastResolution = c.resolutions[c.resolutions.length - 1];
  return {
    id: c.id,
    customerId: c.customerId,
    status: c.status,
    lastActivityAt,
    lastChannel: lastChannel ?? current?.channel ?? 'email',
    resolvedAt: isActiveStatus(c.status) ? null : (lastResolution?.resolvedAt ?? null),
    messageIds,
    mergedInto: c.mergedInto,
  };
}
