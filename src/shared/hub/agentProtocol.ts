// The agent protocol between a desktop and the hub, over one WebSocket at /agent. Every frame is
// validated on arrival on both sides. Durable things (offers, messages, deliveries, assignments)
// travel as events with a per-agent sequence number, so a desktop that reconnects asks for
// everything after its last sequence and sees no gap and no duplicate. Live things (who is
// viewing or typing) are not stored and carry no sequence.
import { ChannelMatrixHistoryEntry, ChannelMatrixVersion } from '../channelConfig';
import { z } from 'zod';
import { Channel, Id, IssueType, Millis, Priority, Tier } from '../domain';
import { Presence } from '../routing/types';
import { SentenceKey } from '../sentenceKey';
import { StoredSentence } from '../storedSentence';

export const HUB_PROTOCOL_VERSION = 1;

/** Largest frame either side accepts; bigger frames close the socket with 1009. */
export const MAX_AGENT_FRAME_BYTES = 1024 * 1024;
export const MAX_MESSAGE_TEXT = 20_000;

export const Role = z.enum(['agent', 'supervisor', 'admin']);
export type Role = z.infer<typeof Role>;

/** A channel that terminates at the hub (email conversations are announced by desktops). */
export const HubChannel = Channel;

export const HubAgent = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  role: Role,
});
export type HubAgent = z.infer<typeof HubAgent>;

/** Who wrote in, as the channel knows them. `verified` only for in-app users signed by the product's backend. */
export const HubContact = z.object({
  id: Id,
  channel: Channel,
  /** The channel's address: E.164 phone, page-scoped id, X user id, widget visitor id, in-app user id, email. */
  address: z.string().min(1).max(320),
  displayName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  /** The product's own user id, only when verified (in-app HMAC). */
  accountId: z.string().nullable(),
  verified: z.boolean(),
});
export type HubContact = z.infer<typeof HubContact>;

export const HubAttachment = z.object({
  name: z.string().min(1).max(255),
  contentType: z.string().min(1).max(255),
  size: z.number().int().nonnegative(),
  /** Where the desktop downloads it from the hub (path relative to the hub's base URL). */
  url: z.string().min(1).max(2048),
});
export type HubAttachment = z.infer<typeof HubAttachment>;

export const HubDelivery = z.enum(['stored', 'sent', 'delivered', 'read', 'failed']);
export type HubDelivery = z.infer<typeof HubDelivery>;

export const HubMessage = z.object({
  id: Id,
  conversationId: Id,
  direction: z.enum(['in', 'out', 'internal']),
  authorType: z.enum(['customer', 'agent', 'system', 'bot']),
  authorName: z.string(),
  text: z.string().max(MAX_MESSAGE_TEXT),
  attachments: z.array(HubAttachment),
  createdAt: Millis,
  /** Outgoing: the sending desktop's idempotency key. */
  idempotencyKey: z.string().nullable(),
  /** Outgoing: where delivery to the customer stands. */
  delivery: HubDelivery.nullable(),
  deliveryDetail: z.string().nullable(),
  /** deliveryDetail's serverErrors key and params (with nested reasons), when it has one (newer hubs). */
  deliveryDetailText: StoredSentence.nullable().optional().catch(undefined),
});
export type HubMessage = z.infer<typeof HubMessage>;

export const HubConversation = z.object({
  id: Id,
  channel: Channel,
  contact: HubContact,
  subject: z.string(),
  status: z.enum(['waiting', 'offered', 'assigned', 'resolved']),
  priority: Priority,
  issueType: IssueType,
  tier: Tier,
  vip: z.boolean(),
  assignedAgentId: Id.nullable(),
  createdAt: Millis,
  /** Email conversations: the announced Message-ID they are deduplicated by. */
  emailMessageId: z.string().nullable(),
  /** A public post (comment, mention) rather than a private message. */
  isPublic: z.boolean(),
});
export type HubConversation = z.infer<typeof HubConversation>;

