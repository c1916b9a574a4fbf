// Channel metrics: pure aggregations over the event log and the case summaries, per channel, per
// agent and channel, and across channels. Linear passes (the events twice: a quick one for the
// span of case ids, then the real one; the cases; the contacts found); every figure is the same
// in any input order.
import { CHANNELS, ISSUE_TYPES, type AuthorType, type CaseStatus, type Channel, type Direction, type EventKind, type IssueType } from '../domain';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** One timeline event, as compact as the metrics need it. */
export interface MetricEvent {
  caseId: number | null;
  customerId: number;
  channel: Channel;
  direction: Direction;
  kind: EventKind;
  authorType: AuthorType;
  /** The agent's id when `authorType` is 'agent'. */
  authorId: number | null;
  occurredAt: number;
  /** Read: `deflected` (portal views), `durationMs` (calls). */
  metadata?: Readonly<Record<string, unknown>> | null;
}

/**
 * Customer-facing messages and voicemails as columns (no object per event): what a store hands
 * over for a large range. Row i: `code[i]` packs the channel's index in CHANNELS (bits 0–3),
 * outbound (bit 4), voicemail (bit 5) and the author type's index in METRIC_AUTHOR_TYPES (bits 6–7);
 * -1 in `caseId` / `authorId` is none. Every figure is the same as for the equal MetricEvent rows.
 */
export interface MetricEventColumns {
  size: number;
  caseId: Float64Array;
  customerId: Float64Array;
  code: Uint8Array;
  authorId: Float64Array;
  occurredAt: Float64Array;
}
export const METRIC_AUTHOR_TYPES = ['customer', 'agent', 'system', 'bot'] as const;
export const CODE_OUT = 16;
export const CODE_VOICEMAIL = 32;

/** The facts of a case, as the store keeps them (current state). */
export interface CaseSummary {
  id: number;
  customerId: number;
  issueType: IssueType;
  status: CaseStatus;
  createdAt: number;
  resolvedAt: number | null;
  /** The first agent reply on any channel; feeds the case-level first response figure. */
  firstResponseAt?: number | null;
  csatScore: number | null;
  escalated: boolean;
  resolutionCode: string | null;
  /** Every channel the case touched in its life. */
  channels: readonly Channel[];
  /** Where it was resolved, when the store knows; else the channel of the last agent reply in the range. */
  resolvedChannel?: Channel | null;
}

/** Costs are configuration. `fixed` is the channel's cost for the whole range (licences, numbers). */
export interface ChannelCost {
  fixed?: number;
  perContact?: number;
  /** Per customer-facing event, e.g. an SMS segment. */
  perEvent?: number;
  /** Per started call minute is the carrier's rule; this uses exact minutes of `durationMs`. */
  perCallMinute?: number;
}

export interface MetricsOptions {
  /** Half-open: from ≤ occurredAt < to. */
  range: { from: number; to: number };
  costs?: Partial<Record<Channel, ChannelCost>>;
  /** A deflected portal view counts when no case of that customer was created within this time after it. Default 7 days. */
  deflectionWindowMs?: number;
  /** A contact on another channel within this time of the customer's previous contact is a switch. Default 24 h. */
  switchWindowMs?: number;
  /** Channels with more contacts than the median and a resolution rate below this are underperforming. Default 0.6. */
  underperformingResolutionRate?: number;
  /** A channel needs this many resolved cases of an issue type to take part in the consistency check. Default 5. */
  consistencyMinCases?: number;
  /** Only these channels count (events on others are skipped, case channel lists are cut to them). Default: all. */
  channels?: readonly Channel[];
  /** The hour of the week (0 = Monday 00–01 … 167, in the center's time zone) of a moment: turns on `demand`. */
  hourOfWeek?: (at: number) => number;
  /** Customer segments (0 … count-1; -1: none): turns on `segmentContacts`. */
  segments?: { count: number; of: (customerId: number) => number };
  /** More customer-facing messages and voicemails, as columns (counted as if they were in `events`). */
  columns?: MetricEventColumns;
}

interface Figures {
  contacts: number;
  resolved: number;
  /** Null when there were no contacts. */
  resolutionRate: number | null;
  /** From the first agent touch on the channel to the case's resolution, over resolved contacts with an agent touch. */
  avgHandleTimeMs: number | null;
  handledContacts: number;
  /** From the customer's first message on the channel to the first agent reply on it after that. */
  avgFirstResponseMs: number | null;
  firstResponses: number;
  csatAverage: number | null;
  csatResponses: number;
  escalated: number;
  escalationRate: number | null;
}

export interface ChannelFigures extends Figures {
  channel: Channel;
  /** Customer-facing events (messages, calls, voicemails) in the range, threaded or not. */
  events: number;
  /** Call events with a duration (callMinutes / calls is the average talk time). */
  calls: number;
  callMinutes: number;
  cost: number;
  costPerContact: number | null;
}

export interface AgentChannelFigures extends Figures {
  agentId: number;
  channel: Channel;
}

export interface IssueConsistency {
  issueType: IssueType;
  /** False when the dominant resolution differs between channels. */
  consistent: boolean;
  byChannel: Array<{ channel: Channel; resolved: number; dominantCode: string; dominantShare: number; codes: Record<string, number> }>;
}

export interface UnderperformingChannel {
  channel: Channel;
  contacts: number;
  medianContacts: number;
  resolutionRate: number;
}

