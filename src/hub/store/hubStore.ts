// Every SQL statement of the hub's core: agents and sessions, contacts, conversations, messages and
// their delivery state, offers, the per-agent event log and CSAT. Plain typed objects in and out;
// no clock (callers pass `now`) and no I/O beyond the SQLite file.
import type { Statement } from 'better-sqlite3';
import type { Channel, IssueType, Priority, Tier } from '../../shared/domain';
import type { Said } from '../../shared/serverErrors';
import { readStoredText, storedText, type StoredReason } from '../../shared/storedSentence';
import type {
  Capacity,
  HubAgent,
  HubAttachment,
  HubContact,
  HubConversation,
  HubDelivery,
  HubEvent,
  HubMessage,
  Role,
} from '../../shared/hub/agentProtocol';
import type { AgentChannel, Presence, Seniority } from '../../shared/routing/types';
import type { Db } from './database';

export interface AgentRecord extends HubAgent {
  seniority: Seniority;
  languages: string[];
  skills: Partial<Record<IssueType, number>>;
  channels: Partial<Record<Channel, AgentChannel>>;
  isLocalAdmin: boolean;
  disabled: boolean;
}

export interface NewAgent {
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string | null;
  seniority?: Seniority;
  languages?: string[];
  skills?: Partial<Record<IssueType, number>>;
  channels?: Partial<Record<Channel, AgentChannel>>;
  isLocalAdmin?: boolean;
}

export type ConversationStatus = HubConversation['status'];

export interface ConversationRecord extends HubConversation {
  threadKey: string;
  language: string | null;
  queueChannel: Channel | null;
  suggestedReply: string | null;
  handoffNote: string | null;
  escalationReason: string | null;
  routeRound: number;
  waitingSince: number | null;
  lastAgentId: number | null;
  lastContactAt: number | null;
}

/** One open conversation an agent holds, as the supervisor's console lists it. */
export interface HeldConversation {
  id: number;
  agentId: number;
  channel: Channel;
  contact: string;
  /** When it became this agent's (null: assigned before the hub kept it). */
  assignedAt: number | null;
  /** The customer's first message after the agent's last reply (null: nothing unanswered, or email, whose replies the hub never sees). */
  awaitingSince: number | null;
  /** How many open conversations the agent holds in all. */
  agentTotal: number;
}

export interface NewMessage {
  conversationId: number;
  channel: Channel;
  direction: HubMessage['direction'];
  authorType: HubMessage['authorType'];
  authorAgentId?: number | null;
  authorName: string;
  text: string;
  attachments?: HubAttachment[];
  metadata?: Record<string, unknown> | null;
  createdAt: number;
  providerId?: string | null;
  idempotencyKey?: string | null;
  delivery?: HubDelivery | null;
  nextAttemptAt?: number | null;
}

export interface PendingDelivery {
  messageId: number;
  conversationId: number;
  channel: Channel;
  attempts: number;
  nextAttemptAt: number;
}

export type OfferState = 'pending' | 'accepted' | 'declined' | 'expired' | 'cancelled';

export interface OfferRecord {
  id: number;
  conversationId: number;
  agentId: number;
  state: OfferState;
  round: number;
  reasons: string[];
  createdAt: number;
  expiresAt: number;
  decidedAt: number | null;
}

export interface StoredEvent {
  seq: number;
  at: number;
  event: HubEvent;
}

interface AgentRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string | null;
  seniority: Seniority;
  languages: string;
  skills: string;
  channels: string;
  is_local_admin: number;
  disabled: number;
}

interface ConversationRow {
  id: number;
  channel: Channel;
  contact_id: number;
  thread_key: string;
  subject: string;
  status: ConversationStatus;
  priority: Priority;
  issue_type: IssueType;
  tier: Tier;
  vip: number;
  language: string | null;
  queue_channel: Channel | null;
  assigned_agent_id: number | null;
  email_message_id: string | null;
  is_public: number;
  suggested_reply: string | null;
  handoff_note: string | null;
  escalation_reason: string | null;
  route_round: number;
  waiting_since: number | null;
  created_at: number;
  c_channel: Channel;
  c_address: string;
  c_display_name: string | null;
  c_email: string | null;
  c_phone: string | null;
  c_account_id: string | null;
  c_verified: number;
  c_last_agent_id: number | null;
  c_last_contact_at: number | null;
}

interface MessageRow {
  id: number;
  conversation_id: number;
  direction: HubMessage['direction'];
  author_type: HubMessage['authorType'];
  author_name: string;
  text: string;
  attachments: string;
  created_at: number;
  idempotency_key: string | null;
  delivery: HubDelivery | null;
  delivery_detail: string | null;
}

interface OfferRow {
  id: number;
  conversation_id: number;
  agent_id: number;
  state: OfferState;
  round: number;
  reasons: string;
  created_at: number;
  expires_at: number;
  decided_at: number | null;
}

