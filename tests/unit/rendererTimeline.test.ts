// Timeline paging in the renderer: older pages go above without duplicates, live events land in
// order, and the conversation and queue slices apply what the API answers and announces.
import { beforeEach, describe, expect, it } from 'vitest';
import type { RequestName } from '../../src/shared/contract';
import type { QueueItem, TimelineEvent } from '../../src/shared/domain';
import { createApi } from '../../src/shared/rpc';
import { installApi } from '../../src/renderer/src/api';
import { mergeEvents, prependPage, upsertEvent } from '../../src/renderer/src/timelinePages';
import { useConversationStore } from '../../src/renderer/src/state/conversation';
import { useQueueStore } from '../../src/renderer/src/state/queue';

const T0 = Date.UTC(2025, 0, 10, 9, 0);

function ev(id: number, minute: number, patch: Partial<TimelineEvent> = {}): TimelineEvent {
  return {
    id,
    caseId: 1,
    customerId: 7,
    channel: 'email',
    direction: 'in',
    kind: 'message',
    authorType: 'customer',
    authorName: 'Jane Smith',
    subject: null,
    body: `event ${id}`,
    metadata: {},
    occurredAt: T0 + minute * 60_000,
    delivery: null,
    deliveryDetail: null,
    ...patch,
  };
}
const ids = (events: readonly { id: number }[]) => events.map((e) => e.id);

describe('merging timeline pages', () => {
  it('puts an older page above the loaded events', () => {
    const loaded = [ev(5, 50), ev(6, 60)];
    expect(ids(prependPage(loaded, [ev(3, 30), ev(4, 40)]))).toEqual([3, 4, 5, 6]);
  });

  it('drops events the older page shares with what is loaded', () => {
    const loaded = [ev(4, 40), ev(5, 50), ev(6, 60)];
    const merged = prependPage(loaded, [ev(2, 20), ev(3, 30), ev(4, 40), ev(5, 50)]);
    expect(ids(merged)).toEqual([2, 3, 4, 5, 6]);
  });

  it('orders events at the same instant by id, as the store pages them', () => {
    const merged = mergeEvents([ev(10, 10), ev(12, 10)], [ev(11, 10), ev(9, 10)]);
    expect(ids(merged)).toEqual([9, 10, 11, 12]);
  });

  it('a live event goes at the end; one seen again replaces its older copy', () => {
    const loaded = [ev(1, 10), ev(2, 20, { direction: 'out', delivery: 'queued' })];
    const appended = upsertEvent(loaded, ev(3, 30));
    expect(ids(appended)).toEqual([1, 2, 3]);
    const updated = upsertEvent(appended, ev(2, 20, { direction: 'out', delivery: 'delivered' }));
    expect(ids(updated)).toEqual([1, 2, 3]);
    expect(updated[1]!.delivery).toBe('delivered');
  });

  it('keeps the same array when there is nothing to add', () => {
    const loaded = [ev(1, 10)];
    expect(mergeEvents(loaded, [])).toBe(loaded);
    expect(ids(mergeEvents([], [ev(2, 20), ev(1, 10), ev(2, 20)]))).toEqual([1, 2]);
  });
});

// ---------------------------------------------------------------- slices against a fake main process

type Handler = (input: Record<string, unknown>) => unknown;