export interface ChannelMetrics {
  range: { from: number; to: number };
  /** Every channel, in CHANNELS order. */
  channels: ChannelFigures[];
  /** Agent × channel pairs with at least one contact, by agent then channel. */
  byAgent: AgentChannelFigures[];
  totals: Figures & {
    cases: number;
    events: number;
    /** Customer-facing events not (yet) threaded into a case: counted as events, not contacts. */
    unthreadedEvents: number;
    /** Case level: creation to the case's first response, for cases created in the range. */
    avgCaseFirstResponseMs: number | null;
    cost: number;
    costPerContact: number | null;
  };
  selfService: {
    portalViews: number;
    deflectedViews: number;
    deflected: number;
    deflectionRate: number | null;
    /** Per article (`metadata.article` of the views): views and deflected, most deflected first, then by name. */
    articles: Array<{ article: string; views: number; deflected: number }>;
  };
  crossChannel: {
    cases: number;
    switchedCases: number;
    channelSwitchRate: number | null;
    switches: number;
    contextPreserved: number;
    contextPreservedRate: number | null;
    resolvedIssues: number;
    avgChannelsPerResolvedIssue: number | null;
  };
  consistency: { issues: IssueConsistency[]; inconsistent: IssueType[] };
  underperforming: UnderperformingChannel[];
  /** With `hourOfWeek`: per channel (CHANNELS order), contacts by the hour of the week they started in (168 counts). */
  demand?: number[][];
  /** With `segments`: per segment, contacts per channel (CHANNELS order). */
  segmentContacts?: number[][];
}

// ---------------------------------------------------------------------------------------------
// Layout: cases and contacts are rows in typed arrays. A case is found by its id (an array indexed
// by id when ids are dense, else an open-addressing hash), its contacts are linked from it; agent
// touches and deflected portal views are pooled linked lists. Nothing is allocated per event: a
// call makes a few typed arrays and some small Maps, whatever the number of events.

const CH_COUNT = CHANNELS.length;
const CH_SHIFT = 16; // > CH_COUNT: agent × channel key = agentId * 16 + channel index
const CH_INDEX = Object.fromEntries(CHANNELS.map((c, i) => [c, i])) as Record<Channel, number>;
const ISSUE_INDEX = Object.fromEntries(ISSUE_TYPES.map((t, i) => [t, i])) as Record<IssueType, number>;
const NONE = Number.POSITIVE_INFINITY;
const TWO_32 = 4294967296;

function grown<T extends Float64Array | Int32Array | Uint8Array>(a: T, capacity: number): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  return b;
}

/** Non-negative integer keys (below 2^53) to slots; linear probing, at most half full, key and slot side by side. */
class SlotIndex {
  private table: Float64Array; // [key, slot] pairs; key -1 is empty
  private bits: number;
  private count = 0;

  constructor(expected: number) {
    this.bits = Math.max(10, Math.ceil(Math.log2(expected * 2 + 1)));
    this.table = new Float64Array(2 << this.bits).fill(-1);
  }

  private home(key: number): number {
    // Fibonacci hashing of both 32-bit halves; the top bits index the table.
    return Math.imul((key >>> 0) ^ Math.imul((key / TWO_32) >>> 0, 0x85ebca6b), 0x9e3779b1) >>> (32 - this.bits);
  }

  /** The slot of `key`, or -1. */
  get(key: number): number {
    const t = this.table;
    const mask = (1 << this.bits) - 1;
    for (let i = this.home(key); ; i = (i + 1) & mask) {
      const k = t[2 * i]!;
      if (k === key) return t[2 * i + 1]!;
      if (k === -1) return -1;
    }
  }

  /** Only for keys not yet present. */
  insert(key: number, slot: number): void {
    if (++this.count * 2 > 1 << this.bits) this.rehash();
    this.place(key, slot);
  }

  private place(key: number, slot: number): void {
    const t = this.table;
    const mask = (1 << this.bits) - 1;
    let i = this.home(key);
    while (t[2 * i] !== -1) i = (i + 1) & mask;
    t[2 * i] = key;
    t[2 * i + 1] = slot;
  }

  /** Each stored slot, in table order. */
  forEachSlot(visit: (slot: number) => void): void {
    const t = this.table;
    for (let j = 0; j < t.length; j += 2) if (t[j] !== -1) visit(t[j + 1]!);
  }

  private rehash(): void {
    const old = this.table;
    this.bits++;
    this.table = new Float64Array(2 << this.bits).fill(-1);
    for (let j = 0; j < old.length; j += 2) if (old[j] !== -1) this.place(old[j]!, old[j + 1]!);
  }
}

/**
 * Case ids to case slots. Case ids are database row ids, dense in practice: then a plain array
 * indexed by id (no hashing); when they are too sparse for that, the hash index.
 */
class CaseIndex {
  private readonly dense: Int32Array | null;
  private readonly base: number;
  private readonly sparse: SlotIndex | null;

  constructor(minId: number, maxId: number, threadedEvents: number) {
    const span = maxId - minId + 1;
    if (span > 0 && span <= 8 * threadedEvents + 65_536) {
      this.dense = new Int32Array(span).fill(-1);
      this.base = minId;
      this.sparse = null;
    } else {
      this.dense = null;
      this.base = 0;
      this.sparse = new SlotIndex(Math.max(1024, threadedEvents >> 2));
    }
  }

  get(id: number): number {
    const d = this.dense;
    if (d === null) return this.sparse!.get(id);
    const i = id - this.base;
    return i >= 0 && i < d.length ? d[i]! : -1;
  }

  /** Only for ids not yet present, and within the span the index was made for. */
  insert(id: number, slot: number): void {
    if (this.dense === null) this.sparse!.insert(id, slot);
    else this.dense[id - this.base] = slot;
  }
}

// A contact's numbers lie side by side (one cache line), and so do its links: the event scan
// touches one or two lines per event instead of one per column.
const FIRST_AT = 0;
const LAST_AT = 1;
const FIRST_IN_AT = 2;
const FIRST_AGENT_AT = 3;
const LAST_AGENT_AT = 4;
const FIRST_RESPONSE_AT = 5;
const RESPONDER = 6;
const CUSTOMER = 7;
const NUMBERS = 8;
const CASE_SLOT = 0;
const CHANNEL = 1;
const AGENT_HEAD = 2; // agent touches (Pool), linked
const EARLY_HEAD = 3; // agent replies seen before the customer's first message known so far (Pool), linked
const NEXT_OF_CUSTOMER = 4;
const NEXT_OF_CASE = 5; // the case's other contacts (one per channel), linked
const LINKS = 6;