/**
 * Phone load is live calls: a phone conversation whose call ended (kept open for notes and follow-up)
 * or a voicemail ticket does not keep the agent's phone line busy; wrap-up is the agent's presence. A
 * call being routed (no agent yet) is not anyone's load: the caller's own open conversation can ring its agent.
 */
const LIVE_ON_PHONE = `(COALESCE(queue_channel, channel) <> 'phone' OR EXISTS (SELECT 1 FROM voice_calls c
  WHERE c.conversation_id = conversations.id AND c.agent_id = conversations.assigned_agent_id AND c.status IN ('ringing', 'in-progress')))`;

const CONVERSATION_SELECT = /* sql */ `
  SELECT v.*, c.channel AS c_channel, c.address AS c_address, c.display_name AS c_display_name, c.email AS c_email,
         c.phone AS c_phone, c.account_id AS c_account_id, c.verified AS c_verified,
         c.last_agent_id AS c_last_agent_id, c.last_contact_at AS c_last_contact_at
  FROM conversations v JOIN contacts c ON c.id = v.contact_id`;

const MESSAGE_COLUMNS = 'id, conversation_id, direction, author_type, author_name, text, attachments, created_at, idempotency_key, delivery, delivery_detail';

const SQL = {
  insertAgent: `INSERT INTO agents (username, display_name, role, password_hash, seniority, languages, skills, channels, is_local_admin, created_at)
                VALUES (@username, @displayName, @role, @passwordHash, @seniority, @languages, @skills, @channels, @isLocalAdmin, @now)`,
  agentById: 'SELECT * FROM agents WHERE id = ?',
  agentByUsername: 'SELECT * FROM agents WHERE username = ?',
  localAdmin: 'SELECT * FROM agents WHERE is_local_admin = 1 ORDER BY id LIMIT 1',
  listAgents: 'SELECT * FROM agents ORDER BY id',
  supervisorIds: `SELECT id FROM agents WHERE role <> 'agent' AND disabled = 0 ORDER BY id`,
  setPassword: 'UPDATE agents SET password_hash = ? WHERE id = ?',
  nextSeq: 'UPDATE agents SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq',
  lastSeq: 'SELECT last_seq FROM agents WHERE id = ?',

  insertSession: 'INSERT INTO sessions (token_hash, agent_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
  session: 'SELECT agent_id, expires_at FROM sessions WHERE token_hash = ?',
  deleteSession: 'DELETE FROM sessions WHERE token_hash = ?',
  pruneSessions: 'DELETE FROM sessions WHERE expires_at <= ?',

  capacity: 'SELECT capacity FROM agent_presence WHERE agent_id = ?',
  saveCapacity: `INSERT INTO agent_presence (agent_id, presence, capacity, since) VALUES (?, ?, ?, ?)
                 ON CONFLICT (agent_id) DO UPDATE SET presence = excluded.presence, capacity = excluded.capacity, since = excluded.since`,

  contactByAddress: 'SELECT id FROM contacts WHERE channel = ? AND address = ?',
  insertContact: `INSERT INTO contacts (channel, address, display_name, email, phone, account_id, verified, created_at)
                  VALUES (@channel, @address, @displayName, @email, @phone, @accountId, @verified, @now)`,
  updateContact: `UPDATE contacts SET display_name = COALESCE(@displayName, display_name), email = COALESCE(@email, email),
                    phone = COALESCE(@phone, phone),
                    account_id = CASE WHEN @accountId IS NOT NULL THEN @accountId ELSE account_id END,
                    verified = CASE WHEN @accountId IS NOT NULL THEN 1 ELSE verified END
                  WHERE id = @id`,
  contactHandled: 'UPDATE contacts SET last_agent_id = ?, last_contact_at = ? WHERE id = ?',

  conversation: `${CONVERSATION_SELECT} WHERE v.id = ?`,
  openByThread: `${CONVERSATION_SELECT} WHERE v.channel = ? AND v.thread_key = ? AND v.status <> 'resolved'`,
  latestByThread: `${CONVERSATION_SELECT} WHERE v.channel = ? AND v.thread_key = ? ORDER BY v.id DESC LIMIT 1`,
  byEmailMessageId: 'SELECT id FROM conversations WHERE email_message_id = ?',
  insertConversation: `INSERT INTO conversations (channel, contact_id, thread_key, subject, status, priority, issue_type, tier, vip, language,
                         email_message_id, is_public, suggested_reply, waiting_since, created_at, updated_at)
                       VALUES (@channel, @contactId, @threadKey, @subject, 'waiting', @priority, @issueType, @tier, @vip, @language,
                         @emailMessageId, @isPublic, @suggestedReply, @now, @now, @now)`,
  reopen: `UPDATE conversations SET status = 'waiting', assigned_agent_id = NULL, resolved_at = NULL, waiting_since = ?, updated_at = ?,
             route_round = route_round + 1 WHERE id = ? AND status = 'resolved'`,
  setWaiting: `UPDATE conversations SET status = 'waiting', assigned_agent_id = NULL, waiting_since = COALESCE(waiting_since, @now),
                 updated_at = @now WHERE id = @id`,
  setOffered: `UPDATE conversations SET status = 'offered', updated_at = ? WHERE id = ? AND status = 'waiting'`,
  claim: `UPDATE conversations SET status = 'assigned', assigned_agent_id = @agentId, waiting_since = NULL, updated_at = @now, assigned_at = @now
          WHERE id = @id AND status IN ('waiting', 'offered')`,
  assign: `UPDATE conversations SET status = 'assigned', assigned_agent_id = @agentId, waiting_since = NULL, updated_at = @now, assigned_at = @now,
             handoff_note = COALESCE(@handoffNote, handoff_note), escalation_reason = COALESCE(@escalationReason, escalation_reason)
           WHERE id = @id`,
  toQueue: `UPDATE conversations SET status = 'waiting', assigned_agent_id = NULL, waiting_since = @now, updated_at = @now,
              queue_channel = @queueChannel, handoff_note = COALESCE(@handoffNote, handoff_note),
              escalation_reason = COALESCE(@escalationReason, escalation_reason), priority = COALESCE(@priority, priority),
              route_round = route_round + 1
            WHERE id = @id`,
  resolve: `UPDATE conversations SET status = 'resolved', resolved_at = ?, updated_at = ?, waiting_since = NULL WHERE id = ? AND status <> 'resolved'`,
  bumpRound: 'UPDATE conversations SET route_round = route_round + 1 WHERE id = ?',
  openByPhone: `${CONVERSATION_SELECT} WHERE v.status <> 'resolved' AND (c.phone = ? OR (c.channel IN ('sms', 'phone') AND c.address = ?))
                ORDER BY v.id DESC LIMIT 20`,
  setRouting: `UPDATE conversations SET issue_type = COALESCE(@issueType, issue_type), vip = COALESCE(@vip, vip),
                 language = CASE WHEN @setLanguage = 1 THEN @language ELSE language END, updated_at = @now WHERE id = @id`,
  waiting: `${CONVERSATION_SELECT} WHERE v.status = 'waiting'
            ORDER BY CASE v.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, v.waiting_since, v.id`,
  waitingSince: `SELECT COALESCE(queue_channel, channel) AS channel, waiting_since FROM conversations WHERE status IN ('waiting', 'offered')`,
  waitingList: `SELECT v.id, COALESCE(v.queue_channel, v.channel) AS channel, COALESCE(NULLIF(TRIM(c.display_name), ''), c.email, c.address) AS contact,
                v.subject, v.waiting_since FROM conversations v JOIN contacts c ON c.id = v.contact_id
                WHERE v.status IN ('waiting', 'offered') ORDER BY v.waiting_since IS NULL, v.waiting_since, v.id LIMIT ?`,
  // Each agent's open conversations, the ones a customer waits on for a reply first (longest first), then
  // the longest held; @perAgent each and @limit in all (each agent's first ones before anyone's later ones).
  // "Awaiting a reply since": the customer's first message after the agent's last reply (null: answered).
  // Email replies leave from the desktops over SMTP and never pass the hub: unknown there, so null.
  heldList: `WITH held AS (
                SELECT v.id, v.assigned_agent_id AS agent_id, COALESCE(v.queue_channel, v.channel) AS channel, v.contact_id, v.assigned_at,
                  (SELECT MIN(m.created_at) FROM messages m WHERE v.channel <> 'email' AND m.conversation_id = v.id AND m.direction = 'in'
                     AND m.id > COALESCE((SELECT MAX(o.id) FROM messages o WHERE o.conversation_id = v.id AND o.direction = 'out' AND o.author_type = 'agent'), 0)) AS awaiting
                FROM conversations v WHERE v.status = 'assigned' AND v.assigned_agent_id IS NOT NULL),
              ranked AS (
                SELECT held.*, ROW_NUMBER() OVER (PARTITION BY agent_id ORDER BY awaiting IS NULL, awaiting, assigned_at, id) AS n,
                  COUNT(*) OVER (PARTITION BY agent_id) AS total FROM held)
             SELECT r.id, r.agent_id, r.channel, COALESCE(NULLIF(TRIM(c.display_name), ''), c.email, c.address) AS contact, r.assigned_at, r.awaiting, r.total
             FROM ranked r JOIN contacts c ON c.id = r.contact_id WHERE r.n <= @perAgent ORDER BY r.n, r.agent_id LIMIT @limit`,
  queueStats: `SELECT COALESCE(queue_channel, channel) AS channel, COUNT(*) AS waiting, MIN(waiting_since) AS oldest
               FROM conversations WHERE status IN ('waiting', 'offered') GROUP BY 1`,
  loads: `SELECT assigned_agent_id AS agent_id, COALESCE(queue_channel, channel) AS channel, COUNT(*) AS n
          FROM conversations WHERE status = 'assigned' AND assigned_agent_id IS NOT NULL AND ${LIVE_ON_PHONE} GROUP BY 1, 2`,
  loadOf: `SELECT COALESCE(queue_channel, channel) AS channel, COUNT(*) AS n
           FROM conversations WHERE assigned_agent_id = ? AND status = 'assigned' AND ${LIVE_ON_PHONE} GROUP BY 1`,
  pendingOfferLoadOf: `SELECT COALESCE(v.queue_channel, v.channel) AS channel, COUNT(*) AS n
                       FROM offers o JOIN conversations v ON v.id = o.conversation_id WHERE o.state = 'pending' AND o.agent_id = ? GROUP BY 1`,
  pendingOfferLoads: `SELECT o.agent_id AS agent_id, COALESCE(v.queue_channel, v.channel) AS channel, COUNT(*) AS n
                      FROM offers o JOIN conversations v ON v.id = o.conversation_id WHERE o.state = 'pending' GROUP BY 1, 2`,

  insertMessage: `INSERT INTO messages (conversation_id, channel, direction, author_type, author_agent_id, author_name, text, attachments, metadata,
                    created_at, provider_id, idempotency_key, delivery, next_attempt_at)
                  VALUES (@conversationId, @channel, @direction, @authorType, @authorAgentId, @authorName, @text, @attachments, @metadata,
                    @createdAt, @providerId, @idempotencyKey, @delivery, @nextAttemptAt)`,
  message: `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`,
  inboundByProvider: `SELECT id, conversation_id FROM messages WHERE channel = ? AND provider_id = ? AND direction = 'in'`,
  byIdempotencyKey: `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE idempotency_key = ?`,
  messages: `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id`,
  messagesAfter: `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND id > ? AND direction <> 'internal' ORDER BY id LIMIT ?`,
  latestInbound: `SELECT text FROM messages WHERE conversation_id = ? AND direction = 'in' ORDER BY id DESC LIMIT 1`,
  pendingDeliveries: `SELECT id AS messageId, conversation_id AS conversationId, channel, attempts, next_attempt_at AS nextAttemptAt
                      FROM messages WHERE next_attempt_at IS NOT NULL ORDER BY id`,
  deliveryOutcome: `UPDATE messages SET delivery = @delivery, delivery_detail = @detail, provider_id = COALESCE(@providerId, provider_id),
                      attempts = attempts + 1, next_attempt_at = @nextAttemptAt WHERE id = @id`,
  outboundByProvider: `SELECT id, conversation_id, delivery FROM messages WHERE channel = ? AND provider_id = ? AND direction = 'out'`,
  setDelivery: 'UPDATE messages SET delivery = ?, delivery_detail = ? WHERE id = ?',

  insertOffer: `INSERT INTO offers (conversation_id, agent_id, state, round, reasons, created_at, expires_at)
                VALUES (@conversationId, @agentId, 'pending', @round, @reasons, @now, @expiresAt)`,
  offer: 'SELECT * FROM offers WHERE id = ?',
  pendingOfferOf: `SELECT * FROM offers WHERE conversation_id = ? AND state = 'pending'`,
  pendingOffersOfAgent: `SELECT * FROM offers WHERE agent_id = ? AND state = 'pending' ORDER BY id`,
  allPendingOffers: `SELECT * FROM offers WHERE state = 'pending' ORDER BY id`,
  dueOffers: `SELECT * FROM offers WHERE state = 'pending' AND expires_at <= ? ORDER BY expires_at, id`,
  nextExpiry: `SELECT MIN(expires_at) AS at FROM offers WHERE state = 'pending'`,
  closeOffer: `UPDATE offers SET state = @state, decided_at = @now WHERE id = @id AND state = 'pending'`,
  acceptOffer: `UPDATE offers SET state = 'accepted', decided_at = @now WHERE id = @id AND state IN ('pending', 'expired')`,
  triedAgents: `SELECT DISTINCT agent_id FROM offers WHERE conversation_id = ? AND round = ? AND state IN ('declined', 'expired', 'cancelled')`,
  lastOfferEnded: `SELECT MAX(decided_at) AS at FROM offers WHERE conversation_id = ? AND round = ?`,

  insertEvent: 'INSERT INTO agent_events (agent_id, seq, type, payload, created_at) VALUES (?, ?, ?, ?, ?)',
  eventsAfter: 'SELECT seq, payload, created_at FROM agent_events WHERE agent_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  pruneEvents: 'DELETE FROM agent_events WHERE created_at < ?',

  upsertCsat: `INSERT INTO csat (conversation_id, rating, comment, agent_id, created_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (conversation_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment, created_at = excluded.created_at`,
} as const;

