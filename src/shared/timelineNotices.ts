// Where the customer moved from one channel to another, the timeline says so: "Previously
// contacted via Email on Jan 10". Pure: events in chronological order in, notices out.
import { CHANNEL_LABELS, type Channel, type TimelineEvent } from './domain';

export interface ChannelSwitchNotice {
  /** The event the notice stands above. */
  beforeEventId: number;
  from: Channel;
  to: Channel;
  /** When the contact on the previous channel began (the first event of that run). */
  previousAt: number;
}

type Switchable = Pick<TimelineEvent, 'id' | 'channel' | 'direction' | 'occurredAt'>;

/**
 * Only customer-facing traffic counts: internal notes and system lines do not change the channel.
 * `carry` is the first event of the channel run the page above ends with, if known.
 */
export function channelSwitchNotices(events: readonly Switchable[], carry?: Switchable | null): ChannelSwitchNotice[] {
  const notices: ChannelSwitchNotice[] = [];
  let runChannel: Channel | null = carry?.channel ?? null;
  let runStart = carry?.occurredAt ?? 0;
  for (const event of events) {
    if (event.direction === 'internal') continue;
    if (runChannel !== event.channel) {
      if (runChannel !== null) notices.push({ beforeEventId: event.id, from: runChannel, to: event.channel, previousAt: runStart });
      runChannel = event.channel;
      runStart = event.occurredAt;
    }
  }
  return notices;
}

export function describeSwitch(notice: ChannelSwitchNotice, formatDate: (at: number) => string): string {
  return `Previously contacted via ${CHANNEL_LABELS[notice.from]} on ${formatDate(notice.previousAt)}`;
}
