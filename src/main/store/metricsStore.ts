// The supervisor dashboard's view of the store, kept in memory: every customer-facing event's
// metric columns, the calls and portal views with their figures, every case's facts and every
// customer's segment. The first request reads them whole (range scans of the covering indexes of
// migrations 18 and 19); each later one applies what changed since: new rows by id, changed and
// erased rows from the change log the triggers of migration 21 fill, whoever wrote them. The
// engine in shared/metrics picks the range; the figures are the same as from a fresh read (see
// tests/integration/metricsStoreKept.test.ts).
import type { CaseStatus, Channel, IssueType, Tier } from '../../shared/domain';
import { CHANNELS, TIERS } from '../../shared/domain';
import { METRIC_AUTHOR_TYPES, type CaseSummary, type MetricEvent, type MetricEventColumns } from '../../shared/metrics';
import type { Db } from './database';
import { METRICS_META_SQL } from './migrations/019_metrics_meta';

export interface DashboardRows {
  /** Calls and portal views (they carry metadata). */
  events: readonly MetricEvent[];
  /** The messages and voicemails, as columns (rows in no particular order). */
  columns: MetricEventColumns;
  cases: readonly CaseSummary[];
  agentNames: Map<number, string>;
  /** A customer's index in TIERS, -1 when unknown. */
  tierOf: (customerId: number) => number;
}

/** What a request cost: whether it read everything, and how many rows it applied otherwise. */
export interface KeptSync {
  full: boolean;
  events: number;
  cases: number;
  customers: number;
}

const CHANGE_EVENTS = 0;
const CHANGE_CASES = 1;
const CHANGE_CUSTOMERS = 2;

type PlainRow = [id: number, caseId: number | null, customerId: number, code: number | null, authorId: number | null, occurredAt: number];
type EventRow = [caseId: number | null, customerId: number, channel: Channel, direction: MetricEvent['direction'], kind: MetricEvent['kind'], authorType: MetricEvent['authorType'], authorId: number | null, occurredAt: number];
type MetaRow = [id: number, ...EventRow, durationMs: number | null, article: string | null, deflected: number | null];
/** A row read by id, whatever it is now: the columns of both kinds. */
type AnyRow = [...MetaRow, code: number | null];
type CaseRow = [id: number, customerId: number, issueType: IssueType, status: CaseStatus, createdAt: number, resolvedAt: number | null, firstResponseAt: number | null, csat: number | null, code: string | null, channel: Channel, origin: Channel];
type KeptEvent = MetricEvent & { readonly id: number };

const TIER_INDEX = new Map<string, number>(TIERS.map((t: Tier, i) => [t, i]));
const AUTHOR_TYPES = METRIC_AUTHOR_TYPES;
/** Bits 0–3: the channel's index in CHANNELS; 4: out; 5: voicemail; 6–7: the author type's index. */
const CODE_SQL = `(CASE channel ${CHANNELS.map((c, i) => `WHEN '${c}' THEN ${i}`).join(' ')} ELSE 15 END)
  | (CASE direction WHEN 'out' THEN 16 ELSE 0 END) | (CASE kind WHEN 'voicemail' THEN 32 ELSE 0 END)
  | (CASE author_type ${AUTHOR_TYPES.map((a, i) => `WHEN '${a}' THEN ${i * 64}`).join(' ')} END)`;
/** A removed row: channel 15 is none, and no range holds -∞ (the engine skips it everywhere). */
const GONE_CODE = 15;
const PLAIN_WHERE = `kind IN ('message', 'voicemail') AND direction != 'internal'`;
const EVENT_COLUMNS = `id, case_id, customer_id, channel, direction, kind, author_type, author_id, occurred_at,
  ${METRICS_META_SQL.durationMs}, ${METRICS_META_SQL.article}, ${METRICS_META_SQL.deflected}, ${CODE_SQL}`;
/**
 * The first read of the event log, one range of time at a time (from, to, the highest id when the
 * read began): range scans of the covering indexes of migrations 18 and 19, no table row per event.
 */
export const KEPT_SQL = {
  plain: `SELECT id, case_id, customer_id, ${CODE_SQL}, author_id, occurred_at FROM events INDEXED BY events_metrics
    WHERE occurred_at >= ? AND occurred_at < ? AND id <= ? AND ${PLAIN_WHERE}`,
  // Call durations: `durationMs`, or `durationSec` as the demo center and the voice events write it.
  meta: `SELECT id, case_id, customer_id, channel, direction, kind, author_type, author_id, occurred_at,
    ${METRICS_META_SQL.durationMs}, ${METRICS_META_SQL.article}, ${METRICS_META_SQL.deflected}
    FROM events INDEXED BY events_metrics_meta WHERE occurred_at >= ? AND occurred_at < ? AND id <= ? AND ${METRICS_META_SQL.where}`,
} as const;
/** How long the first read holds the process before it lets other work in (default). */
const SLICE_MS = 40;
const DAY = 86_400_000;
const CASE_COLUMNS = `id, customer_id, issue_type, status, created_at, resolved_at, first_response_at, csat_score, resolution_code, channel, origin_channel`;