/** Everything an agent needs to take over a conversation: on accept, transfer and escalation. */
export const ContextBundle = z.object({
  conversation: HubConversation,
  messages: z.array(HubMessage),
  /** The handing-over agent's note ("customer already tried a reset"), if any. */
  handoffNote: z.string().nullable(),
  /** Set on escalation: why. */
  escalationReason: z.string().nullable(),
  /** A suggested first reply the agent can edit (the acknowledgment draft for public complaints). */
  suggestedReply: z.string().nullable(),
});
export type ContextBundle = z.infer<typeof ContextBundle>;

export const Capacity = z.partialRecord(Channel, z.number().int().min(0).max(50));
export type Capacity = z.infer<typeof Capacity>;

export const AgentState = z.object({
  agentId: Id,
  displayName: z.string(),
  presence: Presence,
  capacity: Capacity,
  load: z.partialRecord(Channel, z.number().int().nonnegative()),
  connected: z.boolean(),
  since: Millis,
});
export type AgentState = z.infer<typeof AgentState>;

/** Voice: Twilio's CallStatus values and a Call SID (CA…). */
export const CallStatus = z.enum(['queued', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled']);
export type CallStatus = z.infer<typeof CallStatus>;
export const CallSid = z.string().regex(/^CA[0-9a-zA-Z]{1,62}$/, { message: 'is not a Twilio Call SID (CA…)' });
/**
 * One entry of the agent directory (any signed-in agent may read it): who can take a transfer or be
 * @mentioned. `available` is false with the reason when a transfer to them would be refused.
 */
export const DirectoryAgent = z.object({
  agentId: Id,
  displayName: z.string(),
  role: Role,
  presence: Presence,
  connected: z.boolean(),
  skills: z.partialRecord(IssueType, z.number()),
  channels: z.array(Channel),
  capacity: Capacity,
  load: z.partialRecord(Channel, z.number().int().nonnegative()),
  available: z.boolean(),
  unavailableReason: z.string().nullable(),
  /** The reason's serverErrors key and params (newer hubs), so the desktop shows it in the agent's language. */
  unavailableText: SentenceKey.nullable().optional().catch(undefined),
});
export type DirectoryAgent = z.infer<typeof DirectoryAgent>;

/** Durable events, numbered per agent. */
export const HubEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('offer'), offerId: Id, conversation: HubConversation, expiresAt: Millis, reasons: z.array(z.string()) }),
  z.object({
    type: z.literal('offerWithdrawn'),
    offerId: Id,
    conversationId: Id,
    reason: z.enum(['accepted', 'taken', 'expired', 'declined', 'cancelled']),
  }),
  /** The conversation is now this agent's: on accept, transfer in or escalation in. */
  z.object({ type: z.literal('assigned'), via: z.enum(['accept', 'transfer', 'escalation']), bundle: ContextBundle }),
  /** The conversation left this agent (transferred away, escalated, resolved elsewhere). */
  // reasonText (newer hubs): the reason's serverErrors key and params, so the desktop's timeline line reads in the agent's language.
  z.object({ type: z.literal('unassigned'), conversationId: Id, reason: z.string(), reasonText: SentenceKey.optional().catch(undefined) }),
  z.object({ type: z.literal('message'), message: HubMessage }),
  z.object({
    type: z.literal('delivery'),
    conversationId: Id,
    messageId: Id,
    idempotencyKey: z.string().nullable(),
    status: HubDelivery,
    detail: z.string().nullable(),
    /** detail's serverErrors key and params (and those of a reason inside it, e.g. the one given up on), when it has one. */
    detailText: StoredSentence.optional().catch(undefined),
  }),
  z.object({ type: z.literal('resolved'), conversationId: Id }),
  z.object({ type: z.literal('csat'), conversationId: Id, rating: z.number().int().min(1).max(5), comment: z.string().nullable() }),
  /** Supervisors only: an agent's state changed. */
  z.object({ type: z.literal('agentState'), state: AgentState }),
  /** A phone call's latest state (the desktop keeps one timeline row per callSid, updated in place). */
  z.object({
    type: z.literal('call'),
    conversationId: Id,
    callSid: CallSid,
    direction: z.enum(['in', 'out']),
    from: z.string().max(128),
    to: z.string().max(128),
    status: CallStatus,
    answeredByAgentId: Id.nullable(),
    durationSec: z.number().int().nonnegative().nullable(),
    recordingUrl: z.string().max(2048).nullable(),
    outcome: z.string().max(64).nullable(),
    at: Millis,
  }),
  /** A voicemail left on a phone conversation (recording, then its transcription when it arrives). */
  z.object({
    type: z.literal('voicemail'),
    conversationId: Id,
    callSid: CallSid,
    from: z.string().max(128),
    recordingUrl: z.string().max(2048).nullable(),
    durationSec: z.number().int().nonnegative().nullable(),
    transcription: z.string().max(MAX_MESSAGE_TEXT).nullable(),
    at: Millis,
  }),
  /**
   * This agent was @mentioned in an internal note. The bundle lets a desktop that does not hold the
   * conversation show it (read only, not assigned).
   */
  z.object({ type: z.literal('mentioned'), conversationId: Id, messageId: Id, by: z.string(), bundle: ContextBundle }),
  /** A resolved conversation was reopened by an agent; it is theirs again. */
  z.object({ type: z.literal('reopened'), conversationId: Id, by: z.string() }),
  /**
   * A customer was erased on the hub (GDPR): every desktop erases its copy of these conversations'
   * customers. Ids only, so the event log itself holds nothing of the customer.
   */
  z.object({ type: z.literal('customerErased'), conversationIds: z.array(Id).max(10_000) }),
]);
export type HubEvent = z.infer<typeof HubEvent>;

