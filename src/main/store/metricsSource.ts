// What the channel metrics (shared/metrics) are computed from, read from the store: the events of a
// range and the summaries of their cases (status, resolution, the CSAT score a rating set). Read-only.
import type { CaseSummary, MetricEvent } from '../../shared/metrics';
import type { CaseStatus, Channel, IssueType } from '../../shared/domain';
import type { Db } from './database';

/** A metric event as SQLite hands it over: its metadata still JSON text. */
type EventRow = Omit<MetricEvent, 'metadata'> & { metadata: string | null };

interface CaseRow {
  id: number;
  customerId: number;
  issueType: IssueType;
  status: CaseStatus;
  createdAt: number;
  resolvedAt: number | null;
  firstResponseAt: number | null;
  csatScore: number | null;
  resolutionCode: string | null;
  channels: string;
}

/** The events with from ≤ occurred_at < to, and the summaries of the cases they belong to. */
export function metricsInput(db: Db, range: { from: number; to: number }): { events: MetricEvent[]; cases: CaseSummary[] } {
  const events = (
    db
      .prepare(
        `SELECT case_id AS caseId, customer_id AS customerId, channel, direction, kind, author_type AS authorType, author_id AS authorId,
           occurred_at AS occurredAt, metadata FROM events WHERE occurred_at >= ? AND occurred_at < ?`,
      )
      .all(range.from, range.to) as EventRow[]
  ).map((e): MetricEvent => ({ ...e, metadata: e.metadata ? (JSON.parse(e.metadata) as Record<string, unknown>) : null }));
  const cases = (
    db
      .prepare(
        `SELECT c.id, c.customer_id AS customerId, c.issue_type AS issueType, c.status, c.created_at AS createdAt, c.resolved_at AS resolvedAt,
           c.first_response_at AS firstResponseAt, c.csat_score AS csatScore, c.resolution_code AS resolutionCode,
           (SELECT json_group_array(DISTINCT e.channel) FROM events e WHERE e.case_id = c.id) AS channels
         FROM cases c WHERE c.id IN (SELECT DISTINCT case_id FROM events WHERE case_id IS NOT NULL AND occurred_at >= ? AND occurred_at < ?)`,
      )
      .all(range.from, range.to) as CaseRow[]
  ).map(
    (c): CaseSummary => ({
      id: c.id,
      customerId: c.customerId,
      issueType: c.issueType,
      status: c.status,
      createdAt: c.createdAt,
      resolvedAt: c.resolvedAt,
      firstResponseAt: c.firstResponseAt,
      csatScore: c.csatScore,
      escalated: false,
      resolutionCode: c.resolutionCode,
      channels: JSON.parse(c.channels) as Channel[],
    }),
  );
  return { events, cases };
}