interface Kept {
  ids: Float64Array;
  columns: MetricEventColumns;
  gone: number;
  meta: KeptEvent[];
  cases: CaseSummary[];
  /** By customer id: the index in TIERS, -1 none (customer ids are row ids, dense). */
  tiers: Int8Array;
  customers: number;
  lastEventId: number;
  lastCaseId: number;
  lastCustomerId: number;
}

/**
 * The core makes one with the supervisor service. The log is pruned to what every kept copy of the
 * file in this process has applied; with none kept yet (a new process), it is emptied, since the
 * tables hold it all.
 */
/** Per database file: the kept copies in this process and how far each has applied the log. */
const logReaders = new WeakMap<Db, Map<MetricsStore, number>>();
function readers(db: Db): Map<MetricsStore, number> {
  let map = logReaders.get(db);
  if (!map) logReaders.set(db, (map = new Map()));
  return map;
}

export class MetricsStore {
  private kept: Kept | null = null;
  private loading: Promise<KeptSync> | null = null;
  /** What the last request applied. */
  lastSync: KeptSync | null = null;

  private readonly sliceMs: number;

  constructor(
    private readonly db: Db,
    options: { sliceMs?: number } = {},
  ) {
    this.sliceMs = options.sliceMs ?? SLICE_MS;
    this.forget();
  }

  /**
   * Everything the dashboard reads, up to date with the store. The first call reads the log in
   * slices of about `sliceMs` and lets the process answer other requests between them.
   */
  async rows(): Promise<DashboardRows> {
    if (!this.kept) {
      this.loading ??= this.readAll().finally(() => (this.loading = null));
      const full = await this.loading;
      this.db.transaction(() => this.applyChanges(this.kept!))();
      this.lastSync = full;
    } else {
      this.lastSync = this.db.transaction(() => this.applyChanges(this.kept!))();
    }
    const k = this.kept!;
    const agentNames = new Map<number, string>();
    for (const [id, name] of this.db.prepare(`SELECT id, name FROM agents`).raw(true).iterate() as IterableIterator<[number, string]>) agentNames.set(id, name);
    const tiers = k.tiers;
    const tierOf = (id: number) => (id >= 0 && id < tiers.length ? tiers[id]! : -1);
    return { events: k.meta, columns: k.columns, cases: k.cases, agentNames, tierOf };
  }

  /**
   * The rows as they are when it starts, one day of the log (and a block of cases) at a time. What
   * is written meanwhile is new (above the ids it started from) or in the change log; the first
   * applyChanges after it brings both in, whichever slice a changed row was or was not read in.
   */
  private async readAll(): Promise<KeptSync> {
    // From here on this copy needs what the log gets; what it holds now is in the tables.
    readers(this.db).set(this, this.logEnd());
    const k: Kept = {
      ids: new Float64Array(4096),
      columns: emptyColumns(4096),
      gone: 0,
      meta: [],
      cases: [],
      tiers: new Int8Array(0),
      customers: 0,
      lastEventId: this.maxId('events'),
      lastCaseId: this.maxId('cases'),
      lastCustomerId: this.maxId('customers'),
    };
    const bounds = this.db.prepare(`SELECT MIN(occurred_at), MAX(occurred_at) FROM events INDEXED BY events_metrics`).raw(true).get() as [number | null, number | null];
    // Channel, direction and author type come back as one small integer, and the rows go into
    // columns, no object per event (numbers cross into JavaScript much faster than strings, and
    // a million short-lived rows cost far less than a million kept objects).
    const plain = this.db.prepare(KEPT_SQL.plain).raw(true);
    const meta = this.db.prepare(KEPT_SQL.meta).raw(true);
    const cases = this.db.prepare(`SELECT ${CASE_COLUMNS} FROM cases WHERE id > ? AND id <= ? ORDER BY id LIMIT 20000`).raw(true);
    let slice = performance.now();
    const breathe = async () => {
      if (performance.now() - slice < this.sliceMs) return;
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    };
    if (bounds[0] !== null && bounds[1] !== null) {
      for (let from = bounds[0]; from <= bounds[1]; from += DAY) {
        for (const r of plain.iterate(from, from + DAY, k.lastEventId) as IterableIterator<PlainRow>) pushPlain(k, r[0], r[1], r[2], r[3], r[4], r[5]);
        for (const r of meta.iterate(from, from + DAY, k.lastEventId) as IterableIterator<MetaRow>) k.meta.push(metaEvent(r));
        await breathe();
      }
    }
    for (let after = 0; after < k.lastCaseId; ) {
      const before = k.cases.length;
      for (const r of cases.iterate(after, k.lastCaseId) as IterableIterator<CaseRow>) k.cases.push(caseSummary(r));
      if (k.cases.length === before) break;
      after = k.cases[k.cases.length - 1]!.id;
      await breathe();
    }
    for (const [id, tier] of this.db.prepare(`SELECT id, tier FROM customers WHERE id <= ?`).raw(true).iterate(k.lastCustomerId) as IterableIterator<[number, string]>) setTier(k, id, tier);
    this.kept = k;
    return { full: true, events: k.columns.size + k.meta.length, cases: k.cases.length, customers: k.customers };
  }

