// Every SQL statement of the supervisor dashboard: one date range of the event log (a range scan
// of the covering index of migration 18, rows as arrays), the facts of the cases it needs, and the
// names and segments the figures are labelled with. The figures themselves are shared/metrics'.
import type { CaseStatus, Channel, IssueType, Tier } from '../../shared/domain';
import { CHANNELS, TIERS } from '../../shared/domain';
import { METRIC_AUTHOR_TYPES, type CaseSummary, type MetricEvent, type MetricEventColumns } from '../../shared/metrics';
import type { Db } from './database';
import { METRICS_META_SQL } from './migrations/019_metrics_meta';

export interface DashboardRows {
  /** Calls and portal views (they carry metadata). */
  events: MetricEvent[];
  /** The messages and voicemails, as columns. */
  columns: MetricEventColumns;
  cases: CaseSummary[];
  agentNames: Map<number, string>;
  /** Customer id → index in TIERS, for the customers with contacts in the range. */
  tierOf: Map<number, number>;
}

type CodedRow = [caseId: number | null, customerId: number, code: number | null, authorId: number | null, occurredAt: number];
type EventRow = [caseId: number | null, customerId: number, channel: Channel, direction: MetricEvent['direction'], kind: MetricEvent['kind'], authorType: MetricEvent['authorType'], authorId: number | null, occurredAt: number];
type MetaRow = [...EventRow, durationMs: number | null, article: string | null, deflected: number | null];
type CaseRow = [id: number, customerId: number, issueType: IssueType, status: CaseStatus, createdAt: number, resolvedAt: number | null, firstResponseAt: number | null, csat: number | null, code: string | null, channel: Channel, origin: Channel];

const TIER_INDEX = new Map<string, number>(TIERS.map((t: Tier, i) => [t, i]));
const AUTHOR_TYPES = METRIC_AUTHOR_TYPES;
/** Bits 0–3: the channel's index in CHANNELS; 4: out; 5: voicemail; 6–7: the author type's index. */
const CODE_SQL = `(CASE channel ${CHANNELS.map((c, i) => `WHEN '${c}' THEN ${i}`).join(' ')} ELSE 15 END)
  | (CASE direction WHEN 'out' THEN 16 ELSE 0 END) | (CASE kind WHEN 'voicemail' THEN 32 ELSE 0 END)
  | (CASE author_type ${AUTHOR_TYPES.map((a, i) => `WHEN '${a}' THEN ${i * 64}`).join(' ')} END)`;

export class MetricsStore {
  constructor(private readonly db: Db) {}

  /**
   * The rows the dashboard of [from, to) needs: the customer-facing messages and voicemails in the
   * range (the index alone answers), calls and portal views with their metadata, the cases with
   * activity in the range or created/resolved in it or in the deflection window after it.
   */
  dashboardRows(from: number, to: number, deflectionWindowMs: number): DashboardRows {
    const events: MetricEvent[] = [];
    // Channel, direction and author type come back as one small integer, and the rows go into
    // columns, no object per event (numbers cross into JavaScript much faster than strings, and
    // a million short-lived rows cost far less than a million kept objects).
    const plain = this.db
      .prepare(
        `SELECT case_id, customer_id, ${CODE_SQL}, author_id, occurred_at FROM events INDEXED BY events_metrics
         WHERE occurred_at >= ? AND occurred_at < ? AND kind IN ('message', 'voicemail') AND direction != 'internal'`,
      )
      .raw(true);
    let columns = emptyColumns(4096);
    let size = 0;
    for (const r of plain.iterate(from, to) as IterableIterator<CodedRow>) {
      const code = r[2];
      // A channel or author type this version does not know (a newer writer) is left out, not misfiled.
      if (code === null || (code & 15) >= CHANNELS.length) continue;
      if (size === columns.code.length) columns = grownColumns(columns, size * 2);
      columns.caseId[size] = r[0] ?? -1;
      columns.customerId[size] = r[1];
      columns.code[size] = code;
      columns.authorId[size] = r[3] ?? -1;
      columns.occurredAt[size] = r[4];
      size++;
    }
    columns.size = size;
    // Call durations: `durationMs`, or `durationSec` as the demo center and the voice events write it.
    const withMeta = this.db
      .prepare(
        `SELECT case_id, customer_id, channel, direction, kind, author_type, author_id, occurred_at,
                ${METRICS_META_SQL.durationMs}, ${METRICS_META_SQL.article}, ${METRICS_META_SQL.deflected}
         FROM events INDEXED BY events_metrics_meta
         WHERE occurred_at >= ? AND occurred_at < ? AND ${METRICS_META_SQL.where}`,
      )
      .raw(true);
    for (const r of withMeta.iterate(from, to) as IterableIterator<MetaRow>) {
      const metadata = r[4] === 'call' ? (typeof r[8] === 'number' ? { durationMs: r[8] } : null) : { article: r[9], deflected: r[10] === 1 };
      events.push({ caseId: r[0], customerId: r[1], channel: r[2], direction: r[3], kind: r[4], authorType: r[5], authorId: r[6], occurredAt: r[7], metadata });
    }

    const cases: CaseSummary[] = [];
    const caseRows = this.db
      .prepare(
        `SELECT id, customer_id, issue_type, status, created_at, resolved_at, first_response_at, csat_score, resolution_code, channel, origin_channel FROM cases
         WHERE id IN (SELECT case_id FROM events INDEXED BY events_metrics WHERE occurred_at >= ? AND occurred_at < ? AND case_id IS NOT NULL)
            OR (created_at >= ? AND created_at < ?)
            OR (resolved_at >= ? AND resolved_at < ?)`,
      )
      .raw(true);
    for (const r of caseRows.iterate(from, to, from, to + deflectionWindowMs, from, to) as IterableIterator<CaseRow>) {
      cases.push({
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
      });
    }

    const agentNames = new Map<number, string>();
    for (const [id, name] of this.db.prepare(`SELECT id, name FROM agents`).raw(true).iterate() as IterableIterator<[number, string]>) agentNames.set(id, name);
    const tierOf = new Map<number, number>();
    for (const [id, tier] of this.db.prepare(`SELECT id, tier FROM customers`).raw(true).iterate() as IterableIterator<[number, string]>) {
      const t = TIER_INDEX.get(tier);
      if (t !== undefined) tierOf.set(id, t);
    }
    return { events, columns, cases, agentNames, tierOf };
  }
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
  return g;
}