/** One case on one channel in the range: the unit of volume. Row `s` is at `s * NUMBERS` and `s * LINKS`. */
class ContactTable {
  size = 0;
  n: Float64Array;
  l: Int32Array;

  constructor(capacity: number) {
    this.n = new Float64Array(capacity * NUMBERS);
    this.l = new Int32Array(capacity * LINKS);
  }

  add(caseSlot: number, ch: number, customerId: number, at: number): number {
    if ((this.size + 1) * LINKS > this.l.length) {
      this.n = grown(this.n, this.n.length * 2);
      this.l = grown(this.l, this.l.length * 2);
    }
    const s = this.size++;
    const n = this.n;
    const o = s * NUMBERS;
    n[o + FIRST_AT] = at;
    n[o + LAST_AT] = at;
    n[o + FIRST_IN_AT] = NONE;
    n[o + FIRST_AGENT_AT] = NONE;
    n[o + LAST_AGENT_AT] = -NONE;
    n[o + FIRST_RESPONSE_AT] = NONE;
    n[o + RESPONDER] = 0;
    n[o + CUSTOMER] = customerId;
    const l = this.l;
    const k = s * LINKS;
    l[k + CASE_SLOT] = caseSlot;
    l[k + CHANNEL] = ch;
    l[k + AGENT_HEAD] = -1;
    l[k + EARLY_HEAD] = -1;
    l[k + NEXT_OF_CUSTOMER] = -1;
    l[k + NEXT_OF_CASE] = -1;
    return s;
  }
}

/** A case with contacts in the range: its contacts, its channels, its last activity, its summary. */
class CaseTable {
  size = 0;
  /** The first of the case's contacts (linked through NEXT_OF_CASE), or -1. */
  firstContact: Int32Array;
  caseId: Float64Array;
  mask: Int32Array;
  summary: Int32Array;
  lastAt: Float64Array;
  lastCh: Int32Array;
  lastAgentAt: Float64Array;
  lastAgentCh: Int32Array;

  constructor(capacity: number) {
    this.firstContact = new Int32Array(capacity);
    this.caseId = new Float64Array(capacity);
    this.mask = new Int32Array(capacity);
    this.summary = new Int32Array(capacity);
    this.lastAt = new Float64Array(capacity);
    this.lastCh = new Int32Array(capacity);
    this.lastAgentAt = new Float64Array(capacity);
    this.lastAgentCh = new Int32Array(capacity);
  }

  add(caseId: number): number {
    if (this.size === this.mask.length) this.grow();
    const s = this.size++;
    this.firstContact[s] = -1;
    this.caseId[s] = caseId;
    this.mask[s] = 0;
    this.summary[s] = -1;
    this.lastAt[s] = -NONE;
    this.lastCh[s] = -1;
    this.lastAgentAt[s] = -NONE;
    this.lastAgentCh[s] = -1;
    return s;
  }

  private grow(): void {
    const n = this.mask.length * 2;
    this.firstContact = grown(this.firstContact, n);
    this.caseId = grown(this.caseId, n);
    this.mask = grown(this.mask, n);
    this.summary = grown(this.summary, n);
    this.lastAt = grown(this.lastAt, n);
    this.lastCh = grown(this.lastCh, n);
    this.lastAgentAt = grown(this.lastAgentAt, n);
    this.lastAgentCh = grown(this.lastAgentCh, n);
  }
}

/**
 * A pooled singly linked list of (id, time) entries, side by side: agent touches per contact,
 * early replies per contact, deflected views per customer. Entry `e` is at `e * 3`: id, at, next.
 */
class Pool {
  size = 0;
  e: Float64Array;
  flag: Uint8Array;

  constructor(capacity: number) {
    this.e = new Float64Array(capacity * 3);
    this.flag = new Uint8Array(capacity);
  }

  add(id: number, at: number, next: number): number {
    if (this.size === this.flag.length) {
      this.e = grown(this.e, this.e.length * 2);
      this.flag = grown(this.flag, this.flag.length * 2);
    }
    const s = this.size++;
    this.e[s * 3] = id;
    this.e[s * 3 + 1] = at;
    this.e[s * 3 + 2] = next;
    return s;
  }

  id(s: number): number {
    return this.e[s * 3]!;
  }
  at(s: number): number {
    return this.e[s * 3 + 1]!;
  }
  next(s: number): number {
    return this.e[s * 3 + 2]!;
  }
  setAt(s: number, at: number): void {
    this.e[s * 3 + 1] = at;
  }
  setNext(s: number, next: number): void {
    this.e[s * 3 + 2] = next;
  }
}

class Acc {
  contacts = 0;
  resolved = 0;
  handled = 0;
  handleSum = 0;
  responses = 0;
  responseSum = 0;
  csatCount = 0;
  csatSum = 0;
  escalated = 0;
}

/** Everything the event scan finds, in the tables above. */
class Scan {
  readonly channelEvents = new Float64Array(CH_COUNT);
  readonly calls = new Float64Array(CH_COUNT);
  readonly callMs = new Float64Array(CH_COUNT);
  /** Bit per channel that counts (the channel filter). */
  allowed = (1 << CH_COUNT) - 1;
  /** Article name → index; views and the article of each deflected view (parallel to `views`). */
  readonly articleIndex = new Map<string, number>();
  readonly articleViews: number[] = [];
  viewArticle = new Int32Array(1024);
  unthreaded = 0;
  portalViews = 0;
  readonly views = new Pool(1024); // deflected portal views, linked per customer
  readonly viewHead = new SlotIndex(1024);
  readonly contacts: ContactTable;
  readonly caseRows: CaseTable;
  readonly caseIndex: CaseIndex;
  readonly touches: Pool; // agent touches, linked per contact
  readonly early = new Pool(1024); // agent replies earlier than the contact's first customer message so far

