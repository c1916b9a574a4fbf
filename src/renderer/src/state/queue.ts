// The queue slice: the unified queue as the main process ordered it, the view, the selection.
// It reads the whole "all" snapshot and derives every view (mine, unassigned, breaching soon, one
// per channel) from it with shared/queueViews, so the counts always agree with one another and
// one queueChanged costs one call. "Breaching soon" moves with the shared clock.
import { create } from 'zustand';
import type { QueueItem } from '../../../shared/domain';
import { countViews, filterView, QUEUE_VIEW_IDS, type QueueViewId, type ViewCounts } from '../../../shared/queueViews';
import { getApi } from '../api';
import { useClockStore } from './clock';
import { t } from '../i18n';
import { messageOf } from './errors';

export const QUEUE_VIEWS = QUEUE_VIEW_IDS;
export type QueueView = QueueViewId;
/** The counts of the first three views (kept for callers that only know those). */
export type QueueCounts = Record<'all' | 'mine' | 'unassigned', number>;

export interface QueueState {
  /** The "all" snapshot, in the main process's order. */
  items: QueueItem[];
  /** The items of the current view, derived from `items`. */
  visible: QueueItem[];
  counts: QueueCounts;
  /** The count of every view. */
  viewCounts: ViewCounts;
  view: QueueView;
  /** The signed-in agent, for the Mine view. */
  agentId: number | null;
  /** Kept by case id, so the selection stays on its case when the queue reorders. */
  selectedCaseId: number | null;
  /** When the snapshot was taken; null before the first one. */
  at: number | null;
  loading: boolean;
  error: string | null;

  refresh(): Promise<void>;
  setView(view: QueueView): void;
  setAgentId(agentId: number | null): void;
  select(caseId: number | null): void;
  /** Moves the selection by `delta` rows in the current view (j / k). */
  moveSelection(delta: number): void;
  /** Derives the views again (the clock moved: "breaching soon" may have changed). */
  rederive(): void;
}

export function viewItems(items: readonly QueueItem[], view: QueueView, agentId: number | null, now = useClockStore.getState().now): QueueItem[] {
  return filterView(items, view, { agentId, now });
}

export function queueCounts(items: readonly QueueItem[], agentId: number | null, now = useClockStore.getState().now): QueueCounts {
  const { all, mine, unassigned } = countViews(items, { agentId, now });
  return { all, mine, unassigned };
}

const derive = (items: QueueItem[], view: QueueView, agentId: number | null) => {
  const ctx = { agentId, now: useClockStore.getState().now };
  const viewCounts = countViews(items, ctx);
  return {
    visible: filterView(items, view, ctx),
    counts: { all: viewCounts.all, mine: viewCounts.mine, unassigned: viewCounts.unassigned },
    viewCounts,
  };
};

// A queueChanged during a fetch asks for one more fetch afterwards, not one per event.
let inFlight: Promise<void> | null = null;
let again = false;

export const useQueueStore = create<QueueState>()((set, get) => ({
  items: [],
  visible: [],
  counts: { all: 0, mine: 0, unassigned: 0 },
  viewCounts: countViews([], { agentId: null, now: 0 }),
  view: 'all',
  agentId: null,
  selectedCaseId: null,
  at: null,
  loading: false,
  error: null,

  refresh() {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    const run = async () => {
      do {
        again = false;
        set({ loading: true });
        try {
          const snapshot = await getApi().queueSnapshot({ view: 'all' });
          const { view, agentId, selectedCaseId } = get();
          const derived = derive(snapshot.items, view, agentId);
          // The first row starts selected, so j / k and Enter work from the first key press.
          const selection = selectedCaseId ?? derived.visible[0]?.caseId ?? null;
          set({ items: snapshot.items, at: snapshot.at, loading: false, error: null, selectedCaseId: selection, ...derived });
        } catch (e) {
          set({ loading: false, error: messageOf(e, t('errors:queue')) });
        }
      } while (again);
    };
    inFlight = run().finally(() => {
      inFlight = null;
    });
    return inFlight;
  },

  setView(view) {
    const { items, agentId, selectedCaseId } = get();
    const derived = derive(items, view, agentId);
    // The selection follows into the view, so j / k and Enter go on working after a switch.
    const keep = derived.visible.some((i) => i.caseId === selectedCaseId);
    set({ view, ...derived, selectedCaseId: keep ? selectedCaseId : (derived.visible[0]?.caseId ?? selectedCaseId) });
  },

  setAgentId(agentId) {
    const { items, view } = get();
    set({ agentId, ...derive(items, view, agentId) });
  },

  rederive() {
    const { items, view, agentId } = get();
    set(derive(items, view, agentId));
  },

  select(caseId) {
    set({ selectedCaseId: caseId });
  },

  moveSelection(delta) {
    const { visible, selectedCaseId } = get();
    if (visible.length === 0) return;
    const current = visible.findIndex((i) => i.caseId === selectedCaseId);
    const next = current === -1 ? (delta > 0 ? 0 : visible.length - 1) : Math.min(visible.length - 1, Math.max(0, current + delta));
    set({ selectedCaseId: visible[next]!.caseId });
  },
}));

export const selectVisible = (s: QueueState) => s.visible;
export const selectCounts = (s: QueueState) => s.counts;
export const selectViewCounts = (s: QueueState) => s.viewCounts;
export const selectView = (s: QueueState) => s.view;
export const selectSelectedCaseId = (s: QueueState) => s.selectedCaseId;
export const selectSelectedIndex = (s: QueueState) => s.visible.findIndex((i) => i.caseId === s.selectedCaseId);
export const selectQueueStatus = (s: QueueState) => (s.error && s.at === null ? 'error' : s.at === null ? 'loading' : 'ready');
export const selectQueueError = (s: QueueState) => s.error;
/** The queue row of a case, if the case is in the queue. */
export const selectQueueItem = (caseId: number | null) => (s: QueueState) => (caseId === null ? undefined : s.items.find((i) => i.caseId === caseId));

// The clock ticks every 30 s; a case can enter "breaching soon" without any queueChanged.
useClockStore.subscribe((clock, previous) => {
  if (clock.now !== previous.now && useQueueStore.getState().at !== null) useQueueStore.getState().rederive();
});
