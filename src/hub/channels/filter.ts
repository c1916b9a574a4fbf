// Keeps spam, bots and floods away from agents: blocked senders, spam patterns, automated senders
// and a token bucket per (channel, sender). Decides only; the caller archives what it refuses.
import type { Channel } from '../../shared/domain';
import type { Bucket, ChannelStore } from './channelStore';
import type { ChannelsConfig } from './config';

export type FilterReason = 'blocked' | 'spam' | 'bot' | 'rate-limit';
export type FilterVerdict = { pass: true } | { pass: false; reason: FilterReason; detail: string };

export interface FilterFacts {
  channel: Channel;
  /** The canonical sender address (E.164, PSID, X user id). */
  sender: string;
  text: string;
  /** The channel adapter saw an automated sender (a short code, an app's own message). */
  automated?: string | null;
}

const MINUTE = 60_000;

/** A full bucket for a new sender; otherwise the tokens earned since it was last touched, up to the burst. */
export function refillBucket(bucket: Bucket | null, now: number, burst: number, perMinute: number): Bucket {
  if (!bucket) return { tokens: burst, updatedAt: now };
  // A clock that went backwards earns nothing rather than draining or overflowing the bucket.
  const elapsed = Math.max(0, now - bucket.updatedAt);
  return { tokens: Math.min(burst, bucket.tokens + (elapsed / MINUTE) * perMinute), updatedAt: Math.max(now, bucket.updatedAt) };
}

export class ChannelFilter {
  private readonly patterns: RegExp[];
  private readonly blocked: Set<string>;

  constructor(
    private readonly config: ChannelsConfig['filter'],
    private readonly store: ChannelStore,
  ) {
    this.patterns = config.spamPatterns.map((source) => new RegExp(source, 'iu'));
    this.blocked = new Set(config.blockedSenders);
  }

  /** Content checks first, so spam never spends a sender's rate budget. */
  check(facts: FilterFacts, now: number): FilterVerdict {
    if (this.blocked.has(facts.sender)) return { pass: false, reason: 'blocked', detail: `${facts.sender} is on the blocked senders list.` };
    if (facts.automated) return { pass: false, reason: 'bot', detail: facts.automated };
    const hit = this.patterns.find((p) => p.test(facts.text));
    if (hit) return { pass: false, reason: 'spam', detail: `The text matches the spam pattern ${hit.source}.` };
    const { burst, perMinute } = this.config;
    if (!this.store.takeToken(facts.channel, facts.sender, now, (b, at) => refillBucket(b, at, burst, perMinute))) {
      return {
        pass: false,
        reason: 'rate-limit',
        detail: `${facts.sender} sent more than ${burst} messages in a burst (the limit refills at ${perMinute} a minute).`,
      };
    }
    return { pass: true };
  }
}