  constructor(expected: number, span: CaseSpan) {
    this.contacts = new ContactTable(expected);
    this.caseRows = new CaseTable(expected);
    this.caseIndex = new CaseIndex(span.min, span.max, span.threaded);
    this.touches = new Pool(expected);
  }
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

function figures(a: Acc): Figures {
  return {
    contacts: a.contacts,
    resolved: a.resolved,
    resolutionRate: ratio(a.resolved, a.contacts),
    avgHandleTimeMs: ratio(a.handleSum, a.handled),
    handledContacts: a.handled,
    avgFirstResponseMs: ratio(a.responseSum, a.responses),
    firstResponses: a.responses,
    csatAverage: ratio(a.csatSum, a.csatCount),
    csatResponses: a.csatCount,
    escalated: a.escalated,
    escalationRate: ratio(a.escalated, a.contacts),
  };
}

function popcount(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
}

function maskOf(channels: readonly Channel[]): number {
  let m = 0;
  for (let i = 0; i < channels.length; i++) m |= 1 << CH_INDEX[channels[i]!];
  return m;
}

function isResolvedBy(s: CaseSummary | undefined, to: number): s is CaseSummary & { resolvedAt: number } {
  return s !== undefined && (s.status === 'resolved' || s.status === 'closed') && s.resolvedAt !== null && s.resolvedAt < to;
}

function isFacing(kind: EventKind): boolean {
  return kind === 'message' || kind === 'call' || kind === 'voicemail';
}

/** The earliest reply wins; among replies at the same moment, the lowest agent id (order-free). */
function offerResponse(n: Float64Array, o: number, at: number, agentId: number): void {
  const best = n[o + FIRST_RESPONSE_AT]!;
  if (at < best || (at === best && agentId < n[o + RESPONDER]!)) {
    n[o + FIRST_RESPONSE_AT] = at;
    n[o + RESPONDER] = agentId;
  }
}

/**
 * The metrics of a range.
 *
 * Definitions (all over the range [from, to)):
 * - contact: a case with at least one customer-facing event (message, call, voicemail; not internal)
 *   on a channel. Volume is contacts; the channels' volumes add up to the total. Portal views are
 *   self-service, not contacts.
 * - resolution rate: contacts whose case is resolved or closed (current state) with `resolvedAt`
 *   before the end of the range, over contacts. CSAT and escalation likewise belong to every
 *   contact of the case: "cases that touched this channel".
 * - handle time: from the first agent touch on the channel to the case's resolution (resolved
 *   contacts only). It needs no desktop instrumentation and is order-free; call talk time is
 *   reported separately as call minutes.
 * - first response: from the customer's first inbound event on the channel to the first agent
 *   reply on that channel at or after it.
 * - channel switch rate: cases whose channels (the summary's, plus those seen in the range) number
 *   more than one, over cases with contacts in the range.
 * - context preserved: each customer's contacts ordered by their start; a contact on another
 *   channel starting within `switchWindowMs` of the previous contact's last event is a switch;
 *   it preserved the context when both contacts belong to the same case (the new thread joined it).
 * - average channels per resolved issue: over cases resolved in the range.
 * - self-service deflection: portal views flagged `metadata.deflected` and not followed by a new
 *   case of that customer within `deflectionWindowMs`, over all portal views.
 * - consistency: per issue type, the resolution codes of cases resolved in the range by the
 *   channel they were resolved on; inconsistent when the dominant code differs between channels
 *   with at least `consistencyMinCases` cases (a tie picks the alphabetically first code).
 * - underperforming: more contacts than the median channel (among channels with contacts) and a
 *   resolution rate below the threshold.
 */
export function computeChannelMetrics(events: readonly MetricEvent[], cases: readonly CaseSummary[], options: MetricsOptions): ChannelMetrics {
  const { from, to } = options.range;
  // Sized for the usual range so the tables rarely grow; they double when they must.
  const span = caseSpan(events, options.columns, from, to);
  const scan = new Scan(Math.max(1024, Math.min(span.threaded, cases.length + (cases.length >> 2))), span);
  if (options.channels) scan.allowed = maskOf(options.channels);
  scanEvents(events, from, to, scan);
  if (options.columns) scanColumns(options.columns, from, to, scan);
  const caseResponse = attachSummaries(cases, from, to, options.deflectionWindowMs ?? 7 * DAY, scan);
  const demand = options.hourOfWeek ? new Float64Array(CH_COUNT * 168) : null;
  const segmentContacts = options.segments ? new Float64Array(options.segments.count * CH_COUNT) : null;
  const { byChannel, byAgent, customerHead } = aggregateContacts(cases, to, scan, { demand, hourOfWeek: options.hourOfWeek, segmentContacts, segmentOf: options.segments?.of });
  const { switches, preserved } = countSwitches(scan, customerHead, options.switchWindowMs ?? 24 * HOUR);
  const switchedCases = countSwitchedCases(cases, scan);
  const resolvedInRange = resolvedIssues(cases, from, to, scan);
  const result = assemble(scan, { byChannel, byAgent, switches, preserved, switchedCases, caseResponse, ...resolvedInRange }, options);
  if (demand !== null) result.demand = CHANNELS.map((_, ch) => Array.from(demand.subarray(ch * 168, ch * 168 + 168)));
  if (segmentContacts !== null) result.segmentContacts = Array.from({ length: options.segments!.count }, (_, g) => Array.from(segmentContacts.subarray(g * CH_COUNT, g * CH_COUNT + CH_COUNT)));
  return result;
}

interface CaseSpan {
  min: number;
  max: number;
  threaded: number;
}

/** The lowest and highest case id in the range, and how many events there have one: sizes the case index. */
function caseSpan(events: readonly MetricEvent[], columns: MetricEventColumns | undefined, from: number, to: number): CaseSpan {
  let min = NONE;
  let max = -NONE;
  let threaded = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const id = e.caseId;
    if (id === null || e.occurredAt < from || e.occurredAt >= to) continue;
    threaded++;
    if (id < min) min = id;
    if (id > max) max = id;
  }
  if (columns) {
    const { caseId, occurredAt } = columns;
    for (let i = 0; i < columns.size; i++) {
      const id = caseId[i]!;
      if (id < 0 || occurredAt[i]! < from || occurredAt[i]! >= to) continue;
      threaded++;
      if (id < min) min = id;
      if (id > max) max = id;
    }
  }
  return { min, max, threaded };
}

