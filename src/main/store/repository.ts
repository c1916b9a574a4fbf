// Every SQL statement of the desktop lives here, prepared once, behind functions named after what
// the product needs. They return plain typed objects; nothing above this file sees SQL or rows.
import crypto from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Agent, CaseStatus, Channel, CustomerProfile, Direction, EventKind, AuthorType, Priority, QueueItem, SearchHit, TimelineEvent, Tier, IssueType, DeliveryStatus } from '../../shared/domain';
import type { TimelineCursor } from '../../shared/contract';
import type { CaseFacts } from '../../shared/caseInsights';
import { AppError } from '../../shared/errors';
import { caseMessageId } from '../../shared/cases';
import { IdentitySettings, normalizeIdentifier } from '../../shared/identity';
import type { Db } from './database';
import { lazyStatements } from './statements';
import { isSealed, openStored, sealForChannel, sealerOf } from '../privacy/contentSealer';
import { say } from '../../shared/serverErrors';
import { readStoredText, SAID_FIELD, saidMetadata, storedSentence, type StoredSentence } from '../../shared/storedSentence';

const DAY = 86_400_000;

// ---------------------------------------------------------------- records written by the app

export interface NewAgent {
  id?: number;
  name: string;
  email: string;
  role: Agent['role'];
  tier: number;
  seniority: Agent['seniority'];
  skills: Record<string, number>;
  channels: Partial<Record<Channel, number>>;
  languages: string[];
  capacity: Partial<Record<Channel, number>>;
  presence: string;
  createdAt: number;
}

export interface NewIdentity {
  kind: 'email' | 'phone' | 'social' | 'account';
  platform?: string;
  value: string;
  display: string;
  verified: boolean;
  source: string;
  firstSeenAt: number;
  lastSeenAt: number;
}

export interface NewCustomer {
  id?: number;
  name: string;
  company: string | null;
  title: string | null;
  tier: Tier;
  vip: boolean;
  healthScore: number | null;
  language: string | null;
  timezone: string | null;
  preferredChannel: Channel | null;
  createdAt: number;
  identities: NewIdentity[];
}

/** A customer first met on a channel (a new sender, caller or contact): nothing known yet beyond the name and identifiers. */
export function firstContactCustomer(c: Pick<NewCustomer, 'name' | 'preferredChannel' | 'createdAt' | 'identities'>): NewCustomer {
  return { company: null, title: null, tier: 'standard', vip: false, healthScore: null, language: null, timezone: null, ...c };
}

export interface NewCase {
  id?: number;
  customerId: number;
  subject: string;
  status: CaseStatus;
  priority: Priority;
  issueType: IssueType;
  channel: Channel;
  originChannel: Channel;
  assignedAgentId: number | null;
  createdAt: number;
  updatedAt: number;
  waitingSince: number | null;
  firstResponseAt: number | null;
  slaDueAt: number | null;
  resolvedAt: number | null;
  resolutionCode: string | null;
  csatScore: number | null;
}

export interface NewEvent {
  caseId: number | null;
  customerId: number;
  channel: Channel;
  direction: Direction;
  kind: EventKind;
  authorType: AuthorType;
  authorId: number | null;
  authorName: string;
  subject: string | null;
  body: string;
  metadata?: Record<string, unknown>;
  externalId?: string | null;
  occurredAt: number;
}

export interface NewCustomerNote {
  customerId: number;
  authorAgentId: number | null;
  body: string;
  createdAt: number;
}

// ---------------------------------------------------------------- row shapes

interface EventRow {
  id: number;
  case_id: number | null;
  customer_id: number;
  channel: Channel;
  direction: Direction;
  kind: EventKind;
  author_type: AuthorType;
  author_name: string;
  subject: string | null;
  body: string;
  metadata: string;
  occurred_at: number;
  delivery: DeliveryStatus | null;
  delivery_detail: string | null;
}

/** A stored event as the app sees it: a restricted channel's sealed text opened (see privacy/contentSealer). */
/** The outbox's reason: its English sentence, and its catalog key and params when it was stored with them. */
function deliveryDetailOf(stored: string | null): Pick<TimelineEvent, 'deliveryDetail' | 'deliveryText'> {
  const { message, text } = readStoredText(stored);
  return text ? { deliveryDetail: message, deliveryText: text } : { deliveryDetail: message };
}

