// The seams between the hub's core (agents, conversations, routing, the agent gateway) and its
// channel modules (chat widget, SMS and social webhooks, the portal). Modules receive a
// HubContext, hand inbound traffic to `conversations`, and register a sender for the channels
// they deliver on. Node only; depends on src/shared and src/platform.
import type { ChannelMatrix } from '../shared/channelConfig';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Channel, IssueType } from '../shared/domain';
import type { AgentRequest, HubAgent, HubAttachment, HubConversation, HubEvent, HubMessage, HubDelivery } from '../shared/hub/agentProtocol';
import type { Said } from '../shared/serverErrors';
import type { Db } from '../platform/sqlite';
import type { HubConfig } from './config';

/** Who wrote in, as the channel identifies them. */
export interface InboundContact {
  /** The channel's address: E.164 phone, page-scoped id, X user id, widget visitor id, in-app user id, email. */
  address: string;
  displayName?: string | null;
  email?: string | null;
  phone?: string | null;
  /** Only for an in-app user whose id the product's backend signed (HMAC checked by the widget module). */
  verifiedAccountId?: string | null;
}

export interface InboundMessage {
  channel: Channel;
  /**
   * The provider's id for this message (Twilio MessageSid, Meta `mid`, X event id, the widget's
   * client message id). A replay with the same (channel, providerId) is stored once.
   */
  providerId: string;
  /** Which conversation on the channel this continues: the widget conversation id, the phone pair, the PSID. */
  threadKey: string;
  contact: InboundContact;
  text: string;
  attachments?: HubAttachment[];
  receivedAt: number;
  /** A public comment or mention rather than a private message: a ticket with an acknowledgment draft. */
  isPublic?: boolean;
  subject?: string;
  /** A draft reply offered to the agent (the acknowledgment for public complaints). */
  suggestedReply?: string | null;
  /** Channel extras. `visitorId` (widget and portal visitors) links a contact to the articles it read. */
  metadata?: Record<string, unknown>;
}

export interface IngestResult {
  /** True when (channel, providerId) was already stored: nothing new was written or routed. */
  duplicate: boolean;
  conversationId: number;
  messageId: number;
}

/** A message an agent wrote that a channel module must carry to the customer. */
export interface OutboundMessage {
  conversation: HubConversation;
  message: HubMessage;
}

export interface DeliveryOutcome {
  status: Extract<HubDelivery, 'sent' | 'delivered' | 'failed'>;
  /** The provider's id for the sent message (MessageSid, message_id), so status callbacks can find it. */
  providerId?: string | null;
  /** Why it failed, in a sentence; with `retry`, when to try again. */
  detail?: string | Said | null;
  /** A transient failure: the core retries with backoff. */
  retry?: boolean;
}

export interface ChannelSender {
  channels: readonly Channel[];
  deliver(out: OutboundMessage): Promise<DeliveryOutcome>;
}

/** Live signals the widget cares about, emitted by the core. */
export interface ConversationObserver {
  agentTyping?(conversationId: number, agentName: string, typing: boolean): void;
  /** An outgoing agent message was stored (the widget pushes it to a connected visitor). */
  agentMessage?(conversation: HubConversation, message: HubMessage): void;
  resolved?(conversation: HubConversation): void;
  /**
   * A new (not replayed) inbound message was committed. The portal uses it for deflection: a
   * contact whose `metadata.visitorId` viewed an article within the window is not deflected.
   */
  inbound?(conversation: HubConversation, message: HubMessage, inbound: InboundMessage): void;
  /**
   * The same new inbound message, inside the transaction that stores it (before `inbound`): for a
   * module's own rows that belong with the message, so they commit with it instead of on their
   * own. Database writes only. What it throws is rolled back (a savepoint) and logged; the
   * message is stored all the same.
   */
  inboundStored?(conversation: HubConversation, message: HubMessage, inbound: InboundMessage): void;
  /**
   * A GDPR erase of these conversations and contact addresses, inside its transaction, before the
   * core deletes the rows: a module removes what only it knows of (files on disk, after the commit)
   * and returns how many files go.
   */
  erasing?(scope: { conversationIds: number[]; addresses: string[] }): number | void;
}

/** Upload ids of an agent's message → its attachments, for a conversation (see registerAttachments). */
export type AttachmentResolver = (conversation: HubConversation, uploadIds: readonly string[]) => HubAttachment[];
/** A module took an inbound message for itself (a reply "4" to a survey): it is no conversation message. */
export interface InboundClaim {
  /** The module that took it ("csat"). */
  by: string;
  conversationId: number;
}

/**
 * Looks at an inbound SMS or social message before it is stored; returns a claim to take it (its own
 * writes then commit in the same transaction), or null to let it through as an ordinary message.
 */
export type InboundClaimer = (message: InboundMessage) => InboundClaim | null;

/** A rating link for a desktop's survey email, or why none is issued (already rated, asked recently, surveys off). */
export type SurveyLinkResult = { url: string; expiresAt: number; reason: null } | { url: null; expiresAt: null; reason: string };
export type SurveyLinkProvider = (conversationId: number, agentId: number) => SurveyLinkResult;

