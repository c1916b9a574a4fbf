// Which channels are down: a provider that fails this many deliveries in a row marks its channel
// down (since the first of those failures); the next delivery that succeeds clears it. Kept in
// memory only: after a restart the first failures count again.
import type { Channel } from '../../shared/domain';

/** Failed deliveries in a row (retries included) before a channel counts as down. */
export const OUTAGE_AFTER_FAILURES = 3;

export interface ChannelOutage {
  channel: Channel;
  since: number;
  detail: string;
}

export class ChannelHealth {
  private readonly streaks = new Map<Channel, { count: number; since: number }>();
  private readonly down = new Map<Channel, ChannelOutage>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly threshold = OUTAGE_AFTER_FAILURES) {}

  /** A delivery on the channel failed at `at` (the provider's sentence as detail). */
  failed(channel: Channel, at: number, detail: string | null): void {
    const streak = this.streaks.get(channel) ?? { count: 0, since: at };
    streak.count += 1;
    this.streaks.set(channel, streak);
    if (streak.count >= this.threshold && !this.down.has(channel)) {
      this.down.set(channel, { channel, since: streak.since, detail: (detail ?? 'Deliveries keep failing').slice(0, 500) });
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
