// Conversations as the channel modules and agents change them: inbound messages (committed before
// the caller acknowledges, routed after), agents' sends (stored once per idempotency key, then
// delivered), transfer, escalation, resolution, CSAT and the desktops' email announcements.
// Every change and the agent events it produces commit in one transaction.
import { z } from 'zod';
import { Channel } from '../../shared/domain';
import {
  HubAttachment,
  MAX_MESSAGE_TEXT,
  type AgentRequest,
  type ContextBundle,
  type HubConversation,
  type HubDelivery,
  type HubMessage,
} from '../../shared/hub/agentProtocol';
import { publicConversation, type AgentRecord, type ConversationRecord, type HubStore } from '../store/hubStore';
import type { AttachmentResolver, ChannelSender, ConversationObserver, HubConversations, HubLog, InboundMessage, IngestResult } from '../services';
import type { DeliveryWorker } from './delivery';
import type { EventLog } from './events';
import { HubError } from './errors';
import type { PresenceBook } from './presence';
import type { RoutingAuthority } from './routing';

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

export interface LiveSignals {
  /** A customer is typing in a conversation (not stored; goes to the assigned agent's open sockets). */
  customerTyping(conversation: ConversationRecord, typing: boolean): void;
}

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function subjectFrom(text: string): string {
  const line = text.trim().split('\n', 1)[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

export class ConversationService implements HubConversations {
  private readonly observers = new Set<ConversationObserver>();
  routing!: RoutingAuthority;
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

  updateDeliveryByProviderId(channel: Channel, providerId: string, status: HubDelivery, detail: string | null = null): boolean {
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
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new HubError('csat/invalid', 'A rating is a whole number from 1 to 5.');
    const conv = this.store.conversation(conversationId);
    if (!conv) throw new HubError('conversation/not-found', `There is no conversation ${conversationId}.`);
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
    if (!conv) throw new HubError('conversation/not-found', `There is no conversation ${conversationId}.`);
    return {
      conversation: publicConversation(conv),
      messages: this.store.messages(conversationId),
      handoffNote: conv.handoffNote,
      escalationReason: conv.escalationReason,
      suggestedReply: conv.suggestedReply,
    };
  }

  private owned(agent: AgentRecord, conversationId: number): ConversationRecord {
    const conv = this.store.conversation(conversationId);
    if (!conv) throw new HubError('conversation/not-found', `There is no conversation ${conversationId}.`);
    if (conv.assignedAgentId !== agent.id && agent.role === 'agent') {
      throw new HubError('conversation/not-yours', 'This conversation is assigned to someone else; ask a supervisor to transfer it.');
    }
    return conv;
  }

  send(agent: AgentRecord, req: SendRequest): { message: HubMessage; duplicate: boolean } {
    const retried = this.store.messageByIdempotencyKey(req.idempotencyKey);
    if (retried) return this.retried(retried, req);
    const conv = this.owned(agent, req.conversationId);
    const now = this.now();
    const internal = req.internal;
    const uploads = req.uploads ?? [];
    if (uploads.length > 0 && !this.attachmentResolver) throw new HubError('send/attachments', 'Files cannot be sent on this hub.');
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
    if (!conv) throw new HubError('conversation/not-found', `There is no conversation ${conversationId}.`);
    const now = this.now();
    const hubDelivers = conv.channel !== 'email';
    const message = this.events.tx(() => {
      const stored = this.store.insertMessage({
        conversationId: conv.id,
        channel: conv.channel,
        direction: 'out',
        authorType: 'bot',
        authorAgentId: null,
        authorName: 'Automatic answer',
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
      throw new HubError('send/key-reused', 'This idempotency key was already used for a message in another conversation.');
    }
    return { message: stored, duplicate: true };
  }

  notifyDelivery(conversationId: number, messageId: number, status: HubDelivery, detail: string | null): void {
    const conv = this.store.conversation(conversationId);
    const message = this.store.message(messageId);
    const agentId = conv?.assignedAgentId ?? conv?.lastAgentId ?? null;
    if (agentId === null || !message) return;
    this.events.append(agentId, { type: 'delivery', conversationId, messageId, idempotencyKey: message.idempotencyKey, status, detail });
  }

  private cancelPendingOffer(conversationId: number, now: number): void {
    const offer = this.store.pendingOfferOf(conversationId);
    if (!offer) return;
    this.store.closeOffer(offer.id, 'cancelled', now);
    this.events.append(offer.agentId, { type: 'offerWithdrawn', offerId: offer.id, conversationId, reason: 'cancelled' });
  }

  transfer(agent: AgentRecord, req: TransferRequest): { transferred: boolean } {
    const conv = this.owned(agent, req.conversationId);
    if (conv.status === 'resolved') throw new HubError('conversation/resolved', 'A resolved conversation cannot be transferred.');
    const now = this.now();
    const note = req.note?.trim() || null;
    const from = conv.assignedAgentId;
    if ('agentId' in req.to) {
      const target = this.store.agent(req.to.agentId);
      if (!target || target.disabled) throw new HubError('agent/not-found', `There is no agent ${req.to.agentId} to transfer to.`);
      if (target.id === from) return { transferred: false };
      this.events.tx(() => {
        this.cancelPendingOffer(conv.id, now);
        this.store.assign(conv.id, target.id, now, { handoffNote: note });
        this.store.contactHandled(conv.contact.id, target.id, now);
        if (from !== null) this.events.append(from, { type: 'unassigned', conversationId: conv.id, reason: `Transferred to ${target.displayName}` });
        this.events.append(target.id, { type: 'assigned', via: 'transfer', bundle: this.bundle(conv.id) });
      });
      return { transferred: true };
    }
    const queue = req.to.queue;
    this.events.tx(() => {
      this.cancelPendingOffer(conv.id, now);
      this.store.toQueue(conv.id, now, { queueChannel: queue === conv.channel ? null : queue, handoffNote: note });
      if (from !== null) {
        this.events.append(from, { type: 'unassigned', conversationId: conv.id, reason: `Transferred to the ${queue} queue` });
        // The agent who handed it back is not offered it again this round.
        const round = this.store.conversation(conv.id)!.routeRound;
        const pass = this.store.insertOffer({ conversationId: conv.id, agentId: from, round, reasons: ['transferred away'], expiresAt: now }, now);
        this.store.closeOffer(pass.id, 'cancelled', now);
      }
    });
    this.routing.routeSoon();
    return { transferred: true };
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

  escalate(agent: AgentRecord, conversationId: number, reason: string): { escalatedTo: number | null } {
    const conv = this.owned(agent, conversationId);
    if (conv.status === 'resolved') throw new HubError('conversation/resolved', 'A resolved conversation cannot be escalated.');
    const now = this.now();
    const from = conv.assignedAgentId;
    const target = this.escalationTarget(from ?? agent.id);
    this.events.tx(() => {
      this.cancelPendingOffer(conv.id, now);
      if (target) {
        this.store.assign(conv.id, target.id, now, { escalationReason: reason });
        this.events.append(target.id, { type: 'assigned', via: 'escalation', bundle: this.bundle(conv.id) });
      } else {
        this.store.toQueue(conv.id, now, { queueChannel: conv.queueChannel, escalationReason: reason, priority: 'high' });
      }
      if (from !== null && from !== target?.id) {
        this.events.append(from, { type: 'unassigned', conversationId: conv.id, reason: target ? `Escalated to ${target.displayName}` : 'Escalated' });
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
