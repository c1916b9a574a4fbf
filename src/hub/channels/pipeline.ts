// One path for every SMS and social message a provider delivers: filter (archive what is refused),
// hand the rest to the core, remember where replies go, then the auto-reply. Provider parsing and
// signatures live in the adapters; this file never sees HTTP.
import type { Channel } from '../../shared/domain';
import type { HubMessage } from '../../shared/hub/agentProtocol';
import { DEFAULT_CALENDAR_CONFIG, isOpen, parseCalendar, type BusinessCalendar } from '../../shared/time';
import type { ChannelSender, HubContext, InboundMessage, IngestResult } from '../services';
import type { ChannelStore, ThreadRoute } from './channelStore';
import type { ChannelsConfig } from './config';
import { ChannelFilter, type FilterReason } from './filter';

export type SocialChannel = 'sms' | 'messenger' | 'instagram' | 'x';

export interface Arrival {
  inbound: InboundMessage & { channel: SocialChannel };
  /** The canonical sender address the filter and the auto-reply memory key on. */
  sender: string;
  /** The provider's payload for this message, kept whole if it is archived. */
  raw: string;
  /** Set by the adapter for an automated sender, as a sentence. */
  automated?: string | null;
  route: Omit<ThreadRoute, 'conversationId'>;
  /** False for opt-out keywords and public posts: those never get the automatic answer. */
  autoReply: boolean;
}

export type ArrivalOutcome = { kind: 'stored'; result: IngestResult } | { kind: 'duplicate'; result: IngestResult } | { kind: 'filtered'; reason: FilterReason };

/**
 * What the core may offer to store an automatic answer as a bot message in the conversation and
 * deliver it through its outbox like an agent reply. Until it does, the answer is delivered
 * directly and recorded in channel_auto_replies only.
 */
interface BotMessages {
  postBotMessage(conversationId: number, text: string, idempotencyKey: string): HubMessage;
}

const PUBLIC_NAMES: Record<SocialChannel, string> = { sms: 'SMS', messenger: 'Facebook', instagram: 'Instagram', x: 'X' };

/** The acknowledgment offered to the agent for a public complaint: short, kind, and moves to DMs. */
export function publicAcknowledgment(channel: SocialChannel, name: string | null | undefined): string {
  const who = name ? `Sorry to hear that, ${name}.` : 'Sorry to hear that.';
  return `${who} We've sent you a private message so we can sort this out.`;
}

/** The subject of the ticket a public post opens. */
export function publicComplaintSubject(channel: SocialChannel, kind: 'comment' | 'mention'): string {
  return `Public ${kind} on ${PUBLIC_NAMES[channel]}`;
}

export class ChannelPipeline {
  private readonly filter: ChannelFilter;
  private readonly calendars = new Map<SocialChannel, BusinessCalendar>();
  private readonly senders = new Map<Channel, ChannelSender>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly ctx: HubContext,
    private readonly store: ChannelStore,
    private readonly config: ChannelsConfig,
  ) {
    this.filter = new ChannelFilter(config.filter, store);
    for (const channel of ['sms', 'messenger', 'instagram', 'x'] as const) {
      const parsed = parseCalendar(config.autoReply[channel].hours ?? DEFAULT_CALENDAR_CONFIG[channel]);
      // The schema already validated the definition; this only fails on a calendar that is never open.
      if (!parsed.ok) throw new Error(`channels.autoReply.${channel}.hours: ${parsed.error.message}`);
      this.calendars.set(channel, parsed.value);
    }
  }

  /** The module registers each sender with the core and here, for the automatic answers. */
  addSender(sender: ChannelSender): void {
    for (const channel of sender.channels) this.senders.set(channel, sender);
    this.ctx.conversations.registerSender(sender);
  }

  /** Commits (or archives) before returning, so the webhook may acknowledge right after. */
  receive(arrival: Arrival): ArrivalOutcome {
    const now = this.ctx.now();
    const { inbound } = arrival;
    const verdict = this.filter.check({ channel: inbound.channel, sender: arrival.sender, text: inbound.text, automated: arrival.automated ?? null }, now);
    if (!verdict.pass) {
      const first = this.store.archive({
        channel: inbound.channel,
        providerId: inbound.providerId,
        sender: arrival.sender,
        reason: verdict.reason,
        detail: verdict.detail,
        payload: arrival.raw,
        receivedAt: now,
      });
      if (first) this.ctx.log.info(`channels: archived a ${inbound.channel} message from ${arrival.sender} (${verdict.reason}): ${verdict.detail}`);
      return { kind: 'filtered', reason: verdict.reason };
    }
    const result = this.ctx.conversations.ingestInbound(inbound);
    if (result.duplicate) return { kind: 'duplicate', result };
    this.store.rememberRoute({ ...arrival.route, conversationId: result.conversationId });
    if (arrival.autoReply) this.autoReply(inbound.channel, arrival.sender, result.conversationId, now);
    return { kind: 'stored', result };
  }

  /** Waits for automatic answers still being sent (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private autoReply(channel: SocialChannel, sender: string, conversationId: number, now: number): void {
    const settings = this.config.autoReply[channel];
    if (!settings.enabled) return;
    const open = isOpen(this.calendars.get(channel)!, now);
    const text = open ? settings.insideHours : settings.outsideHours;
    if (!this.store.claimAutoReply({ channel, sender, conversationId, sentAt: now, text }, now - this.config.autoReply.perSenderWindowMs)) return;
    const key = `auto-reply:${channel}:${sender}:${now}`;
    const post = (this.ctx.conversations as Partial<BotMessages>).postBotMessage;
    if (typeof post === 'function') {
      post.call(this.ctx.conversations, conversationId, text, key);
      this.store.autoReplyOutcome(channel, sender, 'stored', null, null);
      return;
    }
    // Sent after the webhook's answer: the provider is not kept waiting on another provider call.
    const job = this.deliverDirectly(channel, sender, conversationId, text, key, now).finally(() => this.pending.delete(job));
    this.pending.add(job);
  }

  private async deliverDirectly(channel: SocialChannel, sender: string, conversationId: number, text: string, key: string, now: number): Promise<void> {
    const channelSender = this.senders.get(channel);
    const conversation = this.ctx.conversations.conversation(conversationId);
    if (!channelSender || !conversation) return;
    const message: HubMessage = {
      id: 0,
      conversationId,
      direction: 'out',
      authorType: 'bot',
      authorName: 'Auto-reply',
      text,
      attachments: [],
      createdAt: now,
      idempotencyKey: key,
      delivery: 'stored',
      deliveryDetail: null,
    };
    try {
      const outcome = await channelSender.deliver({ conversation, message });
      this.store.autoReplyOutcome(channel, sender, outcome.status, outcome.providerId ?? null, outcome.detail ?? null);
    } catch (e) {
      this.ctx.log.error(`channels: the ${channel} auto-reply to ${sender} failed`, e);
      this.store.autoReplyOutcome(channel, sender, 'failed', null, e instanceof Error ? e.message : String(e));
    }
  }
}