  /** New rows by id; changed and erased ones from the log: each is taken out and read again. */
  private applyChanges(k: Kept): KeptSync {
    const until = this.logEnd();
    const changed = [new Set<number>(), new Set<number>(), new Set<number>()] as const;
    const log = this.db.prepare(`SELECT tbl, row_id FROM metrics_changes WHERE seq > ? AND seq <= ?`).raw(true);
    for (const [tbl, id] of log.iterate(readers(this.db).get(this) ?? 0, until) as IterableIterator<[number, number]>) changed[tbl]?.add(id);
    const events = changed[CHANGE_EVENTS];
    const cases = changed[CHANGE_CASES];
    const customers = changed[CHANGE_CUSTOMERS];

    // Events: the changed ones out of the columns and the list, then back in as they are now.
    if (events.size > 0) {
      const { ids, columns } = k;
      for (let i = 0; i < columns.size; i++) {
        if (columns.occurredAt[i] !== -Infinity && events.has(ids[i]!)) {
          columns.code[i] = GONE_CODE;
          columns.occurredAt[i] = -Infinity;
          columns.caseId[i] = -1;
          k.gone++;
        }
      }
      k.meta = k.meta.filter((e) => !events.has(e.id));
      if (k.gone > 4096 && k.gone > columns.size / 4) compact(k);
    }
    const eventRows = this.readByIds<AnyRow>('events', EVENT_COLUMNS, events, k.lastEventId, (r) => {
      if (r[4] === 'internal') return;
      if (r[5] === 'message' || r[5] === 'voicemail') pushPlain(k, r[0], r[1], r[2], r[12], r[7], r[8]);
      else if (r[5] === 'call' || r[5] === 'portal_view') k.meta.push(metaEvent(r as unknown as MetaRow));
    });
    k.lastEventId = Math.max(k.lastEventId, this.maxId('events'));

    // Cases and customers: the same, by id.
    if (cases.size > 0) k.cases = k.cases.filter((c) => !cases.has(c.id));
    const caseRows = this.readByIds<CaseRow>('cases', CASE_COLUMNS, cases, k.lastCaseId, (r) => k.cases.push(caseSummary(r)));
    k.lastCaseId = Math.max(k.lastCaseId, this.maxId('cases'));
    for (const id of customers) setTier(k, id, null);
    const customerRows = this.readByIds<[number, string]>('customers', 'id, tier', customers, k.lastCustomerId, (r) => setTier(k, r[0], r[1]));
    k.lastCustomerId = Math.max(k.lastCustomerId, this.maxId('customers'));

    readers(this.db).set(this, until);
    this.forget();
    return { full: false, events: eventRows, cases: caseRows, customers: customerRows };
  }

  /** What the kept copy holds: the bytes of its columns, and how many calls, portal views and cases it keeps as objects. */
  footprint(): { columnBytes: number; objects: number } {
    const k = this.kept;
    if (!k) return { columnBytes: 0, objects: 0 };
    const c = k.columns;
    const columnBytes = k.ids.byteLength + c.caseId.byteLength + c.customerId.byteLength + c.code.byteLength + c.authorId.byteLength + c.occurredAt.byteLength + k.tiers.byteLength;
    return { columnBytes, objects: k.meta.length + k.cases.length };
  }

  /** The changed rows at or below `lastId` as they are now, then the new ones above it; how many were read. */
  private readByIds<R>(table: 'events' | 'cases' | 'customers', columns: string, changed: ReadonlySet<number>, lastId: number, apply: (row: R) => void): number {
    let read = 0;
    const old = [...changed].filter((id) => id <= lastId);
    if (old.length > 0) {
      for (const r of this.db.prepare(`SELECT ${columns} FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`).raw(true).iterate(JSON.stringify(old)) as IterableIterator<R>) {
        apply(r);
        read++;
      }
    }
    for (const r of this.db.prepare(`SELECT ${columns} FROM ${table} WHERE id > ?`).raw(true).iterate(lastId) as IterableIterator<R>) {
      apply(r);
      read++;
    }
    return read;
  }

