// Where the customer moved from one channel to another, the timeline says so: "Previously
// contacted via Email on Jan 10". Pure: events in chronological order in, notices out.
import { CHANNEL_LABELS, type Channel, type TimelineEvent } from './domain';

export interface ChannelSwitchNotice {
  /** The event the notice stands above. */
  beforeEventId: number;
  from: Channel;
  to: Channel;
  /** When the customer last spoke on the previous channel. */
  previousAt: number;
}

type Switchable = Pick<TimelineEvent, 'id' | 'channel' | 'direction' | 'occurredAt'>;

/**
 * Only customer-facing traffic counts: internal notes and system lines do not change the channel.
 * `carry` is the last customer-facing event before the given ones (the page above), if known.
 */
export function channelSwitchNotices(events: readonly Switchable[], carry?: Switchable | null): ChannelSwitchNotice[] {
  const notices: ChannelSwitchNotice[] = [];
  let last: Switchable | null = carry ?? null;
  for (const event of events) {
    if (event.direction === 'internal') continue;
    if (last && last.channel !== event.channel) {
      notices.push({ beforeEventId: event.id, from: last.channel, to: event.channel, previousAt: last.occurredAt });
    }
    last = event;
  }
  return notices;
}

export function describeSwitch(notice: ChannelSwitchNotice, formatDate: (at: number) => string): string {
  return `Previously contacted via ${CHANNEL_LABELS[notice.from]} on ${formatDate(notice.previousAt)}`;
}