/**
 * The one pass over the events: contacts and their first/last times, agent touches, first
 * responses, portal views. The first response is the earliest agent reply at or after the
 * customer's first message: replies seen before any customer message that precedes them wait in
 * the contact's early list, and join the candidates when an earlier customer message turns up.
 * The result is the same in any event order.
 */
function scanEvents(events: readonly MetricEvent[], from: number, to: number, scan: Scan): void {
  const { views, viewHead, channelEvents, calls, callMs, allowed } = scan;
  const portalAllowed = (allowed & (1 << CH_INDEX.portal)) !== 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const at = e.occurredAt;
    if (at < from || at >= to) continue;
    const kind = e.kind;
    if (kind === 'portal_view') {
      if (!portalAllowed) continue;
      scan.portalViews++;
      const name = e.metadata?.article;
      let article = -1;
      if (typeof name === 'string' && name !== '') {
        article = scan.articleIndex.get(name) ?? -1;
        if (article === -1) {
          article = scan.articleViews.length;
          scan.articleIndex.set(name, article);
          scan.articleViews.push(0);
        }
        scan.articleViews[article]!++;
      }
      if (e.metadata?.deflected === true) {
        const head = viewHead.get(e.customerId);
        const v = views.add(e.customerId, at, -1);
        if (v === scan.viewArticle.length) scan.viewArticle = grown(scan.viewArticle, v * 2);
        scan.viewArticle[v] = article;
        if (head === -1) viewHead.insert(e.customerId, v);
        else {
          // Keep the customer's list head where the index points: link the new view second.
          views.setNext(v, views.next(head));
          views.setNext(head, v);
        }
      }
      continue;
    }
    if (e.direction === 'internal' || !isFacing(kind)) continue;
    const ch = CH_INDEX[e.channel];
    if ((allowed & (1 << ch)) === 0) continue;
    channelEvents[ch]!++;
    if (kind === 'call') {
      const d = e.metadata?.durationMs;
      if (typeof d === 'number' && d > 0) {
        calls[ch]!++;
        callMs[ch]! += Math.round(d);
      }
    }
    scanFacing(scan, e.caseId ?? -1, e.customerId, ch, e.authorType === 'customer', e.authorType === 'agent' ? e.authorId ?? -1 : -1, e.direction === 'out', e.direction === 'in', at);
  }
}

/** The messages and voicemails given as columns: the same steps as scanEvents for each. */
function scanColumns(columns: MetricEventColumns, from: number, to: number, scan: Scan): void {
  const { caseId, customerId, code, authorId, occurredAt } = columns;
  const { channelEvents, allowed } = scan;
  for (let i = 0; i < columns.size; i++) {
    const at = occurredAt[i]!;
    if (at < from || at >= to) continue;
    const c = code[i]!;
    const ch = c & 15;
    if (ch >= CH_COUNT || (allowed & (1 << ch)) === 0) continue;
    channelEvents[ch]!++;
    const author = (c >> 6) & 3;
    scanFacing(scan, caseId[i]!, customerId[i]!, ch, author === 0, author === 1 ? authorId[i]! : -1, (c & CODE_OUT) !== 0, (c & CODE_OUT) === 0, at);
  }
}

/** One customer-facing event on an allowed channel (already counted): its contact's facts. `agentId` -1: not an agent's. */
function scanFacing(scan: Scan, caseId: number, customerId: number, ch: number, byCustomer: boolean, agentId: number, out: boolean, inbound: boolean, at: number): void {
  const { contacts, caseRows, caseIndex, touches, early } = scan;
  if (caseId < 0) {
    scan.unthreaded++;
    return;
  }
  let cs = caseIndex.get(caseId);
  if (cs === -1) {
    cs = caseRows.add(caseId);
    caseIndex.insert(caseId, cs);
  }
  let s = caseRows.firstContact[cs]!;
  while (s !== -1 && contacts.l[s * LINKS + CHANNEL] !== ch) s = contacts.l[s * LINKS + NEXT_OF_CASE]!;
  if (s === -1) {
    caseRows.mask[cs]! |= 1 << ch;
    s = contacts.add(cs, ch, customerId, at);
    contacts.l[s * LINKS + NEXT_OF_CASE] = caseRows.firstContact[cs]!;
    caseRows.firstContact[cs] = s;
  }
  const n = contacts.n;
  const l = contacts.l;
  const o = s * NUMBERS;
  const k = s * LINKS;
  if (at < n[o + FIRST_AT]!) n[o + FIRST_AT] = at;
  if (at > n[o + LAST_AT]!) n[o + LAST_AT] = at;
  if (customerId < n[o + CUSTOMER]!) n[o + CUSTOMER] = customerId;
  if (byCustomer) {
    if (inbound && at < n[o + FIRST_IN_AT]!) {
      n[o + FIRST_IN_AT] = at;
      if (l[k + EARLY_HEAD] !== -1) releaseEarly(n, l, early, s, at);
    }
  } else if (agentId >= 0) {
    if (at < n[o + FIRST_AGENT_AT]!) n[o + FIRST_AGENT_AT] = at;
    if (at > n[o + LAST_AGENT_AT]!) n[o + LAST_AGENT_AT] = at;
    let t = l[k + AGENT_HEAD]!;
    while (t !== -1 && touches.id(t) !== agentId) t = touches.next(t);
    if (t === -1) l[k + AGENT_HEAD] = touches.add(agentId, at, l[k + AGENT_HEAD]!);
    else if (at < touches.at(t)) touches.setAt(t, at);
    if (out) {
      if (at >= n[o + FIRST_IN_AT]!) offerResponse(n, o, at, agentId);
      else l[k + EARLY_HEAD] = early.add(agentId, at, l[k + EARLY_HEAD]!);
    }
  }
}