  /** The last seq handed out (it only grows: the table is AUTOINCREMENT). */
  private logEnd(): number {
    return (this.db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'metrics_changes'`).pluck().get() as number | undefined) ?? 0;
  }

  /** Drop what every kept copy of this file has applied (all of it when none is kept). */
  private forget(): void {
    const read = [...readers(this.db).values()];
    this.db.prepare(`DELETE FROM metrics_changes WHERE seq <= ?`).run(read.length > 0 ? Math.min(...read) : this.logEnd());
  }

  private maxId(table: 'events' | 'cases' | 'customers'): number {
    return (this.db.prepare(`SELECT COALESCE(MAX(id), 0) FROM ${table}`).pluck().get() as number) ?? 0;
  }
}

function pushPlain(k: Kept, id: number, caseId: number | null, customerId: number, code: number | null, authorId: number | null, occurredAt: number): void {
  // A channel or author type this version does not know (a newer writer) is left out, not misfiled.
  if (code === null || (code & 15) >= CHANNELS.length) return;
  let c = k.columns;
  const size = c.size;
  if (size === c.code.length) {
    c = k.columns = grownColumns(c, size * 2);
    const ids = new Float64Array(size * 2);
    ids.set(k.ids);
    k.ids = ids;
  }
  k.ids[size] = id;
  c.caseId[size] = caseId ?? -1;
  c.customerId[size] = customerId;
  c.code[size] = code;
  c.authorId[size] = authorId ?? -1;
  c.occurredAt[size] = occurredAt;
  c.size = size + 1;
}

/** Drop the removed rows from the columns. */
function compact(k: Kept): void {
  const { ids, columns: c } = k;
  let w = 0;
  for (let r = 0; r < c.size; r++) {
    if (c.occurredAt[r] === -Infinity) continue;
    ids[w] = ids[r]!;
    c.caseId[w] = c.caseId[r]!;
    c.customerId[w] = c.customerId[r]!;
    c.code[w] = c.code[r]!;
    c.authorId[w] = c.authorId[r]!;
    c.occurredAt[w] = c.occurredAt[r]!;
    w++;
  }
  c.size = w;
  k.gone = 0;
}

function metaEvent(r: MetaRow): KeptEvent {
  const metadata = r[5] === 'call' ? (typeof r[9] === 'number' ? { durationMs: r[9] } : null) : { article: r[10], deflected: r[11] === 1 };
  return { id: r[0], caseId: r[1], customerId: r[2], channel: r[3], direction: r[4], kind: r[5], authorType: r[6], authorId: r[7], occurredAt: r[8], metadata };
}

function caseSummary(r: CaseRow): CaseSummary {
  return {
    id: r[0],
    customerId: r[1],
    issueType: r[2],
    status: r[3],
    createdAt: r[4],
    resolvedAt: r[5],
    firstResponseAt: r[6],
    csatScore: r[7],
    // The store has no escalation flag yet; a case resolved by escalating says so in its code.
    escalated: r[8] !== null && r[8].startsWith('escalated'),
    resolutionCode: r[8],
    channels: r[9] === r[10] ? [r[9]] : [r[10], r[9]],
  };
}

function setTier(k: Kept, id: number, tier: string | null): void {
  if (id >= k.tiers.length) {
    if (tier === null) return;
    const tiers = new Int8Array(Math.max(1024, id * 2)).fill(-1);
    tiers.set(k.tiers);
    k.tiers = tiers;
  }
  const was = k.tiers[id]!;
  const t = tier === null ? -1 : (TIER_INDEX.get(tier) ?? -1);
  k.tiers[id] = t;
  k.customers += (t >= 0 ? 1 : 0) - (was >= 0 ? 1 : 0);
}

function emptyColumns(capacity: number): MetricEventColumns {
  return {
    size: 0,
    caseId: new Float64Array(capacity),
    customerId: new Float64Array(capacity),
    code: new Uint8Array(capacity),
    authorId: new Float64Array(capacity),
    occurredAt: new Float64Array(capacity),
  };
}

function grownColumns(c: MetricEventColumns, capacity: number): MetricEventColumns {
  const g = emptyColumns(capacity);
  g.caseId.set(c.caseId);
  g.customerId.set(c.customerId);
  g.code.set(c.code);
  g.authorId.set(c.authorId);
  g.occurredAt.set(c.occurredAt);
  g.size = c.size;
  return g;
}
