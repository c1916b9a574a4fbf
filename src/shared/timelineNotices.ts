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

type Switchable = Pick<TimelineEvent, 'id' | 'caseId' | 'channel' | 'direction' | 'occurredAt'>;

/**
 * Only customer-facing traffic counts: internal notes and system lines do not change the channel.
 * A run of one channel starts anew with each case, so the notice dates the contact that led here
 * ("Email on Jan 10" for this issue), not the customer's first email years ago.
 * `carry` is the first event of the run the page above ends with, if known.
 */
export function channelSwitchNotices(events: readonly Switchable[], carry?: Switchable | null): ChannelSwitchNotice[] {
  const notices: ChannelSwitchNotice[] = [];
  let run: Switchable | null = carry ?? null;
  for (const event of events) {
    if (event.direction === 'internal') continue;
    if (run && run.channel !== event.channel) {
      notices.push({ beforeEventId: event.id, from: run.channel, to: event.channel, previousAt: run.occurredAt });
    }
    if (!run || run.channel !== event.channel || run.caseId !== event.caseId) run = event;
  }
  return notices;
}

export function describeSwitch(notice: ChannelSwitchNotice, formatDate: (at: number) => string): string {
  return `Previously contacted via ${CHANNEL_LABELS[notice.from]} on ${formatDate(notice.previousAt)}`;
}