/** The customer's first message moved back to `firstIn`: early replies at or after it become candidates. */
function releaseEarly(n: Float64Array, l: Int32Array, early: Pool, s: number, firstIn: number): void {
  let keep = -1;
  for (let r = l[s * LINKS + EARLY_HEAD]!; r !== -1; ) {
    const next = early.next(r);
    if (early.at(r) >= firstIn) offerResponse(n, s * NUMBERS, early.at(r), early.id(r));
    else {
      early.setNext(r, keep);
      keep = r;
    }
    r = next;
  }
  l[s * LINKS + EARLY_HEAD] = keep;
}

/**
 * Over the case summaries: attach them to the cases in the range, the case-level first response,
 * and whether a new case followed each deflected portal view.
 */
function attachSummaries(cases: readonly CaseSummary[], from: number, to: number, deflectionWindow: number, scan: Scan): { count: number; sum: number } {
  const { caseIndex, caseRows, views, viewHead } = scan;
  let count = 0;
  let sum = 0;
  for (let i = 0; i < cases.length; i++) {
    const s = cases[i]!;
    const cs = caseIndex.get(s.id);
    if (cs !== -1) caseRows.summary[cs] = i;
    if (s.createdAt >= from && s.createdAt < to && s.firstResponseAt != null && s.firstResponseAt >= s.createdAt) {
      count++;
      sum += s.firstResponseAt - s.createdAt;
    }
    if (views.size > 0) {
      for (let v = viewHead.get(s.customerId); v !== -1; v = views.next(v)) {
        if (s.createdAt > views.at(v) && s.createdAt <= views.at(v) + deflectionWindow) views.flag[v] = 1;
      }
    }
  }
  return { count, sum };
}

/** Per channel and per agent × channel from the contacts; also each case's last channel, and each customer's contacts. */
function aggregateContacts(
  cases: readonly CaseSummary[],
  to: number,
  scan: Scan,
  extras: { demand: Float64Array | null; hourOfWeek: ((at: number) => number) | undefined; segmentContacts: Float64Array | null; segmentOf: ((customerId: number) => number) | undefined },
): { byChannel: Acc[]; byAgent: Map<number, Acc>; customerHead: SlotIndex } {
  const { contacts, caseRows, touches } = scan;
  const { n, l } = contacts;
  const { demand, hourOfWeek, segmentContacts, segmentOf } = extras;
  const byChannel = Array.from({ length: CH_COUNT }, () => new Acc());
  const byAgent = new Map<number, Acc>();
  const customerHead = new SlotIndex(Math.max(1024, contacts.size >> 2));
  for (let c = 0; c < contacts.size; c++) {
    const o = c * NUMBERS;
    const k = c * LINKS;
    const cs = l[k + CASE_SLOT]!;
    const si = caseRows.summary[cs]!;
    const s = si >= 0 ? cases[si] : undefined;
    const ch = l[k + CHANNEL]!;
    const resolved = isResolvedBy(s, to);
    const resolvedAt = resolved ? s.resolvedAt : NONE;
    const firstAgentAt = n[o + FIRST_AGENT_AT]!;
    const firstResponseAt = n[o + FIRST_RESPONSE_AT]!;
    const responseMs = firstResponseAt - n[o + FIRST_IN_AT]!;
    const csat = s?.csatScore ?? null;
    const escalated = s?.escalated === true;
    const acc = byChannel[ch]!;
    acc.contacts++;
    if (resolved) {
      acc.resolved++;
      if (firstAgentAt !== NONE && resolvedAt >= firstAgentAt) {
        acc.handled++;
        acc.handleSum += resolvedAt - firstAgentAt;
      }
    }
    if (firstResponseAt !== NONE) {
      acc.responses++;
      acc.responseSum += responseMs;
    }
    if (csat !== null) {
      acc.csatCount++;
      acc.csatSum += csat;
    }
    if (escalated) acc.escalated++;

    for (let t = l[k + AGENT_HEAD]!; t !== -1; t = touches.next(t)) {
      const agentId = touches.id(t);
      const key = agentId * CH_SHIFT + ch;
      let a = byAgent.get(key);
      if (a === undefined) byAgent.set(key, (a = new Acc()));
      a.contacts++;
      if (resolved) {
        a.resolved++;
        if (resolvedAt >= touches.at(t)) {
          a.handled++;
          a.handleSum += resolvedAt - touches.at(t);
        }
      }
      if (firstResponseAt !== NONE && n[o + RESPONDER] === agentId) {
        a.responses++;
        a.responseSum += responseMs;
      }
      if (csat !== null) {
        a.csatCount++;
        a.csatSum += csat;
      }
      if (escalated) a.escalated++;
    }

    // Ties on time go to the lower channel index, so the answer does not depend on the order.
    const lastAt = n[o + LAST_AT]!;
    if (lastAt > caseRows.lastAt[cs]! || (lastAt === caseRows.lastAt[cs]! && ch < caseRows.lastCh[cs]!)) {
      caseRows.lastAt[cs] = lastAt;
      caseRows.lastCh[cs] = ch;
    }
    const lastAgentAt = n[o + LAST_AGENT_AT]!;
    if (lastAgentAt !== -NONE && (lastAgentAt > caseRows.lastAgentAt[cs]! || (lastAgentAt === caseRows.lastAgentAt[cs]! && ch < caseRows.lastAgentCh[cs]!))) {
      caseRows.lastAgentAt[cs] = lastAgentAt;
      caseRows.lastAgentCh[cs] = ch;
    }

    // Each customer's contacts as a list (the case summary's customer, else the lowest id seen on
    // the events); the index keeps pointing at the first one seen.
    const customerId = s !== undefined ? s.customerId : n[o + CUSTOMER]!;
    n[o + CUSTOMER] = customerId; // from here on: the customer the contact is grouped under
    if (demand !== null) {
      const slot = hourOfWeek!(n[o + FIRST_AT]!);
      if (slot >= 0 && slot < 168) demand[ch * 168 + slot]!++;
    }
    if (segmentContacts !== null) {
      const segment = segmentOf!(customerId);
      if (segment >= 0 && segment * CH_COUNT < segmentContacts.length) segmentContacts[segment * CH_COUNT + ch]!++;
    }
    const head = customerHead.get(customerId);
    if (head === -1) customerHead.insert(customerId, c);
    else {
      l[k + NEXT_OF_CUSTOMER] = l[head * LINKS + NEXT_OF_CUSTOMER]!;
      l[head * LINKS + NEXT_OF_CUSTOMER] = c;
    }
  }
  return { byChannel, byAgent, customerHead };
}