/** Live, unsequenced: who is looking at or typing in a conversation. */
export const CollisionUpdate = z.object({
  conversationId: Id,
  viewers: z.array(z.object({ agentId: Id, displayName: z.string(), typing: z.boolean(), drafting: z.boolean() })),
});
export type CollisionUpdate = z.infer<typeof CollisionUpdate>;

const IdempotencyKey = z.string().min(8).max(128).regex(/^[A-Za-z0-9._:-]+$/);

/** Requests a desktop sends; each frame carries a request id the hub answers with a `result`. */
export const AgentRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('setPresence'), presence: Presence, capacity: Capacity.optional() }),
  /** The softphone's Twilio access token (identity `agent-<id>`), refreshed before it expires. */
  z.object({ type: z.literal('voiceToken') }),
  z.object({ type: z.literal('acceptOffer'), offerId: Id }),
  z.object({ type: z.literal('declineOffer'), offerId: Id, reason: z.string().max(500).optional() }),
  z.object({
    type: z.literal('send'),
    idempotencyKey: IdempotencyKey,
    conversationId: Id,
    text: z.string().min(1).max(MAX_MESSAGE_TEXT),
    /** An internal note is stored and shown to agents, never sent to the customer. */
    internal: z.boolean().default(false),
    /** Files uploaded for this conversation first (POST /widget/agent-upload); the message carries them. */
    uploads: z.array(z.string().regex(/^[A-Za-z0-9_-]{16,64}$/)).max(5).default([]),
    /** Internal notes only: agents @mentioned in it; each is notified once. */
    mentions: z.array(Id).max(50).optional(),
  }),
  z.object({
    type: z.literal('transfer'),
    conversationId: Id,
    to: z.union([z.object({ agentId: Id }), z.object({ queue: Channel })]),
    note: z.string().max(5000).optional(),
  }),
  /** `history`: the customer's whole history as the desktop holds it, kept when the matrix's any → escalation rule says so. */
  z.object({ type: z.literal('escalate'), conversationId: Id, reason: z.string().min(1).max(5000), history: z.string().min(1).max(20_000).optional() }),
  z.object({ type: z.literal('resolve'), conversationId: Id }),
  z.object({ type: z.literal('viewing'), conversationId: Id.nullable() }),
  z.object({ type: z.literal('typing'), conversationId: Id, typing: z.boolean(), drafting: z.boolean() }),
  /** A desktop saw a new customer email; the hub keeps one conversation per Message-ID and offers it once. */
  z.object({
    type: z.literal('announceEmail'),
    messageId: z.string().min(3).max(998),
    from: z.string().min(3).max(320),
    fromName: z.string().max(320).nullable(),
    subject: z.string().max(998),
    preview: z.string().max(2000),
    receivedAt: Millis,
  }),
  /** A resolved email conversation: a signed rating link for the survey email the desktop sends, or why none. */
  z.object({ type: z.literal('csatSurvey'), conversationId: Id }),
  /** Supervisor and admin only. */
  z.object({ type: z.literal('supervisorSnapshot') }),
  /** Admins: the channel configuration matrix now and every saved version (who, when, what changed). */
  z.object({ type: z.literal('channelConfig') }),
  /** Admins: a new version; refused when `expectedVersion` is no longer the current one. The matrix is checked by the hub (sentences). */
  z.object({ type: z.literal('saveChannelConfig'), expectedVersion: z.number().int().positive(), matrix: z.unknown() }),
  /** Supervisor and admin only, each audited on the hub: give a conversation to an agent, or take it yourself. */
  z.object({ type: z.literal('supervisorReassign'), conversationId: Id, agentId: Id }),
  z.object({ type: z.literal('supervisorTake'), conversationId: Id }),
  /** Supervisor and admin only, audited: an agent's capacity per channel (presence unchanged). */
  z.object({ type: z.literal('supervisorCapacity'), agentId: Id, capacity: Capacity }),
  /** Voice: hold, resume or hang up a live call (the hub updates it through Twilio's REST API). */
  z.object({ type: z.literal('callControl'), callSid: CallSid, action: z.enum(['hold', 'unhold', 'hangup']) }),
  /** Voice: cold (blind) or warm (through a conference) transfer of a live call. */
  z.object({
    type: z.literal('transferCall'),
    callSid: CallSid,
    to: z.union([z.object({ agentId: Id }), z.object({ queue: z.literal('phone') }), z.object({ number: z.string().regex(/^\+[1-9][0-9]{1,14}$/) })]),
    mode: z.enum(['cold', 'warm']),
  }),
  /** Every enabled agent with presence, skills and load (transfer targets, mention candidates); `available` for a transfer on `channel`. */
  z.object({ type: z.literal('agentDirectory'), channel: Channel.optional() }),
  /** Opens a resolved conversation again, assigned to the asking agent (or its last agent, for a supervisor). */
  z.object({ type: z.literal('reopen'), conversationId: Id }),
  /**
   * GDPR erase, supervisors and admins: the customers of these conversations (their contacts), with
   * every conversation, message, upload and identity of theirs. Audited on the hub.
   */
  z.object({ type: z.literal('eraseCustomer'), conversationIds: z.array(Id).min(1).max(1000), reason: z.string().trim().min(1).max(500) }),
  z.object({ type: z.literal('ping') }),
]);
export type AgentRequest = z.infer<typeof AgentRequest>;

