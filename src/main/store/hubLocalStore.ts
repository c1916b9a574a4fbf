// Every SQL statement of the desktop's hub bookkeeping: the event-stream position per hub, offers,
// hub conversation ↔ local case and hub message ↔ local event, and the outbox rows that go out
// through the hub. No I/O beyond the SQLite file; callers group calls into transactions.
import type { Statement } from 'better-sqlite3';
import type { CaseStatus, Channel, Priority } from '../../shared/domain';
import type { HubConversation, HubDelivery } from '../../shared/hub/agentProtocol';
import type { Db } from './database';
import { EARLIER_PENDING, toOutboxRow, type OutboxDbRow, type OutboxRow } from './outboxStore';
import { lazyStatements } from './statements';
import { openStored, sealForChannel } from '../privacy/contentSealer';

/** Channels whose replies go out through the hub (email has its own sender; calls send nothing). */
export const HUB_SEND_CHANNELS: readonly Channel[] = ['chat', 'sms', 'messenger', 'instagram', 'x', 'in_app', 'portal'];

export interface HubSync {
  agentId: number | null;
  lastSeq: number;
}

export interface HubConversationLink {
  conversationId: number;
  caseId: number;
  channel: Channel;
  assigned: boolean;
  suggestedReply: string | null;
}

export interface StoredOffer {
  offerId: number;
  conversation: HubConversation;
  reasons: string[];
  expiresAt: number;
  receivedAt: number;
}

export interface HubOutboxInfo {
  outboxId: number;
  hubMessageId: number | null;
  delivery: HubDelivery | null;
  deliveryDetail: string | null;
  failedDeliveries: number;
}

export interface LocalCaseRow {
  id: number;
  customerId: number;
  status: CaseStatus;
  priority: Priority;
  assignedAgentId: number | null;
  waitingSince: number | null;
  firstResponseAt: number | null;
}

const CHANNEL_LIST = HUB_SEND_CHANNELS.map((c) => `'${c}'`).join(', ');

export class HubLocalStore {
  private readonly s: Record<string, Statement>;

