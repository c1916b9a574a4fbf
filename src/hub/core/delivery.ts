// Carries agents' outgoing messages to the channel modules' senders. The queue is the messages table
// (rows with a next attempt time), so a restart resumes pending deliveries. One delivery at a time per
// conversation keeps replies in order; transient failures retry with capped exponential backoff.
// A crash during a provider call means that message is tried again after restart (at least once).
import type { Channel } from '../../shared/domain';
import type { HubDelivery } from '../../shared/hub/agentProtocol';
import { publicConversation, type HubStore } from '../store/hubStore';
import { say, type Said } from '../../shared/serverErrors';
import { englishOf, sentenceKeyOf, type StoredReason } from '../../shared/storedSentence';
import type { ChannelSender, DeliveryOutcome, HubLog } from '../services';
import type { EventLog } from './events';
import type { ChannelHealth } from './channelHealth';

export interface DeliveryPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
}

/** "<reason> (gave up after N attempts)": a keyed reason goes along as the nested sentence `reason`. */
export function gaveUp(reason: string | Said | null, attempts: number): Said | StoredReason {
  const inner = reason ?? say('deliveryFailedNoReason');
  if (typeof inner === 'string') return say('deliveryGaveUp', { reason: inner, attempts });
  return { said: say('deliveryGaveUp', { reason: inner.message, attempts }), nested: { reason: sentenceKeyOf(inner) } };
}

export class DeliveryWorker {
  private readonly senders = new Map<Channel, ChannelSender>();
  private readonly inFlight = new Map<number, Promise<void>>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = Infinity;
  private scheduled = false;
  private waitingForCommit = false;
  private closed = false;
  /** Told of every outcome: failures in a row mark the channel down (the supervisor's outage banner). */
  health: ChannelHealth | null = null;

  constructor(
    private readonly store: HubStore,
    private readonly events: EventLog,
    private readonly now: () => number,
    private readonly log: HubLog,
    private readonly policy: DeliveryPolicy,
    /** Who hears about a delivery change: the conversation's agent (and the author, if someone else). */
    private readonly notify: (conversationId: number, messageId: number, status: HubDelivery, detail: string | Said | StoredReason | null) => void,
  ) {}

  register(sender: ChannelSender): void {
    for (const channel of sender.channels) this.senders.set(channel, sender);
    this.kick();
  }

  hasSender(channel: Channel): boolean {
    return this.senders.has(channel);
  }

  /** Looks for due deliveries soon (coalesced). */
  kick(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.run();
    });
  }

  private run(): void {
    if (this.closed) return;
    if (this.events.uncommitted) {
      // The pending rows may include changes not committed yet: nothing goes to a provider before its commit.
      if (this.waitingForCommit) return;
      this.waitingForCommit = true;
      const again = () => {
        this.waitingForCommit = false;
        this.run();
      };
      this.events.afterCommit(again, again);
      return;
    }
    const now = this.now();
    const busy = new Set<number>();
    let next = Infinity;
    for (const p of this.store.pendingDeliveries()) {
      // Only the oldest pending message of a conversation may go; later ones wait behind it.
      if (busy.has(p.conversationId)) continue;
      busy.add(p.conversationId);
      if (this.inFlight.has(p.messageId) || !this.senders.has(p.channel)) continue;
      if (p.nextAttemptAt > now) {
        next = Math.min(next, p.nextAttemptAt);
        continue;
      }
      const job = this.deliver(p.messageId, p.channel, p.attempts).finally(() => {
        this.inFlight.delete(p.messageId);
        this.kick();
      });
      this.inFlight.set(p.messageId, job);
    }
    if (next !== Infinity) this.arm(next);
  }

  private async deliver(messageId: number, channel: Channel, attempts: number): Promise<void> {
    const message = this.store.message(messageId);
    const conversation = message ? this.store.conversation(message.conversationId) : null;
    if (!message || !conversation) return;
    let outcome: DeliveryOutcome;
    try {
      outcome = await this.senders.get(channel)!.deliver({ conversation: publicConversation(conversation), message });
    } catch (e) {
      outcome = { status: 'failed', retry: true, detail: say('deliverySenderFailed', { channel, error: (e as Error)?.message ?? String(e) }) };
    }
    const now = this.now();
    const tries = attempts + 1;
    const retry = outcome.status === 'failed' && outcome.retry === true && tries < this.policy.maxAttempts;
    const reason = outcome.detail ?? null;
    // A keyed reason keeps its key (the agent's workspace translates it), also inside the sentence that gives up on it.
    const detail: string | Said | StoredReason | null = outcome.status === 'failed' && outcome.retry === true && !retry ? gaveUp(reason, tries) : reason;
    const status: HubDelivery = retry ? 'stored' : outcome.status;
    const nextAttemptAt = retry ? now + Math.min(this.policy.maxMs, this.policy.baseMs * 2 ** (tries - 1)) : null;
    try {
      this.events.tx(() => {
        this.store.recordDeliveryOutcome(messageId, { delivery: status, detail, providerId: outcome.providerId ?? null, nextAttemptAt });
        this.notify(message.conversationId, messageId, status, detail);
      });
    } catch (e) {
      // Only when the hub closed under a slow provider call: the row stays pending and is tried again on start.
      this.log.error(`The outcome of message ${messageId} could not be recorded`, e);
      return;
    }
    // A provider that cannot be reached or errors (retryable) counts toward an outage; a refusal of one recipient does not.
    if (outcome.status === 'failed') {
      if (outcome.retry === true) this.health?.failed(channel, now, reason);
    } else this.health?.succeeded(channel);
    if (!retry && outcome.status === 'failed') this.log.warn(`Message ${messageId} on ${channel} was not delivered: ${englishOf(detail) ?? 'no reason given'}`);
  }

  private arm(at: number): void {
    if (this.closed || at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timerAt = Infinity;
        this.run();
      },
      Math.max(0, at - this.now()),
    );
    this.timer.unref?.();
  }

  /** Stops new attempts and waits (briefly) for the ones under way. */
  async close(waitMs = 5_000): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const pending = [...this.inFlight.values()];
    if (pending.length === 0) return;
    let timeout: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.allSettled(pending), new Promise((resolve) => (timeout = setTimeout(resolve, waitMs)))]);
    clearTimeout(timeout);
  }
}
