// Merging timeline pages and live events into one chronological list without duplicates.
// Pure; the conversation slice keeps the result. Order is (occurredAt, id), as the store pages.
import type { TimelineEvent } from '../../shared/domain';

type Ordered = Pick<TimelineEvent, 'id' | 'occurredAt'>;

export function compareEvents(a: Ordered, b: Ordered): number {
  return a.occurredAt - b.occurredAt || a.id - b.id;
}

/**
 * Everything in `current` and `incoming`, oldest first, each id once. Where an id is in both,
 * the incoming copy wins: it is the newer read (a delivery status that moved on, say).
 * The common cases, an older page above or a new event below, stay linear.
 */
export function mergeEvents<T extends Ordered>(current: readonly T[], incoming: readonly T[]): T[] {
  if (incoming.length === 0) return current as T[];
  if (current.length === 0) return dedupeSorted([...incoming].sort(compareEvents));
  const sortedIncoming = isSorted(incoming) ? incoming : [...incoming].sort(compareEvents);
  const first = current[0]!;
  const last = current[current.length - 1]!;
  if (compareEvents(sortedIncoming[sortedIncoming.length - 1]!, first) < 0) return dedupeSorted([...sortedIncoming, ...current]);
  if (compareEvents(sortedIncoming[0]!, last) > 0) return dedupeSorted([...current, ...sortedIncoming]);

  const byId = new Map<number, T>();
  for (const event of current) byId.set(event.id, event);
  for (const event of sortedIncoming) byId.set(event.id, event);
  return [...byId.values()].sort(compareEvents);
}

/** An older page goes above what is loaded; overlap with the loaded events is dropped. */
export function prependPage<T extends Ordered>(current: readonly T[], olderPage: readonly T[]): T[] {
  return mergeEvents(current, olderPage);
}

/** Adds or replaces one live event. */
export function upsertEvent<T extends Ordered>(current: readonly T[], event: T): T[] {
  return mergeEvents(current, [event]);
}

function isSorted(events: readonly Ordered[]): boolean {
  for (let i = 1; i < events.length; i++) if (compareEvents(events[i - 1]!, events[i]!) > 0) return false;
  return true;
}

function dedupeSorted<T extends Ordered>(events: T[]): T[] {
  const seen = new Map<number, number>();
  const out: T[] = [];
  for (const event of events) {
    const at = seen.get(event.id);
    if (at === undefined) {
      seen.set(event.id, out.length);
      out.push(event);
    } else {
      out[at] = event;
    }
  }
  return out;
}
