// The queue views (all, mine, unassigned, breaching soon, one per channel) as pure filters over
// the ordered queue, with their labels and counts. Pure; the caller passes the agent and "now".
import { CHANNEL_LABELS, CHANNELS, type Channel, type QueueItem } from './domain';

/** "Breaching soon": the running SLA clock is due within this much time, or already breached. */
export const BREACHING_SOON_MS = 30 * 60_000;

/** Views the main process can filter by name (the `view` of the queueSnapshot request). */
export const BASE_VIEWS = ['all', 'mine', 'unassigned', 'breaching'] as const;
export type BaseView = (typeof BASE_VIEWS)[number];

export type ChannelView = `channel:${Channel}`;
export type QueueViewId = BaseView | ChannelView;

export const channelView = (channel: Channel): ChannelView => `channel:${channel}`;

/** Every view, in the order the sidebar lists them. */
export const QUEUE_VIEW_IDS: readonly QueueViewId[] = [...BASE_VIEWS, ...CHANNELS.map(channelView)];

export type ViewCounts = Record<QueueViewId, number>;

export interface ViewContext {
  /** The signed-in agent, for Mine; null before the session is known (Mine is then empty). */
  agentId: number | null;
  now: number;
}

/** The channel of a channel view, or null for the other views. */
export function viewChannel(view: QueueViewId): Channel | null {
  return view.startsWith('channel:') ? (view.slice('channel:'.length) as Channel) : null;
}

export function isQueueViewId(value: string): value is QueueViewId {
  return (QUEUE_VIEW_IDS as readonly string[]).includes(value);
}

/** Due within BREACHING_SOON_MS of now (inclusive), or past due. No running clock: never. */
export function isBreachingSoon(item: Pick<QueueItem, 'slaDueAt'>, now: number): boolean {
  return item.slaDueAt !== null && item.slaDueAt - now <= BREACHING_SOON_MS;
}

export function inView(item: Pick<QueueItem, 'assignedAgentId' | 'slaDueAt' | 'channel'>, view: QueueViewId, ctx: ViewContext): boolean {
  switch (view) {
    case 'all':
      return true;
    case 'mine':
      return ctx.agentId !== null && item.assignedAgentId === ctx.agentId;
    case 'unassigned':
      return item.assignedAgentId === null;
    case 'breaching':
      return isBreachingSoon(item, ctx.now);
    default:
      return item.channel === viewChannel(view);
  }
}

/** The items of a view, in the order given (the queue's unified priority order). */
export function filterView<T extends Pick<QueueItem, 'assignedAgentId' | 'slaDueAt' | 'channel'>>(items: readonly T[], view: QueueViewId, ctx: ViewContext): T[] {
  return view === 'all' ? [...items] : items.filter((i) => inView(i, view, ctx));
}

/** The count of every view, in one pass. */
export function countViews(items: readonly Pick<QueueItem, 'assignedAgentId' | 'slaDueAt' | 'channel'>[], ctx: ViewContext): ViewCounts {
  const counts = Object.fromEntries(QUEUE_VIEW_IDS.map((v) => [v, 0])) as ViewCounts;
  for (const i of items) {
    counts.all++;
    if (i.assignedAgentId === null) counts.unassigned++;
    else if (ctx.agentId !== null && i.assignedAgentId === ctx.agentId) counts.mine++;
    if (isBreachingSoon(i, ctx.now)) counts.breaching++;
    counts[channelView(i.channel)]++;
  }
  return counts;
}

/**
 * The views the sidebar shows: the four base views always, a channel's view while it has
 * conversations (or while it is the current view, so it does not vanish under the agent).
 */
export function shownViews(counts: ViewCounts, current: QueueViewId): QueueViewId[] {
  return QUEUE_VIEW_IDS.filter((v) => viewChannel(v) === null || counts[v] > 0 || v === current);
}

const BASE_LABELS: Record<BaseView, string> = { all: 'All', mine: 'Mine', unassigned: 'Unassigned', breaching: 'Breaching soon' };

export function viewLabel(view: QueueViewId): string {
  const channel = viewChannel(view);
  return channel ? CHANNEL_LABELS[channel] : BASE_LABELS[view as BaseView];
}

const BASE_EMPTY: Record<BaseView, string> = {
  all: 'No customer is waiting. New conversations from every channel appear here.',
  mine: 'Nothing is assigned to you right now.',
  unassigned: 'Every conversation has an owner.',
  breaching: 'No SLA is due within 30 minutes.',
};

/** What an empty view says. */
export function emptyViewSentence(view: QueueViewId): string {
  const channel = viewChannel(view);
  return channel ? `No ${CHANNEL_LABELS[channel]} conversation is waiting.` : BASE_EMPTY[view as BaseView];
}