function toEvent(row: EventRow, db: Db): TimelineEvent {
  if (isSealed(row.subject) || isSealed(row.body) || isSealed(row.metadata)) {
    row = { ...row, subject: openStored(db, row.subject), body: openStored(db, row.body), metadata: openStored(db, row.metadata) };
  }
  return {
    id: row.id,
    caseId: row.case_id,
    customerId: row.customer_id,
    channel: row.channel,
    direction: row.direction,
    kind: row.kind,
    authorType: row.author_type,
    authorName: row.author_name,
    subject: row.subject,
    body: row.body,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    occurredAt: row.occurred_at,
    delivery: row.delivery,
    // The outbox's last error explains a queued or failed message; a delivered one needs no reason.
    ...deliveryDetailOf(row.delivery === 'queued' || row.delivery === 'failed' ? row.delivery_detail : null),
  };
}

const EVENT_COLUMNS = `e.id, e.case_id, e.customer_id, e.channel, e.direction, e.kind, e.author_type, e.author_name,
  e.subject, e.body, e.metadata, e.occurred_at, o.status AS delivery, o.last_error AS delivery_detail`;

/** The words of what a person typed, as the search index splits them (at most 12). */
export function searchWords(input: string): string[] {
  return input
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}_@.+-]+/u)
    .map((w) => w.replace(/^[.+-]+|[.+-]+$/g, ''))
    .filter(Boolean)
    .slice(0, 12);
}

/**
 * An FTS5 query that cannot be a syntax error: every word is a quoted phrase and all must match.
 * With `prefix`, the last word also matches as a prefix (a word still being typed).
 */