type Statements = Record<keyof typeof SQL, Statement>;

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toAgent(r: AgentRow): AgentRecord {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    seniority: r.seniority,
    languages: parseJson(r.languages, []),
    skills: parseJson(r.skills, {}),
    channels: parseJson(r.channels, {}),
    isLocalAdmin: r.is_local_admin === 1,
    disabled: r.disabled === 1,
  };
}

function toConversation(r: ConversationRow): ConversationRecord {
  const contact: HubContact = {
    id: r.contact_id,
    channel: r.c_channel,
    address: r.c_address,
    displayName: r.c_display_name,
    email: r.c_email,
    phone: r.c_phone,
    accountId: r.c_account_id,
    verified: r.c_verified === 1,
  };
  return {
    id: r.id,
    channel: r.channel,
    contact,
    subject: r.subject,
    status: r.status,
    priority: r.priority,
    issueType: r.issue_type,
    tier: r.tier,
    vip: r.vip === 1,
    assignedAgentId: r.assigned_agent_id,
    createdAt: r.created_at,
    emailMessageId: r.email_message_id,
    isPublic: r.is_public === 1,
    threadKey: r.thread_key,
    language: r.language,
    queueChannel: r.queue_channel,
    suggestedReply: r.suggested_reply,
    handoffNote: r.handoff_note,
    escalationReason: r.escalation_reason,
    routeRound: r.route_round,
    waitingSince: r.waiting_since,
    lastAgentId: r.c_last_agent_id,
    lastContactAt: r.c_last_contact_at,
  };
}