  constructor(readonly db: Db) {
    const sqlByName: Record<string, string> = {
      sync: `SELECT agent_id, last_seq FROM hub_sync WHERE hub = ?`,
      setSync: `INSERT INTO hub_sync (hub, agent_id, last_seq, updated_at) VALUES (@hub, @agentId, @lastSeq, @now)
        ON CONFLICT(hub) DO UPDATE SET agent_id = excluded.agent_id, last_seq = excluded.last_seq, updated_at = excluded.updated_at`,
      advance: `INSERT INTO hub_sync (hub, agent_id, last_seq, updated_at) VALUES (@hub, NULL, @seq, @now)
        ON CONFLICT(hub) DO UPDATE SET last_seq = excluded.last_seq, updated_at = excluded.updated_at WHERE hub_sync.last_seq < excluded.last_seq`,

      conversation: `SELECT conversation_id, case_id, channel, assigned, suggested_reply FROM hub_conversations WHERE hub = ? AND conversation_id = ?`,
      conversationOfCase: `SELECT conversation_id, case_id, channel, assigned, suggested_reply FROM hub_conversations WHERE hub = ? AND case_id = ?`,
      linkConversation: `INSERT INTO hub_conversations (hub, conversation_id, case_id, channel, assigned, suggested_reply, updated_at)
        VALUES (@hub, @conversationId, @caseId, @channel, @assigned, @suggestedReply, @now)
        ON CONFLICT(hub, conversation_id) DO UPDATE SET assigned = excluded.assigned,
          suggested_reply = COALESCE(excluded.suggested_reply, hub_conversations.suggested_reply), updated_at = excluded.updated_at`,
      setAssigned: `UPDATE hub_conversations SET assigned = @assigned, updated_at = @now WHERE hub = @hub AND conversation_id = @conversationId`,

      messageEvent: `SELECT event_id FROM hub_messages WHERE hub = ? AND message_id = ?`,
      mapMessage: `INSERT OR IGNORE INTO hub_messages (hub, message_id, event_id) VALUES (?, ?, ?)`,
      eventByExternalId: `SELECT id, metadata FROM events WHERE channel = ? AND external_id = ?`,
      updateEventContent: `UPDATE events SET body = @body, metadata = @metadata WHERE id = @id`,

      putOffer: `INSERT INTO hub_offers (hub, offer_id, conversation_id, conversation, reasons, expires_at, received_at)
        VALUES (@hub, @offerId, @conversationId, @conversation, @reasons, @expiresAt, @now)
        ON CONFLICT(hub, offer_id) DO UPDATE SET conversation = excluded.conversation, reasons = excluded.reasons, expires_at = excluded.expires_at`,
      removeOffer: `DELETE FROM hub_offers WHERE hub = ? AND offer_id = ?`,
      offer: `SELECT offer_id, conversation, reasons, expires_at, received_at FROM hub_offers WHERE hub = ? AND offer_id = ?`,
      offers: `SELECT offer_id, conversation, reasons, expires_at, received_at FROM hub_offers WHERE hub = ? AND expires_at > ? ORDER BY expires_at, offer_id`,
      pruneOffers: `DELETE FROM hub_offers WHERE hub = ? AND expires_at <= ?`,

      customerByIdentifier: `SELECT c.id, c.merged_into FROM identities i JOIN customers c ON c.id = i.customer_id
        WHERE i.kind = @kind AND i.platform = @platform AND i.value = @value`,
      mergedInto: `SELECT merged_into FROM customers WHERE id = ?`,
      addIdentity: `INSERT INTO identities (customer_id, kind, platform, value, display, verified, source, first_seen_at, last_seen_at)
        VALUES (@customerId, @kind, @platform, @value, @display, @verified, 'hub', @at, @at)
        ON CONFLICT(kind, platform, value) DO UPDATE SET last_seen_at = max(identities.last_seen_at, excluded.last_seen_at),
          verified = max(identities.verified, excluded.verified)`,

      caseRow: `SELECT id, customer_id, status, priority, assigned_agent_id, waiting_since, first_response_at FROM cases WHERE id = ?`,
      caseOfEmail: `SELECT e.case_id AS caseId, e.customer_id AS customerId FROM mail_messages m JOIN events e ON e.id = m.event_id
        WHERE m.message_id = ? AND e.case_id IS NOT NULL ORDER BY m.id LIMIT 1`,
      assignCase: `UPDATE cases SET assigned_agent_id = @agentId, status = @status, updated_at = @now,
          resolved_at = CASE WHEN @status IN ('resolved', 'closed') THEN resolved_at ELSE NULL END WHERE id = @caseId`,
      customerWrote: `UPDATE cases SET status = CASE WHEN status IN ('pending', 'snoozed') THEN 'open' ELSE status END,
          waiting_since = COALESCE(waiting_since, @at), sla_due_at = COALESCE(sla_due_at, @slaDueAt), updated_at = max(updated_at, @at) WHERE id = @caseId`,
      resolveCase: `UPDATE cases SET status = 'resolved', resolved_at = COALESCE(resolved_at, @at), waiting_since = NULL, sla_due_at = NULL,
          updated_at = @at WHERE id = @caseId AND status NOT IN ('resolved', 'closed')`,
      setCsat: `UPDATE cases SET csat_score = @rating WHERE id = @caseId`,
      csatEvent: `SELECT id FROM events WHERE case_id = @caseId AND kind = 'csat' AND json_extract(metadata, '$.hubConversationId') = @conversationId
        ORDER BY id DESC LIMIT 1`,
      updateCsatEvent: `UPDATE events SET body = @body, metadata = @metadata WHERE id = @id`,
      agentReplied: `UPDATE cases SET status = CASE WHEN status = 'open' THEN 'pending' ELSE status END, waiting_since = NULL, sla_due_at = NULL,
          first_response_at = COALESCE(first_response_at, @at), updated_at = max(updated_at, @at) WHERE id = @caseId`,

      claimNext: `SELECT o.* FROM outbox o JOIN hub_conversations hc ON hc.hub = @hub AND hc.case_id = o.case_id
        WHERE o.status = 'queued' AND o.channel IN (${CHANNEL_LIST}) AND o.next_attempt_at <= @now AND NOT ${EARLIER_PENDING}
        ORDER BY o.next_attempt_at, o.id LIMIT 1`,
      nextDueAt: `SELECT min(o.next_attempt_at) AS at FROM outbox o JOIN hub_conversations hc ON hc.hub = @hub AND hc.case_id = o.case_id
        WHERE o.status = 'queued' AND o.channel IN (${CHANNEL_LIST}) AND NOT ${EARLIER_PENDING}`,
      markSending: `UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = @now WHERE id = @id AND status = 'queued'`,
      inSending: `SELECT o.* FROM outbox o JOIN hub_conversations hc ON hc.hub = @hub AND hc.case_id = o.case_id
        WHERE o.status = 'sending' AND o.channel IN (${CHANNEL_LIST}) ORDER BY o.id`,
      outboxByKey: `SELECT * FROM outbox WHERE idempotency_key = ?`,
      hubOutbox: `SELECT outbox_id, hub_message_id, delivery, delivery_detail, failed_deliveries FROM hub_outbox WHERE outbox_id = ?`,
      hubOutboxByMessage: `SELECT outbox_id, hub_message_id, delivery, delivery_detail, failed_deliveries FROM hub_outbox WHERE hub = ? AND hub_message_id = ?`,
      putHubOutbox: `INSERT INTO hub_outbox (outbox_id, hub, hub_message_id, delivery, delivery_detail, updated_at)
        VALUES (@outboxId, @hub, @hubMessageId, @delivery, @detail, @now)
        ON CONFLICT(outbox_id) DO UPDATE SET hub = excluded.hub, hub_message_id = COALESCE(excluded.hub_message_id, hub_outbox.hub_message_id),
          delivery = COALESCE(excluded.delivery, hub_outbox.delivery), delivery_detail = excluded.delivery_detail, updated_at = excluded.updated_at`,
      countFailedDelivery: `UPDATE hub_outbox SET failed_deliveries = failed_deliveries + 1 WHERE outbox_id = ?`,
    };
    this.s = lazyStatements(db, sqlByName);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** A timeline event kept up to date in place (a call's row), by its channel and external id. */
  eventByExternalId(channel: string, externalId: string): { id: number; metadata: Record<string, unknown> } | null {
    const row = this.s.eventByExternalId!.get(channel, externalId) as { id: number; metadata: string } | undefined;
    if (!row) return null;
    let metadata: Record<string, unknown> = {};
    try {
      metadata = JSON.parse(row.metadata) as Record<string, unknown>;
    } catch {
      // A row with unreadable metadata is rewritten whole.
    }
    return { id: row.id, metadata };
  }

  updateEventContent(id: number, body: string, metadata: Record<string, unknown>): void {
    this.s.updateEventContent!.run({ id, body, metadata: JSON.stringify(metadata) });
  }

  // ---------------------------------------------------------------- the event stream position

  sync(hub: string): HubSync {
    const r = this.s.sync!.get(hub) as { agent_id: number | null; last_seq: number } | undefined;
    return r ? { agentId: r.agent_id, lastSeq: r.last_seq } : { agentId: null, lastSeq: 0 };
  }

  setSync(hub: string, agentId: number | null, lastSeq: number, now: number): void {
    this.s.setSync!.run({ hub, agentId, lastSeq, now });
  }

  /** Moves the position forward to `seq`; false when it is already there or beyond (the event was applied before). */
  advance(hub: string, seq: number, now: number): boolean {
    return this.s.advance!.run({ hub, seq, now }).changes === 1;
  }

  // ---------------------------------------------------------------- conversations and messages

  conversation(hub: string, conversationId: number): HubConversationLink | null {
    return toLink(this.s.conversation!.get(hub, conversationId), this.db);
  }

  conversationOfCase(hub: string, caseId: number): HubConversationLink | null {
    return toLink(this.s.conversationOfCase!.get(hub, caseId), this.db);
  }

  linkConversation(hub: string, link: HubConversationLink, now: number): void {
    this.s.linkConversation!.run({ hub, ...link, suggestedReply: sealForChannel(this.db, link.channel, link.suggestedReply), assigned: link.assigned ? 1 : 0, now });
  }

  setConversationAssigned(hub: string, conversationId: number, assigned: boolean, now: number): void {
    this.s.setAssigned!.run({ hub, conversationId, assigned: assigned ? 1 : 0, now });
  }

  eventOfMessage(hub: string, messageId: number): number | null {
    return (this.s.messageEvent!.get(hub, messageId) as { event_id: number } | undefined)?.event_id ?? null;
  }

  mapMessage(hub: string, messageId: number, eventId: number): void {
    this.s.mapMessage!.run(hub, messageId, eventId);
  }

  // ---------------------------------------------------------------- offers

  putOffer(hub: string, offer: Omit<StoredOffer, 'receivedAt'>, now: number): void {
    this.s.putOffer!.run({
      hub,
      offerId: offer.offerId,
      conversationId: offer.conversation.id,
      conversation: sealForChannel(this.db, offer.conversation.channel, JSON.stringify(offer.conversation)),
      reasons: JSON.stringify(offer.reasons),
      expiresAt: offer.expiresAt,
      now,
    });
  }

  removeOffer(hub: string, offerId: number): boolean {
    return this.s.removeOffer!.run(hub, offerId).changes === 1;
  }

  offer(hub: string, offerId: number): StoredOffer | null {
    const r = this.s.offer!.get(hub, offerId) as OfferRow | undefined;
    return r ? toOffer(r, this.db) : null;
  }

  /** Offers still open at `now`, soonest to expire first; expired ones are dropped. */
  openOffers(hub: string, now: number): StoredOffer[] {
    this.s.pruneOffers!.run(hub, now);
    return (this.s.offers!.all(hub, now) as OfferRow[]).map((r) => toOffer(r, this.db));
  }

  // ---------------------------------------------------------------- customers and cases

  /** The live customer holding this canonical identifier (merges followed), or null. */
  customerByIdentifier(kind: string, platform: string, value: string): number | null {
    const row = this.s.customerByIdentifier!.get({ kind, platform, value }) as { id: number; merged_into: number | null } | undefined;
    if (!row) return null;
    let id = row.id;
    let next = row.merged_into;
    const seen = new Set<number>([id]);
    while (next !== null && !seen.has(next)) {
      seen.add(next);
      id = next;
      next = (this.s.mergedInto!.get(id) as { merged_into: number | null } | undefined)?.merged_into ?? null;
    }
    return id;
  }

  /** Records a canonical identifier for a customer; one already known (to anyone) only gets its last sighting moved. */
  addIdentity(customerId: number, identity: { kind: string; platform: string; value: string; display: string; verified: boolean }, at: number): void {
    this.s.addIdentity!.run({ customerId, ...identity, verified: identity.verified ? 1 : 0, at });
  }

  /** A caller the hub knows only by number: a provisional profile the screen pop says is one, to be merged later. */
  markProvisionalCaller(customerId: number, e164: string, at: number): void {
    this.db.prepare(`INSERT OR IGNORE INTO voice_provisional_callers (customer_id, e164, call_sid, created_at) VALUES (?, ?, 'hub', ?)`).run(customerId, e164, at);
  }

  caseRow(caseId: number): LocalCaseRow | null {
    const r = this.s.caseRow!.get(caseId) as
      | { id: number; customer_id: number; status: CaseStatus; priority: Priority; assigned_agent_id: number | null; waiting_since: number | null; first_response_at: number | null }
      | undefined;
    return r
      ? { id: r.id, customerId: r.customer_id, status: r.status, priority: r.priority, assignedAgentId: r.assigned_agent_id, waitingSince: r.waiting_since, firstResponseAt: r.first_response_at }
      : null;
  }

  /** The local case holding a fetched email with this (normalized) Message-ID. */
  caseOfEmail(messageId: string): { caseId: number; customerId: number } | null {
    return (this.s.caseOfEmail!.get(messageId) as { caseId: number; customerId: number } | undefined) ?? null;
  }

  assignCase(caseId: number, agentId: number | null, status: CaseStatus, now: number): void {
    this.s.assignCase!.run({ caseId, agentId, status, now });
  }

  /** A customer message arrived: the case is open and waits from its oldest unanswered message. */
  customerWrote(caseId: number, at: number, slaDueAt: number | null): void {
    this.s.customerWrote!.run({ caseId, at, slaDueAt });
  }

  resolveCase(caseId: number, at: number): boolean {
    return this.s.resolveCase!.run({ caseId, at }).changes === 1;
  }

  /** An agent answered (here or on another desktop): nobody waits any more. */
  agentReplied(caseId: number, at: number): void {
    this.s.agentReplied!.run({ caseId, at });
  }

  setCsat(caseId: number, rating: number): void {
    this.s.setCsat!.run({ caseId, rating });
  }

  /** The timeline event of the rating already given for a hub conversation (a changed rating updates it). */
  csatEvent(caseId: number, conversationId: number): number | null {
    return (this.s.csatEvent!.get({ caseId, conversationId }) as { id: number } | undefined)?.id ?? null;
  }

  updateCsatEvent(id: number, body: string, metadata: Record<string, unknown>): void {
    this.s.updateCsatEvent!.run({ id, body, metadata: JSON.stringify(metadata) });
  }

  // ---------------------------------------------------------------- the hub outbox

  /**
   * Takes the next due reply of a case linked to this hub and marks it 'sending', in one
   * transaction: oldest due first, never before an earlier reply of its case. Replies on cases the
   * hub does not know stay queued.
   */
  claimNext(hub: string, now: number): OutboxRow | null {
    return this.transaction(() => {
      const r = this.s.claimNext!.get({ hub, now }) as OutboxDbRow | undefined;
      if (!r) return null;
      if (this.s.markSending!.run({ id: r.id, now }).changes !== 1) return null;
      return toOutboxRow({ ...r, status: 'sending', attempts: r.attempts + 1, updated_at: now }, this.db);
    });
  }

  nextDueAt(hub: string): number | null {
    return (this.s.nextDueAt!.get({ hub }) as { at: number | null }).at;
  }

  /** Rows left in 'sending' (a crash or a lost connection mid-send). */
  inSending(hub: string): OutboxRow[] {
    return (this.s.inSending!.all({ hub }) as OutboxDbRow[]).map((r) => toOutboxRow(r, this.db));
  }

  outboxByKey(key: string): OutboxRow | null {
    const r = this.s.outboxByKey!.get(key) as OutboxDbRow | undefined;
    return r ? toOutboxRow(r, this.db) : null;
  }

  hubOutbox(outboxId: number): HubOutboxInfo | null {
    return toHubOutbox(this.s.hubOutbox!.get(outboxId));
  }

  hubOutboxByMessage(hub: string, hubMessageId: number): HubOutboxInfo | null {
    return toHubOutbox(this.s.hubOutboxByMessage!.get(hub, hubMessageId));
  }

  recordHubDelivery(hub: string, outboxId: number, hubMessageId: number | null, delivery: HubDelivery | null, detail: string | null, now: number): void {
    this.s.putHubOutbox!.run({ outboxId, hub, hubMessageId, delivery, detail, now });
  }

  countFailedDelivery(outboxId: number): void {
    this.s.countFailedDelivery!.run(outboxId);
  }
}

interface OfferRow {
  offer_id: number;
  conversation: string;
  reasons: string;
  expires_at: number;
  received_at: number;
}

function toOffer(r: OfferRow, db: Db): StoredOffer {
  return {
    offerId: r.offer_id,
    conversation: JSON.parse(openStored(db, r.conversation)) as HubConversation,
    reasons: JSON.parse(r.reasons) as string[],
    expiresAt: r.expires_at,
    receivedAt: r.received_at,
  };
}

function toLink(r: unknown, db: Db): HubConversationLink | null {
  const row = r as { conversation_id: number; case_id: number; channel: Channel; assigned: number; suggested_reply: string | null } | undefined;
  return row
    ? { conversationId: row.conversation_id, caseId: row.case_id, channel: row.channel, assigned: row.assigned === 1, suggestedReply: openStored(db, row.suggested_reply) }
    : null;
}

function toHubOutbox(r: unknown): HubOutboxInfo | null {
  const row = r as { outbox_id: number; hub_message_id: number | null; delivery: HubDelivery | null; delivery_detail: string | null; failed_deliveries: number } | undefined;
  return row
    ? { outboxId: row.outbox_id, hubMessageId: row.hub_message_id, delivery: row.delivery, deliveryDetail: row.delivery_detail, failedDeliveries: row.failed_deliveries }
    : null;
}