export function toFtsQuery(words: readonly string[], prefix: boolean): string | null {
  if (words.length === 0) return null;
  return words.map((w, i) => `"${w.replaceAll('"', '""')}"${prefix && i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** Prefix matching starts at this many letters; shorter would merge most of the vocabulary. */
export const MIN_PREFIX_LETTERS = 3;

/** Above this many hits, ranking by relevance costs more than it tells; the newest come first. */
export const RELEVANCE_RANK_LIMIT = 500;

/**
 * The Message-ID of an outgoing email: `<case-N.UNIQUE@domain>`, UNIQUE derived from the reply's
 * idempotency key (unique per reply, unguessable), so the case id travels in every answer to it.
 */
export function outgoingMessageId(caseId: number, idempotencyKey: string, domain = 'omni.local'): string {
  const unique = crypto.createHash('sha256').update(idempotencyKey).digest('base64url').replace(/[^A-Za-z0-9]/g, '').slice(0, 20);
  return caseMessageId(caseId, unique, domain);
}

/** The queue row's preview: the newest inbound text (opened when sealed) and, for a line main or the hub wrote, its catalog key. */
function previewOf(db: Db, column: string | null): { preview: string; previewText: StoredSentence | null } {
  if (column === null) return { preview: '', previewText: null };
  const [body, said] = JSON.parse(column) as [string | null, unknown];
  return { preview: body === null ? '' : openStored(db, body).slice(0, 200), previewText: storedSentence({ [SAID_FIELD]: said }) };
}

export class Repository {
  /** Statements are prepared on first use and then reused; a file at an older schema can still take the writes it supports. */
  private readonly s: Record<string, Statement>;

  constructor(
    readonly db: Db,
    private readonly identitySettings: IdentitySettings = IdentitySettings.parse({}),
  ) {
    const sqlByName: Record<string, string> = {
      insertAgent: `INSERT INTO agents (id, name, email, role, tier, seniority, skills, channels, languages, capacity, presence, created_at)
        VALUES (@id, @name, @email, @role, @tier, @seniority, @skills, @channels, @languages, @capacity, @presence, @createdAt)`,
      insertCustomer: `INSERT INTO customers (id, name, company, title, tier, vip, health_score, language, timezone, preferred_channel, created_at)
        VALUES (@id, @name, @company, @title, @tier, @vip, @healthScore, @language, @timezone, @preferredChannel, @createdAt)`,
      insertIdentity: `INSERT INTO identities (customer_id, kind, platform, value, display, verified, source, first_seen_at, last_seen_at)
        VALUES (@customerId, @kind, @platform, @value, @display, @verified, @source, @firstSeenAt, @lastSeenAt)`,
      insertCase: `INSERT INTO cases (id, customer_id, subject, status, priority, issue_type, channel, origin_channel, assigned_agent_id,
          created_at, updated_at, waiting_since, first_response_at, sla_due_at, resolved_at, resolution_code, csat_score)
        VALUES (@id, @customerId, @subject, @status, @priority, @issueType, @channel, @originChannel, @assignedAgentId,
          @createdAt, @updatedAt, @waitingSince, @firstResponseAt, @slaDueAt, @resolvedAt, @resolutionCode, @csatScore)`,
      insertEvent: `INSERT INTO events (case_id, customer_id, channel, direction, kind, author_type, author_id, author_name, subject, body,
          metadata, external_id, occurred_at, created_at)
        VALUES (@caseId, @customerId, @channel, @direction, @kind, @authorType, @authorId, @authorName, @subject, @body,
          @metadata, @externalId, @occurredAt, @createdAt)`,
      insertNote: `INSERT INTO customer_notes (customer_id, author_agent_id, body, created_at) VALUES (@customerId, @authorAgentId, @body, @createdAt)`,
      insertOutbox: `INSERT INTO outbox (idempotency_key, event_id, case_id, channel, payload, status, next_attempt_at, created_at, updated_at, message_id)
        VALUES (@key, @eventId, @caseId, @channel, @payload, 'queued', @now, @now, @now, @messageId)`,
      outboxByKey: `SELECT event_id FROM outbox WHERE idempotency_key = ?`,
      caseById: `SELECT id, customer_id, status, first_response_at FROM cases WHERE id = ?`,
      markReplied: `UPDATE cases SET status = CASE WHEN status = 'open' THEN 'pending' ELSE status END, channel = @channel,
          updated_at = @now, waiting_since = NULL, sla_due_at = NULL, first_response_at = COALESCE(first_response_at, @now) WHERE id = @caseId`,
      caseStatus: `SELECT id, customer_id, status, channel, resolved_at FROM cases WHERE id = ?`,
      resolveCase: `UPDATE cases SET status = 'resolved', resolved_at = @now, updated_at = max(updated_at, @now), waiting_since = NULL, sla_due_at = NULL
        WHERE id = @caseId AND status IN ('open', 'pending', 'snoozed')`,
      eventById: `SELECT ${EVENT_COLUMNS} FROM events e LEFT JOIN outbox o ON o.event_id = e.id WHERE e.id = ?`,
      timelineNewest: `SELECT ${EVENT_COLUMNS} FROM events e LEFT JOIN outbox o ON o.event_id = e.id
        WHERE e.customer_id = @customerId ORDER BY e.occurred_at DESC, e.id DESC LIMIT @limit`,
      timelineBefore: `SELECT ${EVENT_COLUMNS} FROM events e LEFT JOIN outbox o ON o.event_id = e.id
        WHERE e.customer_id = @customerId AND (e.occurred_at < @occurredAt OR (e.occurred_at = @occurredAt AND e.id < @id))
        ORDER BY e.occurred_at DESC, e.id DESC LIMIT @limit`,
      activeCases: `SELECT c.id AS caseId, c.customer_id AS customerId, cu.name AS customerName, cu.company, cu.tier, cu.vip,
          c.subject, c.channel, c.priority, c.status, c.issue_type AS issueType, c.assigned_agent_id AS assignedAgentId,
          COALESCE(c.waiting_since, c.updated_at) AS waitingSince, c.sla_due_at AS slaDueAt,
          (SELECT json_array(CASE WHEN e.body LIKE 'sealed:%' THEN e.body ELSE substr(e.body, 1, 200) END,
              CASE WHEN json_valid(e.metadata) THEN json_extract(e.metadata, '$.${SAID_FIELD}') END)
            FROM events e WHERE e.case_id = c.id AND e.direction = 'in'
            ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1) AS preview,
          (SELECT json_group_array(t.tag) FROM (SELECT tag FROM case_tags WHERE case_id = c.id ORDER BY tag) t) AS tags
        FROM cases c JOIN customers cu ON cu.id = c.customer_id
        WHERE c.status = 'open'`,
      customer: `SELECT id, name, company, title, tier, vip, health_score, language, timezone, preferred_channel FROM customers WHERE id = ?`,
      identities: `SELECT kind, platform, value, display, verified FROM identities WHERE customer_id = ? ORDER BY kind, verified DESC, last_seen_at DESC`,
      channelsUsed: `SELECT channel, count(*) AS count FROM events WHERE customer_id = ? AND direction = 'in' GROUP BY channel ORDER BY count DESC, channel`,
      openCases: `SELECT id, subject, status, priority, channel FROM cases WHERE customer_id = ? AND status IN ('open', 'pending', 'snoozed') ORDER BY updated_at DESC`,
      closedSince: `SELECT count(*) AS n FROM cases WHERE customer_id = ? AND status IN ('resolved', 'closed') AND resolved_at >= ?`,
      notes: `SELECT n.id, n.body, COALESCE(a.name, 'System') AS authorName, n.created_at AS createdAt
        FROM customer_notes n LEFT JOIN agents a ON a.id = n.author_agent_id WHERE n.customer_id = ? ORDER BY n.created_at DESC LIMIT 50`,
      countHits: `SELECT count(*) AS n FROM (SELECT 1 FROM events_fts WHERE events_fts MATCH ? LIMIT ${RELEVANCE_RANK_LIMIT + 1})`,
      searchByRank: `SELECT f.rowid AS id, snippet(events_fts, 1, '[', ']', '…', 12) AS snippet
        FROM events_fts f WHERE events_fts MATCH @q ORDER BY rank LIMIT @limit`,
      searchByRecency: `SELECT f.rowid AS id, snippet(events_fts, 1, '[', ']', '…', 12) AS snippet
        FROM events_fts f WHERE events_fts MATCH @q ORDER BY f.rowid DESC LIMIT @limit`,
      hitDetails: `SELECT e.id, e.case_id, e.customer_id, cu.name AS customer_name, e.channel, e.subject, e.occurred_at
        FROM events e JOIN customers cu ON cu.id = e.customer_id WHERE e.id = ?`,
      caseFacts: `SELECT c.id, c.channel, c.priority, c.status, c.issue_type AS issueType, c.resolved_at AS resolvedAt,
          cu.preferred_channel AS preferredChannel FROM cases c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = ?`,
      caseEventFacts: `SELECT direction, kind, channel, occurred_at AS occurredAt, length(body) AS bodyLength
        FROM events WHERE case_id = ? ORDER BY occurred_at, id`,
      agentById: `SELECT id, name, email, role, tier, seniority FROM agents WHERE id = ?`,
      firstAgentByRole: `SELECT id FROM agents WHERE role = ? ORDER BY id LIMIT 1`,
      getSetting: `SELECT value FROM settings WHERE key = ?`,
      setSetting: `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      counts: `SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM cases) AS cases,
        (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM agents) AS agents`,
    };
    this.s = lazyStatements(db, sqlByName);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * Runs a large import as one transaction (all or nothing) with the per-row search-index triggers
   * lifted, then rebuilds the search indexes once: about twice as fast as indexing row by row.
   */
  bulkLoad<T>(fn: () => T): T {
    return this.transaction(() => {
      const triggers = this.db
        .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ('events_fts_ai', 'notes_fts_ai')`)
        .all() as Array<{ name: string; sql: string }>;
      for (const t of triggers) this.db.exec(`DROP TRIGGER ${t.name}`);
      const result = fn();
      if (triggers.length) this.db.exec(`INSERT INTO events_fts(events_fts) VALUES ('rebuild'); INSERT INTO notes_fts(notes_fts) VALUES ('rebuild');`);
      for (const t of triggers) this.db.exec(t.sql);
      return result;
    });
  }

  // ---------------------------------------------------------------- writes

  insertAgent(agent: NewAgent): number {
    const info = this.s.insertAgent!.run({
      ...agent,
      id: agent.id ?? null,
      skills: JSON.stringify(agent.skills),
      channels: JSON.stringify(agent.channels),
      languages: JSON.stringify(agent.languages),
      capacity: JSON.stringify(agent.capacity),
    });
    return Number(info.lastInsertRowid);
  }

  /**
   * Stores a customer and their identifiers in the identity engine's canonical form (E.164 phones,
   * lower-cased emails, platform handles), so every channel's sighting of them finds this row.
   */
  insertCustomer(customer: NewCustomer): number {
    const { identities, ...rest } = customer;
    const normalized = identities.map((identity) => {
      const n = normalizeIdentifier(identity.kind, identity.value, this.identitySettings, identity.platform);
      if (!n.ok) throw new AppError('invalid-identifier', `${customer.name}: ${n.message}`);
      return { ...identity, value: n.identifier.value, platform: n.identifier.platform };
    });
    const info = this.s.insertCustomer!.run({ ...rest, id: rest.id ?? null, vip: rest.vip ? 1 : 0 });
    const customerId = Number(info.lastInsertRowid);
    for (const identity of normalized) {
      this.s.insertIdentity!.run({ ...identity, verified: identity.verified ? 1 : 0, customerId });
    }
    return customerId;
  }

  /** A case that starts on a restricted channel has its subject sealed like its messages. */
  insertCase(c: NewCase): number {
    return Number(this.s.insertCase!.run({ ...c, id: c.id ?? null, subject: sealForChannel(this.db, c.originChannel, c.subject) }).lastInsertRowid);
  }

  /** A restricted channel's subject, body and metadata are sealed before they reach the file. */
  insertEvent(event: NewEvent, createdAt = event.occurredAt): number {
    const seal = <T extends string | null>(value: T) => sealForChannel(this.db, event.channel, value);
    return Number(
      this.s.insertEvent!.run({
        ...event,
        subject: seal(event.subject),
        body: seal(event.body),
        metadata: seal(JSON.stringify(event.metadata ?? {})),
        externalId: event.externalId ?? null,
        createdAt,
      }).lastInsertRowid,
    );
  }

  insertCustomerNote(note: NewCustomerNote): number {
    return Number(this.s.insertNote!.run(note).lastInsertRowid);
  }

  /**
   * Records an agent's reply and its outbox row in one transaction, so a crash leaves either both
   * or neither. The same idempotency key returns the reply already stored instead of a second one.
   */
  appendOutgoingMessage(input: {
    caseId: number;
    channel: Channel;
    body: string;
    agent: Agent;
    idempotencyKey: string;
    now: number;
    /** The domain of our Message-IDs (threading's messageIdDomain). Default `omni.local`. */
    messageIdDomain?: string;
  }): TimelineEvent {
    return this.transaction(() => {
      const existing = this.s.outboxByKey!.get(input.idempotencyKey) as { event_id: number } | undefined;
      if (existing) return this.eventById(existing.event_id);
      const kase = this.s.caseById!.get(input.caseId) as { id: number; customer_id: number } | undefined;
      if (!kase) throw new AppError('not-found', say('caseMissing', { caseId: input.caseId }));
      // An email's Message-ID is fixed here, once: every (re)send after a crash carries the same
      // one, the Sent folder can be searched for it, and the customer's answer threads by it.
      const messageId = input.channel === 'email' ? outgoingMessageId(kase.id, input.idempotencyKey, input.messageIdDomain) : null;
      const eventId = this.insertEvent(
        {
          caseId: kase.id,
          customerId: kase.customer_id,
          channel: input.channel,
          direction: 'out',
          kind: 'message',
          authorType: 'agent',
          authorId: input.agent.id,
          authorName: input.agent.name,
          subject: null,
          body: input.body,
          ...(messageId ? { externalId: messageId, metadata: { messageId } } : {}),
          occurredAt: input.now,
        },
        input.now,
      );
      this.s.insertOutbox!.run({
        key: input.idempotencyKey,
        eventId,
        caseId: kase.id,
        channel: input.channel,
        payload: sealForChannel(this.db, input.channel, JSON.stringify({ body: input.body })),
        now: input.now,
        messageId,
      });
      this.s.markReplied!.run({ caseId: kase.id, channel: input.channel, now: input.now });
      return this.eventById(eventId);
    });
  }

  /**
   * An agent resolved the case: it leaves the open queue and a line on the timeline says who did
   * it. A case already resolved or closed is left untouched (`changed` false, no new line).
   */
  resolveCase(input: { caseId: number; agent: Pick<Agent, 'id' | 'name'>; now: number }): {
    caseId: number;
    status: CaseStatus;
    resolvedAt: number | null;
    changed: boolean;
    event: TimelineEvent | null;
  } {
    return this.transaction(() => {
      const kase = this.s.caseStatus!.get(input.caseId) as { id: number; customer_id: number; status: CaseStatus; channel: Channel; resolved_at: number | null } | undefined;
      if (!kase) throw new AppError('not-found', say('caseMissing', { caseId: input.caseId }));
      if (this.s.resolveCase!.run({ caseId: kase.id, now: input.now }).changes === 0) {
        return { caseId: kase.id, status: kase.status, resolvedAt: kase.resolved_at, changed: false, event: null };
      }
      const resolved = say('lineResolved', { caseId: kase.id, agent: input.agent.name });
      const eventId = this.insertEvent(
        {
          caseId: kase.id,
          customerId: kase.customer_id,
          // The line belongs to no customer channel; the case's channel keeps it next to its messages.
          channel: kase.channel,
          direction: 'internal',
          kind: 'system',
          authorType: 'agent',
          authorId: input.agent.id,
          authorName: input.agent.name,
          subject: null,
          body: resolved.message,
          metadata: { caseStatus: 'resolved', ...saidMetadata(resolved) },
          occurredAt: input.now,
        },
        input.now,
      );
      return { caseId: kase.id, status: 'resolved', resolvedAt: input.now, changed: true, event: this.eventById(eventId) };
    });
  }

  // ---------------------------------------------------------------- reads

  eventById(id: number): TimelineEvent {
    const row = this.s.eventById!.get(id) as EventRow | undefined;
    if (!row) throw new AppError('not-found', say('eventMissing', { eventId: id }));
    return toEvent(row, this.db);
  }

  /** Open cases of every channel, unsorted: the order is the routing engine's business. */
  activeQueue(): QueueItem[] {
    const rows = this.s.activeCases!.all() as Array<Omit<QueueItem, 'vip' | 'preview' | 'tags'> & { vip: number; preview: string | null; tags: string }>;
    return rows.map((r) => ({
      ...r,
      subject: openStored(this.db, r.subject),
      vip: r.vip === 1,
      ...previewOf(this.db, r.preview),
      tags: JSON.parse(r.tags) as string[],
    }));
  }

  /** One page of a customer's timeline across all channels and cases, oldest first within the page. */
  timelineForCustomer(customerId: number, before: TimelineCursor | undefined, limit: number): { events: TimelineEvent[]; older: TimelineCursor | null } {
    const rows = (
      before
        ? this.s.timelineBefore!.all({ customerId, occurredAt: before.occurredAt, id: before.id, limit: limit + 1 })
        : this.s.timelineNewest!.all({ customerId, limit: limit + 1 })
    ) as EventRow[];
    const hasOlder = rows.length > limit;
    const page = rows.slice(0, limit).reverse().map((row) => toEvent(row, this.db));
    const oldest = page[0];
    return { events: page, older: hasOlder && oldest ? { occurredAt: oldest.occurredAt, id: oldest.id } : null };
  }

  customerProfile(customerId: number, now: number): CustomerProfile {
    const row = this.s.customer!.get(customerId) as
      | { id: number; name: string; company: string | null; title: string | null; tier: Tier; vip: number; health_score: number | null; language: string | null; timezone: string | null; preferred_channel: Channel | null }
      | undefined;
    if (!row) throw new AppError('not-found', say('customerMissing', { customerId }));
    const identities = (this.s.identities!.all(customerId) as Array<{ kind: 'email' | 'phone' | 'social' | 'account'; platform: string; value: string; display: string; verified: number }>).map(
      (i) => ({ ...i, verified: i.verified === 1 }),
    );
    return {
      id: row.id,
      name: row.name,
      company: row.company,
      title: row.title,
      tier: row.tier,
      vip: row.vip === 1,
      healthScore: row.health_score,
      language: row.language,
      timezone: row.timezone,
      preferredChannel: row.preferred_channel,
      identities,
      channelsUsed: this.s.channelsUsed!.all(customerId) as Array<{ channel: Channel; count: number }>,
      openCases: (this.s.openCases!.all(customerId) as CustomerProfile['openCases']).map((c) => ({ ...c, subject: openStored(this.db, c.subject) })),
      closedLast30Days: (this.s.closedSince!.get(customerId, now - 30 * DAY) as { n: number }).n,
      notes: this.s.notes!.all(customerId) as CustomerProfile['notes'],
    };
  }

  /**
   * Full-text search over subjects, bodies and internal notes. Whole words first: only when they
   * do not fill the page does the last word also match as a prefix (merging every term that starts
   * with a common prefix costs far more than reading one term). A query with few hits is ranked by
   * relevance; one with more than RELEVANCE_RANK_LIMIT hits is listed newest first (event ids grow
   * with arrival), which FTS5 answers without visiting every hit.
   */
  search(query: string, limit: number): { hits: SearchHit[]; order: 'relevance' | 'recency' } {
    const words = searchWords(query);
    let q = toFtsQuery(words, false);
    if (!q) return { hits: [], order: 'relevance' };
    let count = (this.s.countHits!.get(q) as { n: number }).n;
    if (count < limit && words[words.length - 1]!.length >= MIN_PREFIX_LETTERS) {
      q = toFtsQuery(words, true)!;
      count = (this.s.countHits!.get(q) as { n: number }).n;
    }
    const many = count > RELEVANCE_RANK_LIMIT;
    const rows = (many ? this.s.searchByRecency! : this.s.searchByRank!).all({ q, limit }) as Array<{ id: number; snippet: string }>;
    const sealer = sealerOf(this.db);
    const hits = rows.flatMap(({ id, snippet }) => {
      const d = this.s.hitDetails!.get(id) as { id: number; case_id: number | null; customer_id: number; customer_name: string; channel: Channel; subject: string | null; occurred_at: number };
      // Restricted content is indexed only as ciphertext; a hit on it (or on a channel restricted since) is never shown.
      if (isSealed(d.subject) || sealer?.restricts(d.channel) || isSealed(snippet)) return [];
      return [{
        eventId: d.id,
        caseId: d.case_id,
        customerId: d.customer_id,
        customerName: d.customer_name,
        channel: d.channel,
        subject: d.subject,
        snippet,
        occurredAt: d.occurred_at,
      }];
    });
    return { hits, order: many ? 'recency' : 'relevance' };
  }

  /** Every indexed term with the number of events it occurs in (for choosing benchmark terms and, later, suggestions). */
  searchVocabulary(): Array<{ term: string; documents: number }> {
    this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.events_fts_vocab USING fts5vocab(main, 'events_fts', 'row')`);
    return this.db.prepare(`SELECT term, doc AS documents FROM temp.events_fts_vocab`).all() as Array<{ term: string; documents: number }>;
  }

  /** What the engines need to know about one case (see caseInsights in src/shared). */
  caseFacts(caseId: number): CaseFacts {
    const row = this.s.caseFacts!.get(caseId) as Omit<CaseFacts, 'events'> | undefined;
    if (!row) throw new AppError('not-found', say('caseMissing', { caseId }));
    return { ...row, events: this.s.caseEventFacts!.all(caseId) as CaseFacts['events'] };
  }

  agentById(id: number): Agent {
    const row = this.s.agentById!.get(id) as Agent | undefined;
    if (!row) throw new AppError('not-found', say('agentMissingLocal', { agentId: id }));
    return row;
  }

  firstAgentWithRole(role: Agent['role']): number | null {
    return (this.s.firstAgentByRole!.get(role) as { id: number } | undefined)?.id ?? null;
  }

  getSetting<T>(key: string): T | undefined {
    const row = this.s.getSetting!.get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  setSetting(key: string, value: unknown): void {
    this.s.setSetting!.run(key, JSON.stringify(value));
  }

  counts(): { customers: number; cases: number; events: number; agents: number } {
    return this.s.counts!.get() as { customers: number; cases: number; events: number; agents: number };
  }
}