/** Frames from the desktop. The first one must be `hello`. */
export const AgentClientFrame = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('hello'),
    token: z.string().min(16).max(512),
    /** The last sequence number this desktop has stored; 0 on first connect. */
    resumeAfter: z.number().int().nonnegative(),
    protocol: z.literal(HUB_PROTOCOL_VERSION),
  }),
  z.object({ t: z.literal('req'), id: z.number().int().nonnegative(), req: AgentRequest }),
]);
export type AgentClientFrame = z.infer<typeof AgentClientFrame>;

/** A refusal: its code, the English sentence, and (optional, newer hubs) the sentence's serverErrors key and params. */
export const HubErrorInfo = z.object({
  code: z.string(),
  message: z.string(),
  key: SentenceKey.shape.key.optional().catch(undefined),
  params: SentenceKey.shape.params.optional().catch(undefined),
});
export type HubErrorInfo = z.infer<typeof HubErrorInfo>;

/** The answer to a request: ok with its value, or an error (code and sentence). */
export const AgentResponseFrame = z.discriminatedUnion('ok', [
  z.object({ t: z.literal('res'), id: z.number().int().nonnegative(), ok: z.literal(true), value: z.unknown() }),
  z.object({ t: z.literal('res'), id: z.number().int().nonnegative(), ok: z.literal(false), error: HubErrorInfo }),
]);

