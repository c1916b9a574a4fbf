// Conversations as the channel modules and agents change them: inbound messages (committed before
// the caller acknowledges, routed after), agents' sends (stored once per idempotency key, then
// delivered), transfer, escalation, resolution, CSAT and the desktops' email announcements.
// Every change and the agent events it produces commit in one transaction.
import { z } from 'zod';
import { Channel, type IssueType } from '../../shared/domain';
import { applyHandoff, DEFAULT_HANDOFF_RULES, type HandoffEvent, type HandoffRule } from '../../shared/cases/handoff';
import {
  HubAttachment,
  MAX_MESSAGE_TEXT,
  type AgentRequest,
  type ContextBundle,
  type DirectoryAgent,
  type HubConversation,
  type HubDelivery,
  type HubAgent,
  type HubEvent,
  type HubMessage,
} from '../../shared/hub/agentProtocol';
import { publicConversation, type AgentRecord, type ConversationRecord, type HubStore } from '../store/hubStore';
import type { AttachmentResolver, ChannelSender, ConversationObserver, HubConversations, HubLog, InboundClaim, InboundClaimer, InboundMessage, IngestResult, SurveyLinkProvider, SurveyLinkResult } from '../services';
import { hubAgentOf } from './accounts';
import type { DeliveryWorker } from './delivery';
import type { EventLog } from './events';
import { compact, eraseRows, eraseScope } from './erase';
import { HubError } from './errors';
import type { PresenceBook } from './presence';
import type { RoutingAuthority } from './routing';
import { say, type Said } from '../../shared/serverErrors';
import { detailOf, englishOf, sentenceKeyOf, serverAuthorName, type StoredReason } from '../../shared/storedSentence';

/** An `unassigned` event: the English reason (older desktops) and its catalog key and params. */
const unassigned = (conversationId: number, reason: Said) =>
  ({ type: 'unassigned', conversationId, reason: reason.message, reasonText: sentenceKeyOf(reason) }) as const;

