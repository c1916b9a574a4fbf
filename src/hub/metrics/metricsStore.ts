// What the hub knows, in the metrics engine's terms: each conversation is a case (its contact is
// the customer), each message a timeline event, each portal article view a self-service view.
// Portal visitors who later wrote are the contact they wrote as; the others get ids of their own.
import { ISSUE_TYPES, TIERS, type Channel, type IssueType } from '../../shared/domain';
import type { CaseSummary, MetricEvent } from '../../shared/metrics';
import type { Db } from '../../platform/sqlite';

/** Visitors that never wrote are numbered from here, far above any contact id. */
const VISITOR_BASE = 1_000_000_000;
const ISSUES = new Set<string>(ISSUE_TYPES);
const TIER_INDEX = new Map<string, number>(TIERS.map((t, i) => [t, i]));

export interface HubMetricRows {
  events: MetricEvent[];
  cases: CaseSummary[];
  agentNames: Map<number, string>;
  articleTitles: Map<string, string>;
  tierOf: Map<number, number>;
}

type MessageRow = [conversationId: number, contactId: number, channel: Channel, direction: MetricEvent['direction'], authorType: MetricEvent['authorType'], agentId: number | null, at: number];
type ConversationRow = [id: number, contactId: number, channel: Channel, issueType: string, status: string, tier: string, createdAt: number, resolvedAt: number | null, escalation: string | null, firstResponse: number | null, csat: number | null];

export function hubMetricRows(db: Db, from: number, to: number, deflectionWindowMs: number): HubMetricRows {
  const events: MetricEvent[] = [];
  const messages = db
    .prepare(
      `SELECT m.conversation_id, c.contact_id, m.channel, m.direction, m.author_type, m.author_agent_id, m.created_at
       FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE m.created_at >= ? AND m.created_at < ? AND m.direction <> 'internal'`,
    )
    .raw(true);
  for (const r of messages.iterate(from, to) as IterableIterator<MessageRow>) {
    events.push({ caseId: r[0], customerId: r[1], channel: r[2], direction: r[3], kind: 'message', authorType: r[4], authorId: r[5], occurredAt: r[6] });
  }

  const cases: CaseSummary[] = [];
  const tierOf = new Map<number, number>();
  const conversations = db
    .prepare(
      `SELECT c.id, c.contact_id, c.channel, c.issue_type, c.status, c.tier, c.created_at, c.resolved_at, c.escalation_reason,
              (SELECT MIN(created_at) FROM messages WHERE conversation_id = c.id AND direction = 'out' AND author_type = 'agent'),
              (SELECT rating FROM csat WHERE conversation_id = c.id)
       FROM conversations c
       WHERE c.id IN (SELECT conversation_id FROM messages WHERE created_at >= ? AND created_at < ?)
          OR (c.created_at >= ? AND c.created_at < ?) OR (c.resolved_at >= ? AND c.resolved_at < ?)`,
    )
    .raw(true);
  for (const r of conversations.iterate(from, to, from, to + deflectionWindowMs, from, to) as IterableIterator<ConversationRow>) {
    cases.push({
      id: r[0],
      customerId: r[1],
      issueType: (ISSUES.has(r[3]) ? r[3] : 'other') as IssueType,
      status: r[4] === 'resolved' ? 'resolved' : 'open',
      createdAt: r[6],
      resolvedAt: r[7],
      firstResponseAt: r[9],
      csatScore: r[10],
      escalated: r[8] !== null,
      resolutionCode: null,
      channels: [r[2]],
    });
    const tier = TIER_INDEX.get(r[5]);
    if (tier !== undefined) tierOf.set(r[1], tier);
  }

  // Portal views: the visitor is the contact of the conversation they later wrote in, else their own number.
  const visitorContact = new Map<string, number>();
  for (const [visitor, contact] of db
    .prepare(`SELECT p.visitor_id, MIN(c.contact_id) FROM portal_contacts p JOIN conversations c ON c.id = p.conversation_id GROUP BY p.visitor_id`)
    .raw(true)
    .iterate() as IterableIterator<[string, number]>) {
    visitorContact.set(visitor, contact);
  }
  let nextVisitor = VISITOR_BASE;
  const articleTitles = new Map<string, string>();
  for (const [slug, title] of db.prepare(`SELECT slug, title FROM portal_articles`).raw(true).iterate() as IterableIterator<[string, string]>) articleTitles.set(slug, title);
  for (const [visitor, slug, at] of db.prepare(`SELECT visitor_id, slug, viewed_at FROM portal_views WHERE viewed_at >= ? AND viewed_at < ?`).raw(true).iterate(from, to) as IterableIterator<[string, string, number]>) {
    let customerId = visitorContact.get(visitor);
    if (customerId === undefined) visitorContact.set(visitor, (customerId = nextVisitor++));
    // Every article view is a self-service attempt; a conversation of the same visitor within the window undoes it.
    events.push({ caseId: null, customerId, channel: 'portal', direction: 'in', kind: 'portal_view', authorType: 'customer', authorId: null, occurredAt: at, metadata: { article: slug, deflected: true } });
  }

  const agentNames = new Map<number, string>();
  for (const [id, name] of db.prepare(`SELECT id, display_name FROM agents`).raw(true).iterate() as IterableIterator<[number, string]>) agentNames.set(id, name);
  return { events, cases, agentNames, articleTitles, tierOf };
}