/** The protocol's view of a conversation: the core's bookkeeping columns left out. */
export function publicConversation(c: ConversationRecord): HubConversation {
  return {
    id: c.id,
    channel: c.channel,
    contact: c.contact,
    subject: c.subject,
    status: c.status,
    priority: c.priority,
    issueType: c.issueType,
    tier: c.tier,
    vip: c.vip,
    assignedAgentId: c.assignedAgentId,
    createdAt: c.createdAt,
    emailMessageId: c.emailMessageId,
    isPublic: c.isPublic,
  };
}

/** The stored delivery detail: its English sentence and, when it was stored with one, its key (with nested reasons). */
function deliveryDetailOf(stored: string | null): Pick<HubMessage, 'deliveryDetail' | 'deliveryDetailText'> {
  const { message, text } = readStoredText(stored);
  return text ? { deliveryDetail: message, deliveryDetailText: text } : { deliveryDetail: message };
}

function toMessage(r: MessageRow): HubMessage {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    direction: r.direction,
    authorType: r.author_type,
    authorName: r.author_name,
    text: r.text,
    attachments: parseJson(r.attachments, []),
    createdAt: r.created_at,
    idempotencyKey: r.idempotency_key,
    delivery: r.delivery,
    ...deliveryDetailOf(r.delivery_detail),
  };
}