const InboundSchema = z.object({
  channel: Channel,
  providerId: z.string().min(1).max(512),
  threadKey: z.string().min(1).max(512),
  contact: z.object({
    address: z.string().min(1).max(320),
    displayName: z.string().max(320).nullish(),
    email: z.string().max(320).nullish(),
    phone: z.string().max(64).nullish(),
    verifiedAccountId: z.string().max(256).nullish(),
  }),
  text: z.string().max(MAX_MESSAGE_TEXT),
  attachments: z.array(HubAttachment).max(50).optional(),
  receivedAt: z.number().int().nonnegative(),
  isPublic: z.boolean().optional(),
  subject: z.string().max(998).optional(),
  suggestedReply: z.string().max(MAX_MESSAGE_TEXT).nullish(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

type SendRequest = Extract<AgentRequest, { type: 'send' }>;
type TransferRequest = Extract<AgentRequest, { type: 'transfer' }>;
type AnnounceRequest = Extract<AgentRequest, { type: 'announceEmail' }>;
type EraseRequest = Extract<AgentRequest, { type: 'eraseCustomer' }>;

const PRESENCE_WORDS: Record<string, string> = { busy: 'busy', away: 'away', on_call: 'on a call', wrap_up: 'in wrap-up', offline: 'offline' };

/** Why an agent cannot take a conversation now: the directory's sentence, and what the refusal sentences need. */
interface Unavailable {
  code: 'agent/offline' | 'agent/at-capacity';
  sentence: string;
  why: { kind: 'Offline'; agent: string } | { kind: 'Presence'; agent: string; presence: string } | { kind: 'Full'; agent: string; current: number; capacity: number; channel: Channel };
}

/** "Lee is away": the transfer dialog's reason, as a catalog key with its params. */
function directorySentence({ why }: Unavailable): { key: string; params: Record<string, string | number> } {
  const { key, params } = why.kind === 'Offline' ? say('agentOffline', { agent: why.agent }) : why.kind === 'Presence' ? say('agentPresence', { agent: why.agent, presence: why.presence }) : say('agentFull', { agent: why.agent, current: why.current, capacity: why.capacity, channel: why.channel });
  return { key, params: { ...params } };
}

/** "Lee is away; the conversation stays with you." (a transfer) / "… stays where it is." (a supervisor's reassign). */
function refusalSentence(refusal: Unavailable, action: 'transfer' | 'reassign'): Said {
  const { why } = refusal;
  switch (why.kind) {
    case 'Offline':
      return say(`${action}Offline`, { agent: why.agent });
    case 'Presence':
      return say(`${action}Presence`, { agent: why.agent, presence: why.presence });
    case 'Full':
      return say(`${action}Full`, { agent: why.agent, current: why.current, capacity: why.capacity, channel: why.channel });
  }
}

export interface LiveSignals {
  /** A customer is typing in a conversation (not stored; goes to the assigned agent's open sockets). */
  customerTyping(conversation: ConversationRecord, typing: boolean): void;
}

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** The longest history an escalation's handoff note carries (as the escalate request allows from a desktop). */
const MAX_HISTORY_NOTE = 20_000;

function subjectFrom(text: string): string {
  const line = text.trim().split('\n', 1)[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

export class ConversationService implements HubConversations {
  private readonly observers = new Set<ConversationObserver>();
  private readonly claimers = new Set<InboundClaimer>();
  private surveyLinks: SurveyLinkProvider | null = null;
  routing!: RoutingAuthority;
  /** The channel configuration's handoff rules (the current matrix); an escalation keeps what they say. */
  handoffRules: () => readonly HandoffRule[] = () => DEFAULT_HANDOFF_RULES;
  live: LiveSignals = { customerTyping: () => {} };

  constructor(
    private readonly store: HubStore,
    private readonly events: EventLog,
    private readonly presence: PresenceBook,
    private readonly delivery: DeliveryWorker,
    private readonly now: () => number,
    private readonly log: HubLog,
  ) {}

  // The seams channel modules use (services.ts).

  ingestInbound(input: InboundMessage): IngestResult {
    const parsed = InboundSchema.safeParse(input);
    if (!parsed.success) {
      throw new HubError('inbound/invalid', `The inbound message was not stored: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`);
    }
    const m = parsed.data;
    const now = this.now();
    const result = this.events.tx((): IngestResult & { route: boolean } => {
      const seen = this.store.inboundByProvider(m.channel, m.providerId);
      if (seen) return { duplicate: true, conversationId: seen.conversationId, messageId: seen.messageId, route: false };
      const contactId = this.store.upsertContact(m.channel, m.contact, now);
      let conv = this.store.openConversation(m.channel, m.threadKey);
      if (!conv) {
        const last = this.store.latestConversation(m.channel, m.threadKey);
        if (last && this.store.reopen(last.id, now)) conv = this.store.conversation(last.id);
      }
      const conversationId =
        conv?.id ??
        this.store.insertConversation(
          {
            channel: m.channel,
            contactId,
            threadKey: m.threadKey,
            subject: m.subject ?? subjectFrom(m.text),
            isPublic: m.isPublic ?? false,
            suggestedReply: m.suggestedReply ?? null,
          },
          now,
        );
      const message = this.store.insertMessage({
        conversationId,
        channel: m.channel,
        direction: 'in',
        authorType: 'customer',
        authorName: m.contact.displayName ?? m.contact.address,
        text: m.text,
        attachments: m.attachments ?? [],
        metadata: m.metadata ?? null,
        createdAt: m.receivedAt,
        providerId: m.providerId,
      });
      const fresh = this.store.conversation(conversationId)!;
      if (fresh.status === 'assigned' && fresh.assignedAgentId !== null) this.events.append(fresh.assignedAgentId, { type: 'message', message });
      this.emitStored(publicConversation(fresh), message, input);
      this.events.afterCommit(() => this.emit((o) => o.inbound?.(publicConversation(fresh), message, input)));
      return { duplicate: false, conversationId, messageId: message.id, route: fresh.status === 'waiting' };
    });
    if (result.route) this.routing.routeSoon();
    return { duplicate: result.duplicate, conversationId: result.conversationId, messageId: result.messageId };
  }

  conversation(id: number): HubConversation | null {
    const c = this.store.conversation(id);
    return c ? publicConversation(c) : null;
  }

  /** The customer's view: internal notes are never included. */
  messagesAfter(conversationId: number, afterMessageId: number, limit = 200): HubMessage[] {
    return this.store.customerMessagesAfter(conversationId, afterMessageId, Math.max(1, Math.min(limit, 1000)));
  }

  updateDeliveryByProviderId(channel: Channel, providerId: string, status: HubDelivery, detail: string | Said | null = null): boolean {
    const found = this.store.outboundByProvider(channel, providerId);
    if (!found) return false;
    // Status callbacks arrive out of order: never step back from delivered/read.
    const rank: Record<HubDelivery, number> = { stored: 0, sent: 1, failed: 1, delivered: 2, read: 3 };
    if (found.delivery !== null && rank[status] < rank[found.delivery]) return true;
    this.events.tx(() => {
      this.store.setDelivery(found.messageId, status, detail);
      this.notifyDelivery(found.conversationId, found.messageId, status, detail);
    });
    return true;
  }

  visitorTyping(conversationId: number, typing: boolean): void {
    const conv = this.store.conversation(conversationId);
    if (conv) this.live.customerTyping(conv, typing);
  }

  recordCsat(conversationId: number, rating: number, comment: string | null): void {
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new HubError('csat/invalid', say('ratingInvalid'));
    const conv = this.store.conversation(conversationId);
    if (!conv) throw new HubError('conversation/not-found', say('conversationMissing', { conversationId }));
    const agentId = conv.assignedAgentId ?? conv.lastAgentId;
    const text = comment === null ? null : comment.slice(0, 5000);
    this.events.tx(() => {
      this.store.recordCsat(conversationId, rating, text, agentId, this.now());
      if (agentId !== null) this.events.append(agentId, { type: 'csat', conversationId, rating, comment: text });
    });
  }

  registerSender(sender: ChannelSender): void {
    this.delivery.register(sender);
  }

  addInboundClaimer(claimer: InboundClaimer): () => void {
    this.claimers.add(claimer);
    return () => this.claimers.delete(claimer);
  }

  claimInbound(message: InboundMessage): InboundClaim | null {
    if (this.claimers.size === 0) return null;
    return this.events.tx(() => {
      for (const claimer of this.claimers) {
        const claim = claimer(message);
        if (claim) return claim;
      }
      return null;
    });
  }

  provideSurveyLinks(provider: SurveyLinkProvider): void {
    this.surveyLinks = provider;
  }

  /** A desktop's `csatSurvey` request: the agent must be allowed to see the conversation. */
  surveyLink(agent: AgentRecord, conversationId: number): SurveyLinkResult {
    this.owned(agent, conversationId);
    if (!this.surveyLinks) return { url: null, expiresAt: null, reason: 'Satisfaction surveys are off on this hub.' };
    return this.surveyLinks(conversationId, agent.id);
  }

  private attachmentResolver: AttachmentResolver | null = null;

  registerAttachments(resolve: AttachmentResolver): void {
    this.attachmentResolver = resolve;
  }

  observe(observer: ConversationObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  transaction<T>(fn: () => T): T {
    return this.events.tx(fn);
  }

  afterCommit(fn: () => void, failed?: () => void): void {
    this.events.afterCommit(fn, failed);
  }

  // Live calls (the voice module's seams).

  openConversationsByPhone(phone: string): HubConversation[] {
    return this.store.openConversationsByPhone(phone).map(publicConversation);
  }

  setRouting(conversationId: number, routing: { issueType?: IssueType; vip?: boolean; language?: string | null }): void {
    this.events.tx(() => this.store.setRouting(conversationId, routing, this.now()));
  }

  pickAgent(conversationId: number): { agentId: number; reasons: string[] } | null {
    return this.routing.pickNow(conversationId);
  }

  assignTo(conversationId: number, agentId: number, note: string | null = null): void {
    const conv = this.store.conversation(conversationId);
    if (!conv) throw new HubError('conversation/not-found', say('conversationMissing', { conversationId }));
    const target = this.store.agent(agentId);
    if (!target || target.disabled) throw new HubError('agent/not-found', say('agentMissing', { agentId }));
    if (conv.status === 'assigned' && conv.assignedAgentId === agentId) return;
    const now = this.now();
    const from = conv.assignedAgentId;
    this.events.tx(() => {
      this.cancelPendingOffer(conv.id, now);
      this.store.assign(conv.id, agentId, now, { handoffNote: note });
      this.store.contactHandled(conv.contact.id, agentId, now);
      if (from !== null && from !== agentId) this.events.append(from, unassigned(conv.id, say('movedTo', { agent: target.displayName })));
      this.events.append(agentId, { type: 'assigned', via: from !== null && from !== agentId ? 'transfer' : 'accept', bundle: this.bundle(conv.id) });
    });
  }

  requeue(conversationId: number, reason: Said): void {
    const conv = this.store.conversation(conversationId);
    if (!conv) throw new HubError('conversation/not-found', say('conversationMissing', { conversationId }));
    const now = this.now();
    this.events.tx(() => {
      this.cancelPendingOffer(conv.id, now);
      this.store.toQueue(conv.id, now, { queueChannel: conv.queueChannel });
      if (conv.assignedAgentId !== null) this.events.append(conv.assignedAgentId, unassigned(conv.id, reason));
    });
    this.routing.routeSoon();
  }

  addNote(conversationId: number, text: string, authorName: string, metadata: Record<string, unknown> = {}): HubMessage {
    const conv = this.store.conversation(conversationId);
    if (!conv) throw new HubError('conversation/not-found', say('conversationMissing', { conversationId }));
    return this.events.tx(() => {
      const stored = this.store.insertMessage({
        conversationId: conv.id,
        channel: conv.channel,
        direction: 'internal',
        authorType: 'system',
        authorName,
        text: text.slice(0, MAX_MESSAGE_TEXT),
        metadata,
        createdAt: this.now(),
      });
      const agentId = conv.assignedAgentId ?? conv.lastAgentId;
      if (agentId !== null) this.events.append(agentId, { type: 'message', message: stored });
      return stored;
    });
  }

  outboundConversation(agentId: number, phone: string, subject: string): number {
    const agent = this.store.agent(agentId);
    if (!agent || agent.disabled) throw new HubError('agent/not-found', say('agentMissing', { agentId }));
    const now = this.now();
    return this.events.tx(() => {
      const contactId = this.store.upsertContact('phone', { address: phone, phone }, now);
      const open = this.store.openConversation('phone', phone);
      const id = open?.id ?? this.store.insertConversation({ channel: 'phone', contactId, threadKey: phone, subject }, now);
      const conv = this.store.conversation(id)!;
      if (conv.assignedAgentId !== agentId) {
        this.cancelPendingOffer(id, now);
        this.store.assign(id, agentId, now);
        this.store.contactHandled(contactId, agentId, now);
        if (conv.assignedAgentId !== null) this.events.append(conv.assignedAgentId, unassigned(id, say('movedCalled', { agent: agent.displayName })));
        this.events.append(agentId, { type: 'assigned', via: 'accept', bundle: this.bundle(id) });
      }
      return id;
    });
  }

  agent(agentId: number): HubAgent | null {
    const a = this.store.agent(agentId);
    return a && !a.disabled ? hubAgentOf(a) : null;
  }

  notifyAgent(agentId: number, event: HubEvent): void {
    this.events.tx(() => this.events.append(agentId, event));
  }

  /** inboundStored observers, each in a savepoint of the open transaction: a failure undoes only its own writes. */
  private emitStored(conversation: HubConversation, message: HubMessage, input: InboundMessage): void {
    for (const o of this.observers) {
      if (!o.inboundStored) continue;
      try {
        this.store.tx(() => o.inboundStored!(conversation, message, input));
      } catch (e) {
        this.log.error('A conversation observer failed', e);
      }
    }
  }

  emit(fn: (o: ConversationObserver) => void): void {
    for (const o of this.observers) {
      try {
        fn(o);
      } catch (e) {
        this.log.error('A conversation observer failed', e);
      }
    }
  }

  // What agents do (the gateway's requests).

  bundle(conversationId: number): ContextBundle {
    const conv = this.store.conversation(conversationId);
    if (!conv) throw new HubError('conversation/not-found', say('conversationMissing', { conversationId }));
    return {
      conversation: publicConversation(conv),
      messages: this.store.messages(conversationId),
      handoffNote: conv.handoffNote,
      escalationReason: conv.escalationReason,
      suggestedReply: conv.suggestedReply,
    };
  }

  private existing(conversationId: number): ConversationRecord {
    const conv = this.store.conversation(conversationId);
    if (!conv) throw new HubError('conversation/not-found', say('conversationMissing', { conversationId }));
    return conv;
  }

  private owned(agent: AgentRecord, conversationId: number): ConversationRecord {
    const conv = this.store.conversation(conversationId);
    if (!conv) throw new HubError('conversation/not-found', say('conversationMissing', { conversationId }));
    if (conv.assignedAgentId !== agent.id && agent.role === 'agent') {
      throw new HubError('conversation/not-yours', say('conversationNotYours'));
    }
    return conv;
  }

  send(agent: AgentRecord, req: SendRequest): { message: HubMessage; duplicate: boolean } {
    const retried = this.store.messageByIdempotencyKey(req.idempotencyKey);
    if (retried) return this.retried(retried, req);
    const internal = req.internal;
    // An internal note is for the team: any agent may add one (a mentioned agent answering); a reply only its holder.
    const conv = internal ? this.existing(req.conversationId) : this.owned(agent, req.conversationId);
    const now = this.now();
    const mentioned = this.mentionTargets(agent, req.mentions ?? [], internal);
    const uploads = req.uploads ?? [];
    if (uploads.length > 0 && !this.attachmentResolver) throw new HubError('send/attachments', say('filesNotOnHub'));
    const attachments = uploads.length > 0 ? this.attachmentResolver!(publicConversation(conv), uploads) : [];
    // Email leaves from the desktop itself; the hub keeps the copy. Other channels go through their module's sender.
    const hubDelivers = !internal && conv.channel !== 'email';
    let message: HubMessage;
    try {
      message = this.events.tx(() => {
        const stored = this.store.insertMessage({
          conversationId: conv.id,
          channel: conv.channel,
          direction: internal ? 'internal' : 'out',
          authorType: 'agent',
          authorAgentId: agent.id,
          authorName: agent.displayName,
          text: req.text,
          ...(attachments.length ? { attachments } : {}),
          createdAt: now,
          idempotencyKey: req.idempotencyKey,
          delivery: internal ? null : 'stored',
          nextAttemptAt: hubDelivers ? now : null,
        });
        const to = new Set([agent.id]);
        if (conv.assignedAgentId !== null) to.add(conv.assignedAgentId);
        for (const id of to) this.events.append(id, { type: 'message', message: stored });
        if (mentioned.length > 0) {
          const bundle = this.bundle(conv.id);
          for (const target of mentioned) {
            this.events.append(target.id, { type: 'mentioned', conversationId: conv.id, messageId: stored.id, by: agent.displayName, bundle });
          }
        }
        return stored;
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const again = this.store.messageByIdempotencyKey(req.idempotencyKey);
      if (!again) throw e;
      return this.retried(again, req);
    }
    if (!internal) this.emit((o) => o.agentMessage?.(publicConversation(conv), message));
    if (hubDelivers) this.delivery.kick();
    return { message, duplicate: false };
  }

  /**
   * An automatic answer (auto-responder, bot): stored as an outgoing bot message the agents see in
   * the conversation, and delivered through the channel's sender like a reply — once per key.
   */
  postBotMessage(conversationId: number, text: string, idempotencyKey: string): HubMessage {
    const retried = this.store.messageByIdempotencyKey(idempotencyKey);
    if (retried) return retried;
    const conv = this.store.conversation(conversationId);
    if (!conv) throw new HubError('conversation/not-found', say('conversationMissing', { conversationId }));
    const now = this.now();
    const hubDelivers = conv.channel !== 'email';
    const message = this.events.tx(() => {
      const stored = this.store.insertMessage({
        conversationId: conv.id,
        channel: conv.channel,
        direction: 'out',
        authorType: 'bot',
        authorAgentId: null,
        authorName: serverAuthorName('authorAutoAnswer'),
        text,
        createdAt: now,
        idempotencyKey,
        delivery: 'stored',
        nextAttemptAt: hubDelivers ? now : null,
      });
      if (conv.assignedAgentId !== null) this.events.append(conv.assignedAgentId, { type: 'message', message: stored });
      return stored;
    });
    this.emit((o) => o.agentMessage?.(publicConversation(conv), message));
    if (hubDelivers) this.delivery.kick();
    return message;
  }

  private retried(stored: HubMessage, req: SendRequest): { message: HubMessage; duplicate: boolean } {
    if (stored.conversationId !== req.conversationId) {
      throw new HubError('send/key-reused', say('keyReused'));
    }
    return { message: stored, duplicate: true };
  }

  notifyDelivery(conversationId: number, messageId: number, status: HubDelivery, detail: string | Said | StoredReason | null): void {
    const conv = this.store.conversation(conversationId);
    const message = this.store.message(messageId);
    const agentId = conv?.assignedAgentId ?? conv?.lastAgentId ?? null;
    if (agentId === null || !message) return;
    // A keyed detail goes with its key, and the keys of the reasons inside it (the one a delivery gave up on).
    const keyed = typeof detail === 'string' || detail === null ? null : detailOf(detail);
    this.events.append(agentId, { type: 'delivery', conversationId, messageId, idempotencyKey: message.idempotencyKey, status, detail: englishOf(detail), ...(keyed?.detailText ? { detailText: keyed.detailText } : {}) });
  }

  private cancelPendingOffer(conversationId: number, now: number): void {
    const offer = this.store.pendingOfferOf(conversationId);
    if (!offer) return;
    this.store.closeOffer(offer.id, 'cancelled', now);
    this.events.append(offer.agentId, { type: 'offerWithdrawn', offerId: offer.id, conversationId, reason: 'cancelled' });
  }

  transfer(agent: AgentRecord, req: TransferRequest): { transferred: boolean } {
    const conv = this.owned(agent, req.conversationId);
    if (conv.status === 'resolved') throw new HubError('conversation/resolved', say('transferResolved'));
    const now = this.now();
    const note = req.note?.trim() || null;
    const from = conv.assignedAgentId;
    if ('agentId' in req.to) {
      const target = this.store.agent(req.to.agentId);
      if (!target || target.disabled) throw new HubError('agent/not-found', say('transferNoAgent', { agentId: req.to.agentId }));
      if (target.id === from) return { transferred: false };
      const refusal = this.unavailableReason(target, conv.queueChannel ?? conv.channel);
      if (refusal) throw new HubError(refusal.code, refusalSentence(refusal, 'transfer'));
      this.events.tx(() => {
        this.cancelPendingOffer(conv.id, now);
        this.store.assign(conv.id, target.id, now, { handoffNote: note });
        this.store.contactHandled(conv.contact.id, target.id, now);
        if (from !== null) this.events.append(from, unassigned(conv.id, say('movedTransferred', { agent: target.displayName })));
        this.events.append(target.id, { type: 'assigned', via: 'transfer', bundle: this.bundle(conv.id) });
      });
      return { transferred: true };
    }
    const queue = req.to.queue;
    this.events.tx(() => {
      this.cancelPendingOffer(conv.id, now);
      this.store.toQueue(conv.id, now, { queueChannel: queue === conv.channel ? null : queue, handoffNote: note });
      if (from !== null) {
        this.events.append(from, unassigned(conv.id, say('movedToQueue', { queue })));
        // The agent who handed it back is not offered it again this round.
        const round = this.store.conversation(conv.id)!.routeRound;
        const pass = this.store.insertOffer({ conversationId: conv.id, agentId: from, round, reasons: ['transferred away'], expiresAt: now }, now);
        this.store.closeOffer(pass.id, 'cancelled', now);
      }
    });
    this.routing.routeSoon();
    return { transferred: true };
  }

  /** Why a transfer to `target` on `channel` would be refused now (offline, away, full), or null. */
  private unavailableReason(target: AgentRecord, channel: Channel, load?: Partial<Record<Channel, number>>): Unavailable | null {
    const state = this.presence.state(target.id, target, load ? new Map([[target.id, load]]) : undefined);
    const agent = target.displayName;
    if (!state.connected || state.presence === 'offline') return { code: 'agent/offline', sentence: `${agent} is offline`, why: { kind: 'Offline', agent } };
    if (state.presence !== 'available') {
      return { code: 'agent/offline', sentence: `${agent} is ${PRESENCE_WORDS[state.presence] ?? state.presence}`, why: { kind: 'Presence', agent, presence: state.presence } };
    }
    const capacity = state.capacity[channel];
    const current = state.load[channel] ?? 0;
    if (capacity !== undefined && current >= capacity) {
      return { code: 'agent/at-capacity', sentence: `${agent} already has ${current} of ${capacity} ${channel} conversations`, why: { kind: 'Full', agent, current, capacity, channel } };
    }
    return null;
  }

  /** Every enabled agent, for the transfer dialog and @mentions; `forChannel` decides who could take a transfer now. */
  directory(forChannel: Channel = 'chat'): DirectoryAgent[] {
    const loads = this.store.loads();
    return this.store
      .agents()
      .filter((a) => !a.disabled)
      .map((a) => {
        const state = this.presence.state(a.id, a, loads);
        const refusal = this.unavailableReason(a, forChannel, state.load);
        return {
          agentId: a.id,
          displayName: a.displayName,
          role: a.role,
          presence: state.presence,
          connected: state.connected,
          skills: a.skills,
          channels: Object.keys(a.channels) as Channel[],
          capacity: state.capacity,
          load: state.load,
          available: refusal === null,
          unavailableReason: refusal?.sentence ?? null,
          unavailableText: refusal ? directorySentence(refusal) : null,
        };
      });
  }

  /** The agents a note names, each once; an unknown one is refused (nothing is stored). */
  private mentionTargets(agent: AgentRecord, ids: readonly number[], internal: boolean): AgentRecord[] {
    if (ids.length === 0) return [];
    if (!internal) throw new HubError('mention/not-internal', say('mentionNotInternal'));
    const out: AgentRecord[] = [];
    for (const id of new Set(ids)) {
      const target = this.store.agent(id);
      if (!target || target.disabled) throw new HubError('agent/not-found', say('mentionNoAgent', { agentId: id }));
      // Writing your own name notifies nobody.
      if (target.id !== agent.id) out.push(target);
    }
    return out;
  }

  /** Opens a resolved conversation again; it is the reopening agent's (a supervisor gives it back to its last agent). */
  reopen(agent: AgentRecord, conversationId: number): { reopened: boolean } {
    const conv = this.store.conversation(conversationId);
    if (!conv) throw new HubError('conversation/not-found', say('conversationMissing', { conversationId }));
    const holder = conv.assignedAgentId ?? conv.lastAgentId;
    if (agent.role === 'agent' && holder !== null && holder !== agent.id) {
      throw new HubError('conversation/not-yours', say('reopenNotYours'));
    }
    if (conv.status !== 'resolved') {
      if (conv.assignedAgentId === agent.id) return { reopened: false };
      throw new HubError('conversation/not-resolved', say('reopenNotResolvedHub', { conversationId }));
    }
    const open = this.store.openConversation(conv.channel, conv.threadKey);
    if (open && open.id !== conv.id) {
      throw new HubError('conversation/superseded', say('reopenSuperseded', { conversationId: open.id }));
    }
    const owner = agent.role === 'agent' ? agent.id : (holder ?? agent.id);
    const now = this.now();
    this.events.tx(() => {
      this.store.assign(conv.id, owner, now);
      this.store.contactHandled(conv.contact.id, owner, now);
      this.events.append(owner, { type: 'reopened', conversationId: conv.id, by: agent.displayName });
    });
    return { reopened: true };
  }

  /**
   * Supervisors and admins: give a conversation to an agent (`take`: to themselves), whoever has it
   * now, with one line in the supervisor audit. Reassigning to an agent who is offline or full is
   * refused like a transfer; taking it is not (the supervisor decides to).
   */
  supervise(actor: AgentRecord, conversationId: number, targetId: number, action: 'reassign' | 'take'): { reassigned: boolean } {
    if (actor.role === 'agent') throw new HubError('auth/forbidden', say('reassignRole'));
    const conv = this.store.conversation(conversationId);
    if (!conv) throw new HubError('conversation/not-found', say('conversationMissing', { conversationId }));
    if (conv.status === 'resolved') throw new HubError('conversation/resolved', say('reassignResolved'));
    const target = this.store.agent(targetId);
    if (!target || target.disabled) throw new HubError('agent/not-found', say('reassignNoAgent', { agentId: targetId }));
    const from = conv.assignedAgentId;
    if (target.id === from) return { reassigned: false };
    if (action === 'reassign') {
      const refusal = this.unavailableReason(target, conv.queueChannel ?? conv.channel);
      if (refusal) throw new HubError(refusal.code, refusalSentence(refusal, 'reassign'));
    }
    const now = this.now();
    const fromName = from === null ? 'the queue' : (this.store.agent(from)?.displayName ?? `agent ${from}`);
    this.events.tx(() => {
      this.cancelPendingOffer(conv.id, now);
      this.store.assign(conv.id, target.id, now, { handoffNote: null });
      this.store.contactHandled(conv.contact.id, target.id, now);
      const reason = action === 'take' ? say('movedTaken', { actor: actor.displayName }) : say('movedReassigned', { agent: target.displayName, actor: actor.displayName });
      if (from !== null) this.events.append(from, unassigned(conv.id, reason));
      this.events.append(target.id, { type: 'assigned', via: 'transfer', bundle: this.bundle(conv.id) });
      this.audit(actor, action, conv.id, target.id, `from ${fromName} to ${target.displayName}`, now);
    });
    return { reassigned: true };
  }

  /** One line of the supervisor audit, in the caller's transaction. */
  audit(actor: AgentRecord, action: 'reassign' | 'take' | 'capacity', conversationId: number | null, agentId: number | null, detail: string, at = this.now()): void {
    this.store.db
      .prepare(`INSERT INTO supervisor_audit (at, supervisor_id, supervisor_name, action, conversation_id, agent_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(at, actor.id, actor.displayName, action, conversationId, agentId, detail);
  }

  /**
   * GDPR erase (supervisors and admins): the customers of the conversations, everything of theirs,
   * one audit line, and an event to every agent so each desktop erases its copy. Committed, then the
   * file is rewritten (VACUUM) before the answer, so nothing of them lingers in free pages.
   */
  eraseCustomer(agent: AgentRecord, req: EraseRequest): { conversations: number; messages: number; contacts: number; files: number } {
    if (agent.role === 'agent') throw new HubError('auth/forbidden', say('eraseRole', { agent: agent.displayName }));
    const db = this.store.db;
    const known = req.conversationIds.filter((id) => this.store.conversation(id) !== null);
    if (known.length === 0) return { conversations: 0, messages: 0, contacts: 0, files: 0 };
    // What is open commits first: the erase and its rewrite of the file are a step of their own.
    if (!this.events.flush()) throw new HubError('internal', say('eraseNotSaved'));
    const secureBefore = db.pragma('secure_delete', { simple: true }) as number;
    db.pragma('secure_delete = ON');
    try {
      const now = this.now();
      let files = 0;
      const counts = this.events.tx(() => {
        const scope = eraseScope(db, known);
        const offers = scope.conversationIds.map((id) => this.store.pendingOfferOf(id)).filter((o) => o !== null);
        for (const o of this.observers) if (o.erasing) files += o.erasing({ conversationIds: scope.conversationIds, addresses: scope.addresses }) ?? 0;
        const result = eraseRows(db, scope);
        // After the rows (which take the offers and their events with them): the offered desktops drop the offer.
        for (const offer of offers) this.events.append(offer.agentId, { type: 'offerWithdrawn', offerId: offer.id, conversationId: offer.conversationId, reason: 'cancelled' });
        const detail = Object.entries(result.removed)
          .map(([t, n]) => `${t} ${n}`)
          .join(', ');
        db.prepare(`INSERT INTO privacy_audit (at, agent_id, agent_name, action, reason, detail) VALUES (?, ?, ?, 'erase', ?, ?)`).run(
          now,
          agent.id,
          agent.displayName,
          req.reason,
          `Conversations ${scope.conversationIds.join(', ')}: ${detail}; ${files} uploaded files`,
        );
        for (const a of this.store.agents()) {
          if (!a.disabled) this.events.append(a.id, { type: 'customerErased', conversationIds: scope.conversationIds });
        }
        return result;
      });
      if (!this.events.flush()) throw new HubError('internal', say('eraseFailed'));
      compact(db);
      this.log.info(`${agent.displayName} erased ${counts.conversations} conversations, ${counts.messages} messages and ${counts.contacts} contacts (GDPR).`);
      this.routing.routeSoon();
      return { conversations: counts.conversations, messages: counts.messages, contacts: counts.contacts, files };
    } finally {
      db.pragma(`secure_delete = ${secureBefore ? 'ON' : 'OFF'}`);
    }
  }

  /** A senior agent free now, else a connected supervisor, else any senior agent or supervisor (they get it on reconnect). */
  private escalationTarget(fromId: number | null): AgentRecord | null {
    const loads = this.store.loads();
    const total = (id: number) => Object.values(loads.get(id) ?? {}).reduce((a, b) => a + (b ?? 0), 0);
    const candidates = this.store
      .agents()
      .filter((a) => !a.disabled && a.id !== fromId && (a.seniority === 'senior' || a.role !== 'agent'))
      .sort((a, b) => total(a.id) - total(b.id) || a.id - b.id);
    const supervisor = (a: AgentRecord) => a.role !== 'agent';
    return (
      candidates.find((a) => a.seniority === 'senior' && this.presence.presence(a.id) === 'available') ??
      candidates.find((a) => supervisor(a) && this.presence.isConnected(a.id)) ??
      candidates.find((a) => this.presence.isConnected(a.id)) ??
      candidates.find(supervisor) ??
      candidates[0] ??
      null
    );
  }

  /**
   * The history an escalation carries as its handoff note, when the current matrix's rule for the
   * conversation's channel → escalation keeps the whole history: the desktop's (every channel it holds),
   * else the hub's own messages. Null without such a rule: the reason goes alone.
   */
  private escalationHistory(conv: ConversationRecord, fromDesktop: string | undefined): string | null {
    const history: HandoffEvent[] = this.store.messages(conv.id).map((m) => ({
      id: m.id,
      channel: conv.channel,
      direction: m.direction,
      kind: m.direction === 'internal' ? 'note' : 'message',
      authorType: m.authorType,
      authorName: m.authorName,
      subject: null,
      body: m.text,
      occurredAt: m.createdAt,
    }));
    const result = applyHandoff(this.handoffRules(), conv.channel, 'escalation', history);
    if (!result.ok || result.bundle.kind !== 'whole_history') return null;
    const { from, to } = result.bundle.rule;
    // The hub's own copy is bounded like the desktop's (the protocol's 20,000 characters): the newest part is kept.
    const own = result.bundle.text;
    const cut = own.length - MAX_HISTORY_NOTE;
    const lineStart = own.indexOf('\n', cut);
    const text = fromDesktop ?? (cut > 0 ? `… (earlier history left out)\n${own.slice(lineStart < 0 ? cut : lineStart + 1)}` : own);
    return text.trim() === '' ? null : `Whole history (handoff rule ${from} → ${to}):\n${text}`;
  }

  escalate(agent: AgentRecord, conversationId: number, reason: string, history?: string): { escalatedTo: number | null } {
    const conv = this.owned(agent, conversationId);
    if (conv.status === 'resolved') throw new HubError('conversation/resolved', say('escalateResolved'));
    const now = this.now();
    const from = conv.assignedAgentId;
    const target = this.escalationTarget(from ?? agent.id);
    const handoffNote = this.escalationHistory(conv, history);
    this.events.tx(() => {
      this.cancelPendingOffer(conv.id, now);
      if (target) {
        this.store.assign(conv.id, target.id, now, { escalationReason: reason, handoffNote });
        this.events.append(target.id, { type: 'assigned', via: 'escalation', bundle: this.bundle(conv.id) });
      } else {
        this.store.toQueue(conv.id, now, { queueChannel: conv.queueChannel, escalationReason: reason, priority: 'high', handoffNote });
      }
      if (from !== null && from !== target?.id) {
        this.events.append(from, unassigned(conv.id, target ? say('movedEscalatedTo', { agent: target.displayName }) : say('movedEscalated')));
      }
    });
    if (!target) this.routing.routeSoon();
    return { escalatedTo: target?.id ?? null };
  }

  resolve(agent: AgentRecord, conversationId: number): { resolved: boolean } {
    const conv = this.owned(agent, conversationId);
    const now = this.now();
    const resolved = this.events.tx(() => {
      if (!this.store.resolve(conv.id, now)) return false;
      this.cancelPendingOffer(conv.id, now);
      const to = new Set([agent.id]);
      if (conv.assignedAgentId !== null) to.add(conv.assignedAgentId);
      for (const id of to) this.events.append(id, { type: 'resolved', conversationId: conv.id });
      return true;
    });
    if (resolved) {
      const fresh = this.store.conversation(conv.id)!;
      this.emit((o) => o.resolved?.(publicConversation(fresh)));
      // Capacity came free.
      this.routing.routeSoon();
    }
    return { resolved };
  }

  /** One conversation per Message-ID, however many desktops saw the mail. */
  announceEmail(req: AnnounceRequest): { conversationId: number; duplicate: boolean } {
    const now = this.now();
    const existing = this.store.conversationIdByEmailMessageId(req.messageId);
    if (existing !== null) return { conversationId: existing, duplicate: true };
    let id: number;
    try {
      id = this.events.tx(() => {
        const address = req.from.trim().toLowerCase();
        const contactId = this.store.upsertContact('email', { address, displayName: req.fromName, email: address }, now);
        const conversationId = this.store.insertConversation(
          { channel: 'email', contactId, threadKey: req.messageId, subject: req.subject, emailMessageId: req.messageId },
          now,
        );
        this.store.insertMessage({
          conversationId,
          channel: 'email',
          direction: 'in',
          authorType: 'customer',
          authorName: req.fromName ?? address,
          text: req.preview,
          createdAt: req.receivedAt,
          providerId: req.messageId,
        });
        return conversationId;
      });
    } catch (e) {
      const raced = isUniqueViolation(e) ? this.store.conversationIdByEmailMessageId(req.messageId) : null;
      if (raced === null) throw e;
      return { conversationId: raced, duplicate: true };
    }
    this.routing.routeSoon();
    return { conversationId: id, duplicate: false };
  }
}