/** Frames from the hub. (`res` is its own union on `ok`: one discriminator value may name only one member.) */
/** First-response SLA by channel (seconds) when the hub's config names none. */
export { DEFAULT_FIRST_RESPONSE_SLA_SECONDS } from '../channelConfig';
/** Past this share of the SLA a waiting conversation is at risk. */
export const SLA_RISK_SHARE = 0.8;

/** The console lists at most this many of one agent's open conversations, and this many in all. */
export const MAX_HELD_PER_AGENT = 10;
export const MAX_HELD_LISTED = 2000;

const SlaState = z.enum(['ok', 'atRisk', 'breached']);

/** One open conversation an agent holds, as the console lists it under the agent. */
export const HeldConversation = z.object({
  conversationId: Id,
  channel: Channel,
  contact: z.string().max(200),
  /** When it became this agent's (null: before the hub kept it). */
  since: Millis.nullable(),
  /** The customer's first message after the agent's last reply (null: nothing unanswered; always null for email, whose replies leave from the desktops). */
  awaitingReplySince: Millis.nullable(),
  /** That unanswered wait against the channel's first-response SLA (80%: at risk), as of the snapshot. */
  sla: SlaState,
});
export type HeldConversation = z.infer<typeof HeldConversation>;

/** The team as a supervisor sees it: every enabled agent's state and load, and each channel's queue. */
export const SupervisorSnapshot = z.object({
  agents: z.array(AgentState),
  queues: z.array(
    z.object({
      channel: Channel,
      waiting: z.number().int().nonnegative(),
      oldestSince: Millis.nullable(),
      /** The channel's first-response SLA, and how many waiting conversations are past 80% of it (not yet breached) or past it. */
      slaSeconds: z.number().int().positive(),
      atRisk: z.number().int().nonnegative(),
      breached: z.number().int().nonnegative(),
    }),
  ),
  /** The longest-waiting conversations (oldest first, at most 100): what a supervisor can take or give to an agent. */
  waiting: z
    .array(
      z.object({
        conversationId: Id,
        channel: Channel,
        contact: z.string().max(200),
        subject: z.string().max(500).nullable(),
        waitingSince: Millis.nullable(),
        /** Past 80% of the channel's first-response SLA (atRisk) or past it (breached), as of the snapshot. */
        sla: SlaState,
      }),
    )
    .max(100)
    .default([]),
  /**
   * Each agent's open conversations (agents holding none are left out): those the customer waits on
   * longest first, at most MAX_HELD_PER_AGENT each and MAX_HELD_LISTED in all; `total` counts every one.
   */
  assigned: z
    .array(z.object({ agentId: Id, total: z.number().int().nonnegative(), conversations: z.array(HeldConversation).max(MAX_HELD_PER_AGENT) }))
    .default([]),
  /** Channels whose provider keeps failing: down since the first of the failures in a row, until a delivery succeeds. */
  outages: z
    .array(
      z.object({
        channel: Channel,
        since: Millis,
        detail: z.string().max(500),
        /** detail's serverErrors key and params, when it has one (newer hubs): the console shows it in the supervisor's language. */
        detailText: StoredSentence.nullable().optional().catch(undefined),
        backup: Channel.nullable(),
      }),
    )
    .default([]),
  /** The hub's clock when the snapshot was taken (the console counts waits on from it). */
  at: Millis.optional(),
});
export type SupervisorSnapshot = z.infer<typeof SupervisorSnapshot>;