function toOffer(r: OfferRow): OfferRecord {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    agentId: r.agent_id,
    state: r.state,
    round: r.round,
    reasons: parseJson(r.reasons, []),
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    decidedAt: r.decided_at,
  };
}

export class HubStore {
  private readonly s: Statements;

  constructor(readonly db: Db) {
    const cache = new Map<string, Statement>();
    // Prepared on first use, then reused.
    this.s = new Proxy({} as Statements, {
      get: (_t, name: string) => {
        let statement = cache.get(name);
        if (!statement) {
          const sql = (SQL as Record<string, string>)[name];
          if (sql === undefined) throw new Error(`No statement named ${name}`);
          statement = db.prepare(sql);
          cache.set(name, statement);
        }
        return statement;
      },
    });
  }

  /** Runs fn in one transaction (a savepoint when nested). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // Agents and sessions.

  createAgent(a: NewAgent, now: number): AgentRecord {
    const info = this.s.insertAgent.run({
      username: a.username,
      displayName: a.displayName,
      role: a.role,
      passwordHash: a.passwordHash,
      seniority: a.seniority ?? 'mid',
      languages: JSON.stringify(a.languages ?? []),
      skills: JSON.stringify(a.skills ?? {}),
      channels: JSON.stringify(a.channels ?? {}),
      isLocalAdmin: a.isLocalAdmin ? 1 : 0,
      now,
    });
    return this.agent(Number(info.lastInsertRowid))!;
  }

  agent(id: number): AgentRecord | null {
    const r = this.s.agentById.get(id) as AgentRow | undefined;
    return r ? toAgent(r) : null;
  }

  agentWithHash(username: string): { agent: AgentRecord; passwordHash: string | null } | null {
    const r = this.s.agentByUsername.get(username) as AgentRow | undefined;
    return r ? { agent: toAgent(r), passwordHash: r.password_hash } : null;
  }

  localAdmin(): AgentRecord | null {
    const r = this.s.localAdmin.get() as AgentRow | undefined;
    return r ? toAgent(r) : null;
  }

  agents(): AgentRecord[] {
    return (this.s.listAgents.all() as AgentRow[]).map(toAgent);
  }

  /** Enabled supervisors and admins (who receive the team's agentState events), by id. */
  supervisorIds(): number[] {
    return (this.s.supervisorIds.all() as { id: number }[]).map((r) => r.id);
  }

  setPassword(agentId: number, passwordHash: string): boolean {
    return this.s.setPassword.run(passwordHash, agentId).changes === 1;
  }

  insertSession(hash: string, agentId: number, now: number, expiresAt: number): void {
    this.s.insertSession.run(hash, agentId, now, expiresAt);
  }

  session(hash: string): { agentId: number; expiresAt: number } | null {
    const r = this.s.session.get(hash) as { agent_id: number; expires_at: number } | undefined;
    return r ? { agentId: r.agent_id, expiresAt: r.expires_at } : null;
  }