function fakeMain(handlers: Partial<Record<RequestName, Handler>>) {
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const calls: Array<[string, unknown]> = [];
  const api = createApi({
    async invoke(method, input) {
      calls.push([method, input]);
      const handler = handlers[method];
      if (!handler) return { ok: false, error: { code: 'internal', message: `${method} is not faked` } };
      try {
        return { ok: true, value: await handler(input as Record<string, unknown>) };
      } catch (e) {
        return { ok: false, error: { code: 'not-found', message: (e as Error).message } };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
  installApi(api);
  return { api, calls, emit: (name: string, payload: unknown) => listeners.forEach((l) => l(name, payload)) };
}

/** A customer with events 1..n, one a minute, paged newest first like the repository. */
function timelineOf(n: number, customerId = 7) {
  const all = Array.from({ length: n }, (_, i) => ev(i + 1, i + 1, { customerId }));
  return (input: Record<string, unknown>) => {
    const before = input.before as { occurredAt: number; id: number } | undefined;
    const limit = input.limit as number;
    const older = before ? all.filter((e) => e.occurredAt < before.occurredAt || (e.occurredAt === before.occurredAt && e.id < before.id)) : all;
    const page = older.slice(-limit);
    const hasOlder = older.length > page.length;
    return { events: page, older: hasOlder ? { occurredAt: page[0]!.occurredAt, id: page[0]!.id } : null };
  };
}

describe('the conversation slice', () => {
  beforeEach(() => useConversationStore.getState().close());

  it('opens at the newest page and loads older pages above it, each event once', async () => {
    fakeMain({ customerTimeline: timelineOf(120) });
    await useConversationStore.getState().open(7, 1);
    let s = useConversationStore.getState();
    expect(s.status).toBe('ready');
    expect(ids(s.events)).toEqual(Array.from({ length: 50 }, (_, i) => 71 + i));
    expect(s.older).toEqual({ occurredAt: T0 + 71 * 60_000, id: 71 });

    await useConversationStore.getState().loadOlder();
    await useConversationStore.getState().loadOlder();
    s = useConversationStore.getState();
    expect(ids(s.events)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(s.older).toBeNull();
    await useConversationStore.getState().loadOlder(); // nothing older: no call, no change
    expect(useConversationStore.getState().events).toBe(s.events);
  });

  it('appends live events for the open customer only', async () => {
    fakeMain({ customerTimeline: timelineOf(3) });
    await useConversationStore.getState().open(7, 1);
    useConversationStore.getState().applyAppended(ev(50, 500, { customerId: 8 }));
    useConversationStore.getState().applyAppended(ev(4, 4));
    useConversationStore.getState().applyAppended(ev(4, 4));
    expect(ids(useConversationStore.getState().events)).toEqual([1, 2, 3, 4]);
  });

  it('applies delivery changes (status and reason) to the open timeline, ignoring other events', async () => {
    fakeMain({ customerTimeline: timelineOf(3) });
    await useConversationStore.getState().open(7, 1);
    useConversationStore.getState().applyAppended(ev(4, 4, { direction: 'out', delivery: 'queued' }));
    const before = useConversationStore.getState().events;
    useConversationStore.getState().applyDelivery({ eventId: 99, caseId: 1, status: 'failed', detail: 'x' });
    expect(useConversationStore.getState().events).toBe(before);
    const reason = 'The mail server 127.0.0.1 refused the connection; retrying in 2 min';
    useConversationStore.getState().applyDelivery({ eventId: 4, caseId: 1, status: 'queued', detail: reason });
    expect(useConversationStore.getState().events.at(-1)).toMatchObject({ id: 4, delivery: 'queued', deliveryDetail: reason });
    useConversationStore.getState().applyDelivery({ eventId: 4, caseId: 1, status: 'delivered', detail: null });
    expect(useConversationStore.getState().events.at(-1)).toMatchObject({ id: 4, delivery: 'delivered', deliveryDetail: null });
    expect(ids(useConversationStore.getState().events)).toEqual([1, 2, 3, 4]);
  });

  it('keeps an event that arrived while the first page was loading', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const page = timelineOf(3);
    fakeMain({ customerTimeline: async (input) => (await gate, page(input)) });
    const opening = useConversationStore.getState().open(7, 1);
    useConversationStore.getState().applyAppended(ev(4, 4));
    release();
    await opening;
    expect(ids(useConversationStore.getState().events)).toEqual([1, 2, 3, 4]);
  });

  it('drops the answer for a customer the agent has already left', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const jane = timelineOf(3, 7);
    const bob = timelineOf(2, 8);
    fakeMain({ customerTimeline: async (input) => (input.customerId === 7 ? (await gate, jane(input)) : bob(input)) });
    const first = useConversationStore.getState().open(7, 1);
    await useConversationStore.getState().open(8, 2);
    release();
    await first;
    const s = useConversationStore.getState();
    expect(s.customerId).toBe(8);
    expect(s.events.every((e) => e.customerId === 8)).toBe(true);
  });

  it('shows the error sentence when the timeline cannot be read', async () => {
    fakeMain({
      customerTimeline: () => {
        throw new Error('Customer 7 does not exist.');
      },
    });
    await useConversationStore.getState().open(7, 1);
    expect(useConversationStore.getState()).toMatchObject({ status: 'error', error: 'Customer 7 does not exist.' });
  });
});

describe('the queue slice', () => {
  const item = (caseId: number, assignedAgentId: number | null): QueueItem => ({
    caseId,
    customerId: caseId + 100,
    customerName: `Customer ${caseId}`,
    company: null,
    tier: 'standard',
    vip: false,
    subject: `Case ${caseId}`,
    preview: '…',
    channel: 'chat',
    priority: 'normal',
    status: 'open',
    issueType: 'other',
    assignedAgentId,
    waitingSince: T0,
    slaDueAt: null,
    tags: [],
  });

  it('derives the Mine and Unassigned views and their counts from one snapshot, in its order', async () => {
    const items = [item(3, 1), item(1, null), item(2, 2), item(4, 1)];
    const main = fakeMain({ queueSnapshot: () => ({ items, total: items.length, at: T0 }) });
    useQueueStore.getState().setAgentId(1);
    await useQueueStore.getState().refresh();
    expect(useQueueStore.getState().counts).toEqual({ all: 4, mine: 2, unassigned: 1 });
    useQueueStore.getState().setView('mine');
    expect(useQueueStore.getState().visible.map((i) => i.caseId)).toEqual([3, 4]);
    useQueueStore.getState().setView('all');
    expect(main.calls.filter(([m]) => m === 'queueSnapshot')).toHaveLength(1);
  });

  it('starts on the first row, moves with j / k within the view and keeps the selection on its case when the queue reorders', async () => {
    let items = [item(1, null), item(2, null), item(3, null)];
    fakeMain({ queueSnapshot: () => ({ items, total: items.length, at: T0 }) });
    useQueueStore.getState().select(null);
    await useQueueStore.getState().refresh();
    const q = () => useQueueStore.getState();
    expect(q().selectedCaseId).toBe(1);
    q().moveSelection(1);
    q().moveSelection(1);
    q().moveSelection(1);
    expect(q().selectedCaseId).toBe(3);
    q().moveSelection(-1);
    expect(q().selectedCaseId).toBe(2);
    items = [item(2, null), item(3, null), item(1, null)];
    await q().refresh();
    expect(q().selectedCaseId).toBe(2);
    q().moveSelection(1);
    expect(q().selectedCaseId).toBe(3);
  });

  it('reads the snapshot once more after a burst of queueChanged, not once per event', async () => {
    const items = [item(1, null)];
    let release!: () => void;
    let gate = new Promise<void>((r) => (release = r));
    const main = fakeMain({ queueSnapshot: async () => (await gate, { items, total: 1, at: T0 }) });
    const first = useQueueStore.getState().refresh();
    void useQueueStore.getState().refresh();
    void useQueueStore.getState().refresh();
    const firstRelease = release;
    gate = Promise.resolve();
    firstRelease();
    await first;
    expect(main.calls.filter(([m]) => m === 'queueSnapshot')).toHaveLength(2);
  });
});
