// Which channels are down: a provider that fails this many deliveries in a row marks its channel
// down (since the first of those failures); the next delivery that succeeds clears it. Kept in
// memory only: after a restart the first failures count again.
import type { Channel } from '../../shared/domain';
import { say, type Said } from '../../shared/serverErrors';
import { detailOf, type StoredSentence } from '../../shared/storedSentence';

/** Failed deliveries in a row (retries included) before a channel counts as down. */
export const OUTAGE_AFTER_FAILURES = 3;

export interface ChannelOutage {
  channel: Channel;
  since: number;
  detail: string;
  /** detail's serverErrors key and params, when it has one (the supervisor's console translates it). */
  detailText: StoredSentence | null;
}

export class ChannelHealth {
  private readonly streaks = new Map<Channel, { count: number; since: number }>();
  private readonly down = new Map<Channel, ChannelOutage>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly threshold = OUTAGE_AFTER_FAILURES) {}

  /** A delivery on the channel failed at `at` (the provider's sentence as detail, with its key when it has one). */
  failed(channel: Channel, at: number, detail: string | Said | null): void {
    const streak = this.streaks.get(channel) ?? { count: 0, since: at };
    streak.count += 1;
    this.streaks.set(channel, streak);
    if (streak.count >= this.threshold && !this.down.has(channel)) {
      const said = detail ?? say('outageNoDetail');
      const { detail: english, detailText } = typeof said === 'string' ? { detail: said, detailText: null } : detailOf(said);
      this.down.set(channel, { channel, since: streak.since, detail: english.slice(0, 500), detailText });
      this.changed();
    }
  }

  /** A delivery on the channel went through: the streak ends and an outage is over. */
  succeeded(channel: Channel): void {
    this.streaks.delete(channel);
    if (this.down.delete(channel)) this.changed();
  }

  outages(): ChannelOutage[] {
    return [...this.down.values()].sort((a, b) => a.since - b.since);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