  deleteSession(hash: string): void {
    this.s.deleteSession.run(hash);
  }

  pruneSessions(now: number): number {
    return this.s.pruneSessions.run(now).changes;
  }

  capacity(agentId: number): Capacity {
    const r = this.s.capacity.get(agentId) as { capacity: string } | undefined;
    return parseJson(r?.capacity ?? null, {});
  }

  saveCapacity(agentId: number, presence: Presence, capacity: Capacity, now: number): void {
    this.s.saveCapacity.run(agentId, presence, JSON.stringify(capacity), now);
  }

  // Contacts and conversations.

  upsertContact(
    channel: Channel,
    c: { address: string; displayName?: string | null; email?: string | null; phone?: string | null; verifiedAccountId?: string | null },
    now: number,
  ): number {
    const values = {
      channel,
      address: c.address,
      displayName: c.displayName ?? null,
      email: c.email ?? null,
      phone: c.phone ?? null,
      accountId: c.verifiedAccountId ?? null,
    };
    const found = this.s.contactByAddress.get(channel, c.address) as { id: number } | undefined;
    if (found) {
      this.s.updateContact.run({ ...values, id: found.id });
      return found.id;
    }
    return Number(this.s.insertContact.run({ ...values, verified: values.accountId !== null ? 1 : 0, now }).lastInsertRowid);
  }

  contactHandled(contactId: number, agentId: number, now: number): void {
    this.s.contactHandled.run(agentId, now, contactId);
  }

  conversation(id: number): ConversationRecord | null {
    const r = this.s.conversation.get(id) as ConversationRow | undefined;
    return r ? toConversation(r) : null;
  }

  openConversation(channel: Channel, threadKey: string): ConversationRecord | null {
    const r = this.s.openByThread.get(channel, threadKey) as ConversationRow | undefined;
    return r ? toConversation(r) : null;
  }

  latestConversation(channel: Channel, threadKey: string): ConversationRecord | null {
    const r = this.s.latestByThread.get(channel, threadKey) as ConversationRow | undefined;
    return r ? toConversation(r) : null;
  }

  conversationIdByEmailMessageId(messageId: string): number | null {
    const r = this.s.byEmailMessageId.get(messageId) as { id: number } | undefined;
    return r?.id ?? null;
  }

  insertConversation(
    c: {
      channel: Channel;
      contactId: number;
      threadKey: string;
      subject: string;
      priority?: Priority;
      issueType?: IssueType;
      tier?: Tier;
      vip?: boolean;
      language?: string | null;
      emailMessageId?: string | null;
      isPublic?: boolean;
      suggestedReply?: string | null;
    },
    now: number,
  ): number {
    const info = this.s.insertConversation.run({
      channel: c.channel,
      contactId: c.contactId,
      threadKey: c.threadKey,
      subject: c.subject,
      priority: c.priority ?? 'normal',
      issueType: c.issueType ?? 'other',
      tier: c.tier ?? 'standard',
      vip: c.vip ? 1 : 0,
      language: c.language ?? null,
      emailMessageId: c.emailMessageId ?? null,
      isPublic: c.isPublic ? 1 : 0,
      suggestedReply: c.suggestedReply ?? null,
      now,
    });
    return Number(info.lastInsertRowid);
  }

  reopen(id: number, now: number): boolean {
    return this.s.reopen.run(now, now, id).changes === 1;
  }

  setWaiting(id: number, now: number): void {
    this.s.setWaiting.run({ id, now });
  }

  setOffered(id: number, now: number): boolean {
    return this.s.setOffered.run(now, id).changes === 1;
  }

  /** The accept race: only one UPDATE finds the conversation still unclaimed. */
  claim(id: number, agentId: number, now: number): boolean {
    return this.s.claim.run({ id, agentId, now }).changes === 1;
  }

  assign(id: number, agentId: number, now: number, notes: { handoffNote?: string | null; escalationReason?: string | null } = {}): void {
    this.s.assign.run({ id, agentId, now, handoffNote: notes.handoffNote ?? null, escalationReason: notes.escalationReason ?? null });
  }

  toQueue(
    id: number,
    now: number,
    q: { queueChannel: Channel | null; handoffNote?: string | null; escalationReason?: string | null; priority?: Priority | null },
  ): void {
    this.s.toQueue.run({
      id,
      now,
      queueChannel: q.queueChannel,
      handoffNote: q.handoffNote ?? null,
      escalationReason: q.escalationReason ?? null,
      priority: q.priority ?? null,
    });
  }

  resolve(id: number, now: number): boolean {
    return this.s.resolve.run(now, now, id).changes === 1;
  }

  bumpRound(id: number): void {
    this.s.bumpRound.run(id);
  }

  /** Open conversations of contacts reached at an E.164 number (their phone, or an SMS/phone address), newest first. */
  openConversationsByPhone(phone: string): ConversationRecord[] {
    return (this.s.openByPhone.all(phone, phone) as ConversationRow[]).map(toConversation);
  }