export const AgentServerFrame = z.union([
  z.discriminatedUnion('t', [
    z.object({ t: z.literal('welcome'), agent: HubAgent, lastSeq: z.number().int().nonnegative(), serverTime: Millis }),
    z.object({ t: z.literal('evt'), seq: z.number().int().positive(), at: Millis, event: HubEvent }),
    /** All events after `resumeAfter` have been replayed; what follows is live. */
    z.object({ t: z.literal('caughtUp'), lastSeq: z.number().int().nonnegative() }),
    z.object({ t: z.literal('collision'), update: CollisionUpdate }),
    /** Live, unsequenced: the customer of an assigned conversation is typing (widget, in-app). */
    z.object({ t: z.literal('customerTyping'), conversationId: Id, typing: z.boolean() }),
    /** Live, unsequenced, to supervisors and admins only: the team after a change (coalesced, at most every 250 ms). */
    z.object({ t: z.literal('supervisorUpdate'), snapshot: SupervisorSnapshot }),
    /** Every desktop: a new channel configuration was saved (live, not stored; ask channelConfig after a reconnect). */
    z.object({ t: z.literal('channelConfig'), current: ChannelMatrixVersion }),
    /** The hub refuses the session (bad token, expired); the socket closes after it. */
    z.object({ t: z.literal('denied'), error: HubErrorInfo }),
  ]),
  AgentResponseFrame,
]);
export type AgentServerFrame = z.infer<typeof AgentServerFrame>;

/** The answer of POST /auth/login {username, password}: a short-lived session token for `hello`. */
export const LoginResponse = z.object({ token: z.string().min(16), expiresAt: Millis, agent: HubAgent });
export type LoginResponse = z.infer<typeof LoginResponse>;

/** What each request answers with (`value` of an ok `res`). */
export const AgentResults = {
  setPresence: z.object({ state: AgentState }),
  voiceToken: z.object({ token: z.string().min(1), identity: z.string().min(1), expiresAt: Millis }),
  acceptOffer: z.object({ bundle: ContextBundle }),
  declineOffer: z.object({ declined: z.boolean() }),
  send: z.object({ message: HubMessage, duplicate: z.boolean() }),
  transfer: z.object({ transferred: z.boolean() }),
  escalate: z.object({ escalatedTo: Id.nullable() }),
  resolve: z.object({ resolved: z.boolean() }),
  viewing: z.object({}),
  typing: z.object({}),
  announceEmail: z.object({ conversationId: Id, duplicate: z.boolean() }),
  csatSurvey: z.object({ url: z.url().nullable(), expiresAt: Millis.nullable(), reason: z.string().nullable() }),
  supervisorSnapshot: SupervisorSnapshot,
  channelConfig: z.object({ current: ChannelMatrixVersion, history: z.array(ChannelMatrixHistoryEntry) }),
  saveChannelConfig: z.object({ current: ChannelMatrixVersion }),
  supervisorReassign: z.object({ reassigned: z.boolean() }),
  supervisorTake: z.object({ reassigned: z.boolean() }),
  supervisorCapacity: z.object({ state: AgentState }),
  ping: z.object({ serverTime: Millis }),
  callControl: z.object({ callSid: CallSid, action: z.enum(['hold', 'unhold', 'hangup']) }),
  transferCall: z.object({ callSid: CallSid, mode: z.enum(['cold', 'warm']), conference: z.string().nullable() }),
  agentDirectory: z.object({ agents: z.array(DirectoryAgent) }),
  reopen: z.object({ reopened: z.boolean() }),
  eraseCustomer: z.object({
    conversations: z.number().int().nonnegative(),
    messages: z.number().int().nonnegative(),
    contacts: z.number().int().nonnegative(),
    files: z.number().int().nonnegative(),
  }),
} satisfies Record<AgentRequest['type'], z.ZodType>;