/** Each customer's contacts in order of their start; a neighbour on another channel within the window is a switch. */
function countSwitches(scan: Scan, customerHead: SlotIndex, switchWindow: number): { switches: number; preserved: number } {
  const { contacts, caseRows } = scan;
  const { n, l } = contacts;
  const before = (a: number, b: number): boolean => {
    const d = n[a * NUMBERS + FIRST_AT]! - n[b * NUMBERS + FIRST_AT]!;
    if (d !== 0) return d < 0;
    const byCase = caseRows.caseId[l[a * LINKS + CASE_SLOT]!]! - caseRows.caseId[l[b * LINKS + CASE_SLOT]!]!;
    return byCase !== 0 ? byCase < 0 : l[a * LINKS + CHANNEL]! < l[b * LINKS + CHANNEL]!;
  };
  let switches = 0;
  let preserved = 0;
  let list = new Int32Array(64);
  // Each customer once, from the head of its list; one contact alone switches nothing.
  customerHead.forEachSlot((c) => {
    if (l[c * LINKS + NEXT_OF_CUSTOMER] === -1) return;
    let count = 0;
    for (let x = c; x !== -1; x = l[x * LINKS + NEXT_OF_CUSTOMER]!) {
      if (count === list.length) list = grown(list, count * 2);
      list[count++] = x;
    }
    if (count <= 48) {
      // Insertion sort: customers have a handful of contacts, and it allocates nothing.
      for (let i = 1; i < count; i++) {
        const x = list[i]!;
        let j = i - 1;
        while (j >= 0 && before(x, list[j]!)) {
          list[j + 1] = list[j]!;
          j--;
        }
        list[j + 1] = x;
      }
    } else {
      const sorted = Array.from(list.subarray(0, count)).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
      list.set(sorted);
    }
    for (let i = 1; i < count; i++) {
      const prev = list[i - 1]!;
      const cur = list[i]!;
      if (l[prev * LINKS + CHANNEL] === l[cur * LINKS + CHANNEL] || n[cur * NUMBERS + FIRST_AT]! - n[prev * NUMBERS + LAST_AT]! > switchWindow) continue;
      switches++;
      if (l[prev * LINKS + CASE_SLOT] === l[cur * LINKS + CASE_SLOT]) preserved++;
    }
  });
  return { switches, preserved };
}

function countSwitchedCases(cases: readonly CaseSummary[], scan: Scan): number {
  const { caseRows } = scan;
  let n = 0;
  for (let cs = 0; cs < caseRows.size; cs++) {
    const si = caseRows.summary[cs]!;
    if (popcount((caseRows.mask[cs]! | (si >= 0 ? maskOf(cases[si]!.channels) : 0)) & scan.allowed) > 1) n++;
  }
  return n;
}

/** Cases resolved in the range: channels per resolved issue, resolution codes by issue type and channel. */
function resolvedIssues(cases: readonly CaseSummary[], from: number, to: number, scan: Scan): { resolvedCount: number; channelsOfResolved: number; codes: Array<Map<string, number> | undefined> } {
  const { caseIndex, caseRows } = scan;
  let resolvedCount = 0;
  let channelsOfResolved = 0;
  // Resolution code counts per (issue type × channel), at issue index * CH_SHIFT + channel index.
  const codes: Array<Map<string, number> | undefined> = new Array(ISSUE_TYPES.length * CH_SHIFT).fill(undefined);
  for (let i = 0; i < cases.length; i++) {
    const s = cases[i]!;
    if (!isResolvedBy(s, to) || s.resolvedAt < from) continue;
    const cs = caseIndex.get(s.id);
    const n = popcount((maskOf(s.channels) | (cs >= 0 ? caseRows.mask[cs]! : 0)) & scan.allowed);
    if (n > 0) {
      resolvedCount++;
      channelsOfResolved += n;
    }
    if (s.resolutionCode === null) continue;
    const ch = s.resolvedChannel != null ? CH_INDEX[s.resolvedChannel] : cs < 0 ? -1 : caseRows.lastAgentCh[cs]! >= 0 ? caseRows.lastAgentCh[cs]! : caseRows.lastCh[cs]!;
    if (ch < 0 || (scan.allowed & (1 << ch)) === 0) continue;
    const bucket = ISSUE_INDEX[s.issueType] * CH_SHIFT + ch;
    const dist = codes[bucket] ?? (codes[bucket] = new Map());
    dist.set(s.resolutionCode, (dist.get(s.resolutionCode) ?? 0) + 1);
  }
  return { resolvedCount, channelsOfResolved, codes };
}