  setRouting(id: number, r: { issueType?: IssueType; vip?: boolean; language?: string | null }, now: number): void {
    this.s.setRouting.run({
      id,
      now,
      issueType: r.issueType ?? null,
      vip: r.vip === undefined ? null : r.vip ? 1 : 0,
      setLanguage: r.language === undefined ? 0 : 1,
      language: r.language ?? null,
    });
  }

  waitingConversations(): ConversationRecord[] {
    return (this.s.waiting.all() as ConversationRow[]).map(toConversation);
  }

  /** Per queue (a transferred conversation counts in its new queue): how many wait or are being offered, and since when. */
  /** Each waiting (or offered) conversation's queue and since when it waits. */
  waitingSince(): Array<[channel: Channel, since: number | null]> {
    return this.s.waitingSince!.raw(true).all() as Array<[Channel, number | null]>;
  }

  /** The longest-waiting conversations first (for the supervisor's console). */
  waitingList(limit: number): { id: number; channel: Channel; contact: string; subject: string | null; waitingSince: number | null }[] {
    return (this.s.waitingList.all(limit) as { id: number; channel: Channel; contact: string | null; subject: string | null; waiting_since: number | null }[]).map((r) => ({
      id: r.id,
      channel: r.channel,
      contact: (r.contact ?? '').slice(0, 200),
      subject: r.subject === null ? null : r.subject.slice(0, 500),
      waitingSince: r.waiting_since,
    }));
  }

  /** Each agent's open conversations for the supervisor's console (bounded: `perAgent` each, `limit` in all), with each agent's total. */
  heldList(perAgent: number, limit: number): HeldConversation[] {
    const rows = this.s.heldList.all({ perAgent, limit }) as {
      id: number;
      agent_id: number;
      channel: Channel;
      contact: string | null;
      assigned_at: number | null;
      awaiting: number | null;
      total: number;
    }[];
    return rows.map((r) => ({
      id: r.id,
      agentId: r.agent_id,
      channel: r.channel,
      contact: (r.contact ?? '').slice(0, 120),
      assignedAt: r.assigned_at,
      awaitingSince: r.awaiting,
      agentTotal: r.total,
    }));
  }

  queueStats(): { channel: Channel; waiting: number; oldestSince: number | null }[] {
    return (this.s.queueStats.all() as { channel: Channel; waiting: number; oldest: number | null }[]).map((r) => ({
      channel: r.channel,
      waiting: r.waiting,
      oldestSince: r.oldest,
    }));
  }

  /** Per agent and channel: conversations held plus offers pending (an offered agent is not offered a second one beyond capacity). */
  loads(): Map<number, Partial<Record<Channel, number>>> {
    const out = new Map<number, Partial<Record<Channel, number>>>();
    for (const sql of [this.s.loads, this.s.pendingOfferLoads]) {
      for (const r of sql.all() as { agent_id: number; channel: Channel; n: number }[]) {
        const load = out.get(r.agent_id) ?? {};
        load[r.channel] = (load[r.channel] ?? 0) + r.n;
        out.set(r.agent_id, load);
      }
    }
    return out;
  }

  /** One agent's entry of `loads()`, by the indexes (no scan of every assigned conversation). */
  loadOf(agentId: number): Partial<Record<Channel, number>> {
    const load: Partial<Record<Channel, number>> = {};
    for (const sql of [this.s.loadOf, this.s.pendingOfferLoadOf]) {
      for (const r of sql.all(agentId) as { channel: Channel; n: number }[]) load[r.channel] = (load[r.channel] ?? 0) + r.n;
    }
    return load;
  }

  // Messages.

  insertMessage(m: NewMessage): HubMessage {
    const info = this.s.insertMessage.run({
      conversationId: m.conversationId,
      channel: m.channel,
      direction: m.direction,
      authorType: m.authorType,
      authorAgentId: m.authorAgentId ?? null,
      authorName: m.authorName,
      text: m.text,
      attachments: JSON.stringify(m.attachments ?? []),
      metadata: m.metadata ? JSON.stringify(m.metadata) : null,
      createdAt: m.createdAt,
      providerId: m.providerId ?? null,
      idempotencyKey: m.idempotencyKey ?? null,
      delivery: m.delivery ?? null,
      nextAttemptAt: m.nextAttemptAt ?? null,
    });
    return this.message(Number(info.lastInsertRowid))!;
  }

  message(id: number): HubMessage | null {
    const r = this.s.message.get(id) as MessageRow | undefined;
    return r ? toMessage(r) : null;
  }

  inboundByProvider(channel: Channel, providerId: string): { messageId: number; conversationId: number } | null {
    const r = this.s.inboundByProvider.get(channel, providerId) as { id: number; conversation_id: number } | undefined;
    return r ? { messageId: r.id, conversationId: r.conversation_id } : null;
  }

  messageByIdempotencyKey(key: string): HubMessage | null {
    const r = this.s.byIdempotencyKey.get(key) as MessageRow | undefined;
    return r ? toMessage(r) : null;
  }