export interface HubConversations {
  /**
   * Stores the message (and its contact and conversation) in this event-loop turn's transaction,
   * committed once for the whole turn (group commit). Nothing the hub sends, and no HTTP response,
   * leaves before that commit; a module's own output waits with afterCommit. Routing runs after it.
   */
  ingestInbound(message: InboundMessage): IngestResult;
  conversation(id: number): HubConversation | null;
  /** Messages of a conversation after a message id, oldest first (the widget's resume). */
  messagesAfter(conversationId: number, afterMessageId: number, limit?: number): HubMessage[];
  /** A provider's status callback: find the outgoing message by the provider id its sender returned. */
  updateDeliveryByProviderId(channel: Channel, providerId: string, status: HubDelivery, detail?: string | Said | null): boolean;
  /** Stores an automatic answer (auto-responder) as an outgoing bot message and delivers it like a reply, once per key. */
  postBotMessage(conversationId: number, text: string, idempotencyKey: string): HubMessage;
  visitorTyping(conversationId: number, typing: boolean): void;
  recordCsat(conversationId: number, rating: number, comment: string | null): void;
  registerSender(sender: ChannelSender): void;
  /**
   * How an agent's message names its files: upload ids (from the module that stored them) turned
   * into the message's attachments. Throws a HubError with a sentence for an id it does not know.
   */
  registerAttachments(resolve: AttachmentResolver): void;
  /** Registers a claimer asked about every SMS and social message before it is stored (claimInbound). */
  addInboundClaimer(claimer: InboundClaimer): () => void;
  /** Asks the claimers, in one transaction with their writes; null: store it as an ordinary message. */
  claimInbound(message: InboundMessage): InboundClaim | null;
  /** The module that answers desktops' `csatSurvey` requests (one). */
  provideSurveyLinks(provider: SurveyLinkProvider): void;
  observe(observer: ConversationObserver): () => void;
  /**
   * Runs fn as one change: the calls above made inside it (ingestInbound, recordCsat…) and the
   * module's own writes commit together, or not at all when fn throws. Observers, routing and
   * agents' events follow the commit.
   */
  transaction<T>(fn: () => T): T;
  /**
   * Runs fn once what is written now has committed (at once when nothing waits for a commit): how
   * a module acknowledges only what is stored. `failed` runs instead if that commit fails.
   */
  afterCommit(fn: () => void, failed?: () => void): void;

  // Live calls (the voice module): a call is a conversation rung to one agent at a time.
  /** Open conversations (any channel) of contacts reached at this E.164 number, newest first. */
  openConversationsByPhone(phone: string): HubConversation[];
  /** How a conversation routes: the IVR's issue type, a VIP caller, the caller's language. */
  setRouting(conversationId: number, routing: { issueType?: IssueType; vip?: boolean; language?: string | null }): void;
  /** The agent the routing engine would offer it to now (no offer is made), with the reasons; null when nobody fits. */
  pickAgent(conversationId: number): { agentId: number; reasons: string[] } | null;
  /** Gives the conversation to an agent directly (the one a call rings), with their `assigned` event. */
  assignTo(conversationId: number, agentId: number, note?: string | null): void;
  /** Back to its queue, offered like any other (a call nobody answered, left as a voicemail). */
  requeue(conversationId: number, reason: Said): void;
  /** An internal note shown to agents (a caller's note left through the IVR). */
  addNote(conversationId: number, text: string, authorName: string, metadata?: Record<string, unknown>): HubMessage;
  /** The agent's open phone conversation with this number, or a new one assigned to them (an outbound call). */
  outboundConversation(agentId: number, phone: string, subject: string): number;
  /** An agent who can be given work (not disabled), or null. */
  agent(agentId: number): HubAgent | null;
  /** A durable event for one agent (voice: `call`, `voicemail`), in the open transaction. */
  notifyAgent(agentId: number, event: HubEvent): void;
}

export interface HubLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface HubContext {
  config: HubConfig;
  db: Db;
  conversations: HubConversations;
  /** The hub's clock (tests move it). */
  now: () => number;
  log: HubLog;
  /** The URL the hub is reachable at (for links in widget scripts and portal pages). */
  publicUrl: () => string;
  /** The signed-in agent a session token belongs to (for agent-only HTTP routes such as attachment downloads), or null. */
  agentForToken: (token: string) => HubAgent | null;
  /** The channel configuration now (hours, auto-reply texts, costs); changes when an admin saves. */
  channelMatrix: () => ChannelMatrix;
}

/** A module owns some HTTP paths and WebSocket paths of the hub's one server. */
export interface HubModule {
  name: string;
  /** Handles a request it owns and returns true; returns false to let the next module look. The body is unread. */
  handleHttp?(req: IncomingMessage, res: ServerResponse, url: URL): boolean | Promise<boolean>;
  /** Takes a WebSocket upgrade it owns (by path) and returns true. */
  handleUpgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): boolean;
  /** Answers an agent request it owns (voice: callControl, transferCall); null for requests it does not own. */
  agentRequest?(agent: HubAgent, req: AgentRequest): Promise<unknown> | null;
  close?(): Promise<void> | void;
}

export type HubModuleFactory = (ctx: HubContext) => HubModule;