interface Found {
  byChannel: Acc[];
  byAgent: Map<number, Acc>;
  switches: number;
  preserved: number;
  switchedCases: number;
  caseResponse: { count: number; sum: number };
  resolvedCount: number;
  channelsOfResolved: number;
  codes: Array<Map<string, number> | undefined>;
}

function assemble(scan: Scan, found: Found, options: MetricsOptions): ChannelMetrics {
  const { from, to } = options.range;
  const threshold = options.underperformingResolutionRate ?? 0.6;
  const minCases = options.consistencyMinCases ?? 5;
  const costs = options.costs ?? {};
  const channels: ChannelFigures[] = CHANNELS.map((channel, ch) => {
    const f = figures(found.byChannel[ch]!);
    const c = costs[channel] ?? {};
    const events = scan.channelEvents[ch]!;
    const minutes = scan.callMs[ch]! / 60_000;
    const cost = (c.fixed ?? 0) + (c.perContact ?? 0) * f.contacts + (c.perEvent ?? 0) * events + (c.perCallMinute ?? 0) * minutes;
    return { channel, ...f, events, calls: scan.calls[ch]!, callMinutes: minutes, cost, costPerContact: ratio(cost, f.contacts) };
  });

  const agentRows: AgentChannelFigures[] = [...found.byAgent.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([key, acc]) => ({ agentId: Math.floor(key / CH_SHIFT), channel: CHANNELS[key % CH_SHIFT]!, ...figures(acc) }));

  const total = new Acc();
  for (const a of found.byChannel) {
    total.contacts += a.contacts;
    total.resolved += a.resolved;
    total.handled += a.handled;
    total.handleSum += a.handleSum;
    total.responses += a.responses;
    total.responseSum += a.responseSum;
    total.csatCount += a.csatCount;
    total.csatSum += a.csatSum;
    total.escalated += a.escalated;
  }
  const totalCost = channels.reduce((sum, c) => sum + c.cost, 0);
  const totalEvents = channels.reduce((sum, c) => sum + c.events, 0);

  const byName = <T>(a: [string, T], b: [string, T]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  const consistencyIssues: IssueConsistency[] = [];
  for (const issueType of [...ISSUE_TYPES].sort()) {
    const rows: IssueConsistency['byChannel'] = [];
    for (let ch = 0; ch < CH_COUNT; ch++) {
      const dist = found.codes[ISSUE_INDEX[issueType] * CH_SHIFT + ch];
      if (dist === undefined) continue;
      let resolved = 0;
      let dominantCode = '';
      let dominant = -1;
      const sortedCodes = [...dist.entries()].sort(byName);
      for (const [code, count] of sortedCodes) {
        resolved += count;
        if (count > dominant) {
          dominant = count;
          dominantCode = code;
        }
      }
      rows.push({ channel: CHANNELS[ch]!, resolved, dominantCode, dominantShare: dominant / resolved, codes: Object.fromEntries(sortedCodes) });
    }
    if (rows.length === 0) continue;
    const considered = rows.filter((r) => r.resolved >= minCases);
    const consistent = considered.every((r) => r.dominantCode === considered[0]!.dominantCode);
    consistencyIssues.push({ issueType, consistent, byChannel: rows });
  }

  const active = channels.filter((c) => c.contacts > 0);
  const median = medianOf(active.map((c) => c.contacts));
  const underperforming: UnderperformingChannel[] = active
    .filter((c) => c.contacts > median && c.resolutionRate !== null && c.resolutionRate < threshold)
    .map((c) => ({ channel: c.channel, contacts: c.contacts, medianContacts: median, resolutionRate: c.resolutionRate! }));

  let deflected = 0;
  const articleDeflected = new Array<number>(scan.articleViews.length).fill(0);
  for (let v = 0; v < scan.views.size; v++) {
    if (scan.views.flag[v] !== 0) continue;
    deflected++;
    const a = scan.viewArticle[v]!;
    if (a >= 0) articleDeflected[a]!++;
  }
  const articles = [...scan.articleIndex.entries()]
    .map(([article, a]) => ({ article, views: scan.articleViews[a]!, deflected: articleDeflected[a]! }))
    .sort((a, b) => b.deflected - a.deflected || (a.article < b.article ? -1 : a.article > b.article ? 1 : 0));
  const cases = scan.caseRows.size;

  return {
    range: { from, to },
    channels,
    byAgent: agentRows,
    totals: {
      ...figures(total),
      cases,
      events: totalEvents,
      unthreadedEvents: scan.unthreaded,
      avgCaseFirstResponseMs: ratio(found.caseResponse.sum, found.caseResponse.count),
      cost: totalCost,
      costPerContact: ratio(totalCost, total.contacts),
    },
    selfService: { portalViews: scan.portalViews, deflectedViews: scan.views.size, deflected, deflectionRate: ratio(deflected, scan.portalViews), articles },
    crossChannel: {
      cases,
      switchedCases: found.switchedCases,
      channelSwitchRate: ratio(found.switchedCases, cases),
      switches: found.switches,
      contextPreserved: found.preserved,
      contextPreservedRate: ratio(found.preserved, found.switches),
      resolvedIssues: found.resolvedCount,
      avgChannelsPerResolvedIssue: ratio(found.channelsOfResolved, found.resolvedCount),
    },
    consistency: { issues: consistencyIssues, inconsistent: consistencyIssues.filter((i) => !i.consistent).map((i) => i.issueType) },
    underperforming,
  };
}

function medianOf(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
