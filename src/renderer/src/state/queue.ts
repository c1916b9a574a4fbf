// The queue slice: the unified queue as the main process ordered it, the view tab, the selection.
// It reads the whole "all" snapshot and derives the Mine / Unassigned views from it, so the three
// tab counts always agree with one another and one queueChanged costs one call.
import { create } from 'zustand';
import type { QueueItem } from '../../../shared/domain';
import { getApi } from '../api';
import { messageOf } from './errors';

export const QUEUE_VIEWS = ['all', 'mine', 'unassigned'] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];
export type QueueCounts = Record<QueueView, number>;

export interface QueueState {
  /** The "all" snapshot, in the main process's order. */
  items: QueueItem[];
  /** The items of the current view, derived from `items`. */
  visible: QueueItem[];
  counts: QueueCounts;
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
}

export function viewItems(items: readonly QueueItem[], view: QueueView, agentId: number | null): QueueItem[] {
  if (view === 'mine') return items.filter((i) => agentId !== null && i.assignedAgentId === agentId);
  if (view === 'unassigned') return items.filter((i) => i.assignedAgentId === null);
  return items as QueueItem[];
}

export function queueCounts(items: readonly QueueItem[], agentId: number | null): QueueCounts {
  let mine = 0;
  let unassigned = 0;
  for (const i of items) {
    if (i.assignedAgentId === null) unassigned++;
    else if (agentId !== null && i.assignedAgentId === agentId) mine++;
  }
  return { all: items.length, mine, unassigned };
}

const derive = (items: QueueItem[], view: QueueView, agentId: number | null) => ({
  visible: viewItems(items, view, agentId),
  counts: queueCounts(items, agentId),
});

// A queueChanged during a fetch asks for one more fetch afterwards, not one per event.
let inFlight: Promise<void> | null = null;
let again = false;

export const useQueueStore = create<QueueState>()((set, get) => ({
  items: [],
  visible: [],
  counts: { all: 0, mine: 0, unassigned: 0 },
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
          set({ loading: false, error: messageOf(e, 'The queue could not be loaded.') });
        }
      } while (again);
    };
    inFlight = run().finally(() => {
      inFlight = null;
    });
    return inFlight;
  },

  setView(view) {
    const { items, agentId } = get();
    set({ view, ...derive(items, view, agentId) });
  },

  setAgentId(agentId) {
    const { items, view } = get();
    set({ agentId, ...derive(items, view, agentId) });
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
export const selectView = (s: QueueState) => s.view;
export const selectSelectedCaseId = (s: QueueState) => s.selectedCaseId;
export const selectSelectedIndex = (s: QueueState) => s.visible.findIndex((i) => i.caseId === s.selectedCaseId);
export const selectQueueStatus = (s: QueueState) => (s.error && s.at === null ? 'error' : s.at === null ? 'loading' : 'ready');
export const selectQueueError = (s: QueueState) => s.error;
/** The queue row of a case, if the case is in the queue. */
export const selectQueueItem = (caseId: number | null) => (s: QueueState) => (caseId === null ? undefined : s.items.find((i) => i.caseId === caseId));
