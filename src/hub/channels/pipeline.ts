// One path for every SMS and social message a provider delivers: filter (archive what is refused),
// hand the rest to the core, remember where replies go, then the auto-reply, which the core stores
// as a bot message and delivers like a reply. Provider parsing and signatures live in the adapters;
// this file never sees HTTP.
import { autoReplyText } from '../../shared/channelConfig';
import type { HubContext, InboundClaim, InboundMessage, IngestResult } from '../services';
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

export type ArrivalOutcome =
  | { kind: 'stored'; result: IngestResult }
  | { kind: 'duplicate'; result: IngestResult }
  | { kind: 'filtered'; reason: FilterReason }
  | { kind: 'claimed'; claim: InboundClaim };

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

  constructor(
    private readonly ctx: HubContext,
    private readonly store: ChannelStore,
    private readonly config: ChannelsConfig,
  ) {
    this.filter = new ChannelFilter(config.filter, store);
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
    // A reply some module waits for (a rating after a survey) opens no conversation and gets no auto-reply.
    const claim = this.ctx.conversations.claimInbound(inbound);
    if (claim) return { kind: 'claimed', claim };
    const result = this.ctx.conversations.ingestInbound(inbound);
    if (result.duplicate) return { kind: 'duplicate', result };
    this.store.rememberRoute({ ...arrival.route, conversationId: result.conversationId });
    if (arrival.autoReply) this.autoReply(inbound.channel, arrival.sender, result.conversationId, now);
    return { kind: 'stored', result };
  }

  /**
   * Claims the sender's answer for this window, then has the core store it as a bot message (which
   * the agents see) and deliver it through the channel's sender. Claimed first, so a burst gets one
   * answer; a provider's retry of the webhook is a duplicate and never gets here.
   */
  private autoReply(channel: SocialChannel, sender: string, conversationId: number, now: number): void {
    // The texts, switch and hours are the channel configuration's (seeded from channels.autoReply).
    const text = autoReplyText(this.ctx.channelMatrix(), channel, now);
    if (text === null) return;
    if (!this.store.claimAutoReply({ channel, sender, conversationId, sentAt: now, text }, now - this.config.autoReply.perSenderWindowMs)) return;
    try {
      // One key per claim: the core stores and delivers a key once.
      this.ctx.conversations.postBotMessage(conversationId, text, `auto-reply:${channel}:${sender}:${now}`);
    } catch (e) {
      // The customer's message is committed and still acknowledged; a failed claim does not hold the window.
      this.ctx.log.error(`channels: the ${channel} auto-reply to ${sender} could not be stored`, e);
      this.store.autoReplyOutcome(channel, sender, 'failed', e instanceof Error ? e.message : String(e));
      return;
    }
    // Its delivery (sent, delivered, failed) is the bot message's, kept by the core.
    this.store.autoReplyOutcome(channel, sender, 'stored', null);
  }
}
