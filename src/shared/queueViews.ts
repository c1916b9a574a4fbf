// The queue views (all, mine, unassigned, breaching soon, one per channel, one per tag in use) as
// pure filters over the ordered queue, with their labels and counts. Pure; the caller passes the
// agent and "now". Tag views come and go with the tags on open cases; the others are fixed.
import { CHANNEL_LABELS, CHANNELS, type Channel, type QueueItem } from './domain';

/** "Breaching soon": the running SLA clock is due within this much time, or already breached. */
export const BREACHING_SOON_MS = 30 * 60_000;

/** Views the main process can filter by name (the `view` of the queueSnapshot request). */
export const BASE_VIEWS = ['all', 'mine', 'unassigned', 'breaching'] as const;
export type BaseView = (typeof BASE_VIEWS)[number];

export type ChannelView = `channel:${Channel}`;
export type TagView = `tag:${string}`;
export type QueueViewId = BaseView | ChannelView | TagView;

export const channelView = (channel: Channel): ChannelView => `channel:${channel}`;
export const tagView = (tag: string): TagView => `tag:${tag}`;

/** The fixed views, in the order the sidebar lists them (tag views follow, by name). */
export const QUEUE_VIEW_IDS: readonly QueueViewId[] = [...BASE_VIEWS, ...CHANNELS.map(channelView)];

/** The count of every fixed view, and of each tag view whose tag is on an open case. */
export type ViewCounts = Record<BaseView | ChannelView, number> & Partial<Record<TagView, number>>;

/** What the views read of a queue item; `tags` is absent on items that carry none. */
export type ViewItem = Pick<QueueItem, 'assignedAgentId' | 'slaDueAt' | 'channel'> & { tags?: readonly string[] };

/** The count of a view, 0 for a tag no open case carries. */
export const viewCount = (counts: ViewCounts, view: QueueViewId): number => (counts as Partial<Record<QueueViewId, number>>)[view] ?? 0;

export interface ViewContext {
  /** The signed-in agent, for Mine; null before the session is known (Mine is then empty). */
  agentId: number | null;
  now: number;
}

/** The channel of a channel view, or null for the other views. */
export function viewChannel(view: QueueViewId): Channel | null {
  return view.startsWith('channel:') ? (view.slice('channel:'.length) as Channel) : null;
}

/** The tag of a tag view, or null for the other views. */
export function viewTag(view: QueueViewId): string | null {
  return view.startsWith('tag:') ? view.slice('tag:'.length) : null;
}

export function isQueueViewId(value: string): value is QueueViewId {
  return (QUEUE_VIEW_IDS as readonly string[]).includes(value) || (value.startsWith('tag:') && value.length > 'tag:'.length);
}

/** Due within BREACHING_SOON_MS of now (inclusive), or past due. No running clock: never. */
export function isBreachingSoon(item: Pick<QueueItem, 'slaDueAt'>, now: number): boolean {
  return item.slaDueAt !== null && item.slaDueAt - now <= BREACHING_SOON_MS;
}

export function inView(item: ViewItem, view: QueueViewId, ctx: ViewContext): boolean {
  switch (view) {
    case 'all':
      return true;
    case 'mine':
      return ctx.agentId !== null && item.assignedAgentId === ctx.agentId;
    case 'unassigned':
      return item.assignedAgentId === null;
    case 'breaching':
      return isBreachingSoon(item, ctx.now);
    default: {
      const tag = viewTag(view);
      return tag !== null ? (item.tags?.includes(tag) ?? false) : item.channel === viewChannel(view);
    }
  }
}

/** The items of a view, in the order given (the queue's unified priority order). */
export function filterView<T extends ViewItem>(items: readonly T[], view: QueueViewId, ctx: ViewContext): T[] {
  return view === 'all' ? [...items] : items.filter((i) => inView(i, view, ctx));
}

/** The count of every view, in one pass. */
export function countViews(items: readonly ViewItem[], ctx: ViewContext): ViewCounts {
  const counts = Object.fromEntries(QUEUE_VIEW_IDS.map((v) => [v, 0])) as ViewCounts;
  const tagged = counts as Partial<Record<TagView, number>>;
  for (const i of items) {
    counts.all++;
    if (i.assignedAgentId === null) counts.unassigned++;
    else if (ctx.agentId !== null && i.assignedAgentId === ctx.agentId) counts.mine++;
    if (isBreachingSoon(i, ctx.now)) counts.breaching++;
    counts[channelView(i.channel)]++;
    for (const tag of new Set(i.tags ?? [])) tagged[tagView(tag)] = (tagged[tagView(tag)] ?? 0) + 1;
  }
  return counts;
}

/** The tags on open cases, by name (the "by tag" views). */
export function tagsInUse(counts: ViewCounts): string[] {
  return Object.keys(counts)
    .filter((v) => v.startsWith('tag:') && viewCount(counts, v as TagView) > 0)
    .map((v) => v.slice('tag:'.length))
    .sort((a, b) => a.localeCompare(b));
}

/**
 * The views the sidebar shows: the four base views always, a channel's view while it has
 * conversations, a tag's view while an open case carries the tag (each also while it is the
 * current view, so it does not vanish under the agent). Tags come last, by name.
 */
export function shownViews(counts: ViewCounts, current: QueueViewId): QueueViewId[] {
  const fixed = QUEUE_VIEW_IDS.filter((v) => viewChannel(v) === null || viewCount(counts, v) > 0 || v === current);
  const tags = tagsInUse(counts);
  const currentTag = viewTag(current);
  if (currentTag !== null && !tags.includes(currentTag)) tags.push(currentTag);
  return [...fixed, ...tags.map(tagView)];
}

const BASE_LABELS: Record<BaseView, string> = { all: 'All', mine: 'Mine', unassigned: 'Unassigned', breaching: 'Breaching soon' };

export function viewLabel(view: QueueViewId): string {
  const channel = viewChannel(view);
  const tag = viewTag(view);
  return channel ? CHANNEL_LABELS[channel] : tag !== null ? `Tag: ${tag}` : BASE_LABELS[view as BaseView];
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
  const tag = viewTag(view);
  if (tag !== null) return `No open conversation is tagged “${tag}”.`;
  return channel ? `No ${CHANNEL_LABELS[channel]} conversation is waiting.` : BASE_EMPTY[view as BaseView];
}