  messages(conversationId: number): HubMessage[] {
    return (this.s.messages.all(conversationId) as MessageRow[]).map(toMessage);
  }

  /** What the customer side may see: internal notes are left out. */
  customerMessagesAfter(conversationId: number, afterId: number, limit: number): HubMessage[] {
    return (this.s.messagesAfter.all(conversationId, afterId, limit) as MessageRow[]).map(toMessage);
  }

  latestInboundText(conversationId: number): string | null {
    return (this.s.latestInbound.get(conversationId) as { text: string } | undefined)?.text ?? null;
  }

  pendingDeliveries(): PendingDelivery[] {
    return this.s.pendingDeliveries.all() as PendingDelivery[];
  }

  recordDeliveryOutcome(id: number, o: { delivery: HubDelivery; detail: string | Said | StoredReason | null; providerId: string | null; nextAttemptAt: number | null }): void {
    this.s.deliveryOutcome.run({ id, delivery: o.delivery, detail: storedText(o.detail), providerId: o.providerId, nextAttemptAt: o.nextAttemptAt });
  }

  outboundByProvider(channel: Channel, providerId: string): { messageId: number; conversationId: number; delivery: HubDelivery | null } | null {
    const r = this.s.outboundByProvider.get(channel, providerId) as { id: number; conversation_id: number; delivery: HubDelivery | null } | undefined;
    return r ? { messageId: r.id, conversationId: r.conversation_id, delivery: r.delivery } : null;
  }

  /** A keyed detail is kept with its key (storedText), so the message reads back its English and the key. */
  setDelivery(messageId: number, delivery: HubDelivery, detail: string | Said | StoredReason | null): void {
    this.s.setDelivery.run(delivery, storedText(detail), messageId);
  }

  // Offers.

  insertOffer(o: { conversationId: number; agentId: number; round: number; reasons: string[]; expiresAt: number }, now: number): OfferRecord {
    const info = this.s.insertOffer.run({ ...o, reasons: JSON.stringify(o.reasons), now });
    return this.offer(Number(info.lastInsertRowid))!;
  }

  offer(id: number): OfferRecord | null {
    const r = this.s.offer.get(id) as OfferRow | undefined;
    return r ? toOffer(r) : null;
  }

  pendingOfferOf(conversationId: number): OfferRecord | null {
    const r = this.s.pendingOfferOf.get(conversationId) as OfferRow | undefined;
    return r ? toOffer(r) : null;
  }

  pendingOffersOfAgent(agentId: number): OfferRecord[] {
    return (this.s.pendingOffersOfAgent.all(agentId) as OfferRow[]).map(toOffer);
  }

  allPendingOffers(): OfferRecord[] {
    return (this.s.allPendingOffers.all() as OfferRow[]).map(toOffer);
  }

  dueOffers(now: number): OfferRecord[] {
    return (this.s.dueOffers.all(now) as OfferRow[]).map(toOffer);
  }

  nextOfferExpiry(): number | null {
    return (this.s.nextExpiry.get() as { at: number | null }).at;
  }

  closeOffer(id: number, state: Exclude<OfferState, 'pending' | 'accepted'>, now: number): boolean {
    return this.s.closeOffer.run({ id, state, now }).changes === 1;
  }

  markAccepted(id: number, now: number): boolean {
    return this.s.acceptOffer.run({ id, now }).changes === 1;
  }

  triedAgents(conversationId: number, round: number): Set<number> {
    return new Set((this.s.triedAgents.all(conversationId, round) as { agent_id: number }[]).map((r) => r.agent_id));
  }

  lastOfferEnded(conversationId: number, round: number): number | null {
    return (this.s.lastOfferEnded.get(conversationId, round) as { at: number | null }).at;
  }

  // The per-agent event log.

  /** Numbers and stores one event; call inside the transaction that makes the change it reports. */
  appendEvent(agentId: number, event: HubEvent, now: number): StoredEvent {
    const row = this.s.nextSeq.get(agentId) as { last_seq: number } | undefined;
    if (!row) throw new Error(`No agent ${agentId} to address an event to`);
    this.s.insertEvent.run(agentId, row.last_seq, event.type, JSON.stringify(event), now);
    return { seq: row.last_seq, at: now, event };
  }

  eventsAfter(agentId: number, afterSeq: number, limit: number): StoredEvent[] {
    return (this.s.eventsAfter.all(agentId, afterSeq, limit) as { seq: number; payload: string; created_at: number }[]).map((r) => ({
      seq: r.seq,
      at: r.created_at,
      event: JSON.parse(r.payload) as HubEvent,
    }));
  }

  lastSeq(agentId: number): number {
    return (this.s.lastSeq.get(agentId) as { last_seq: number } | undefined)?.last_seq ?? 0;
  }

  pruneEvents(before: number): number {
    return this.s.pruneEvents.run(before).changes;
  }

  recordCsat(conversationId: number, rating: number, comment: string | null, agentId: number | null, now: number): void {
    this.s.upsertCsat.run(conversationId, rating, comment, agentId, now);
  }
}
