// The conversation slice: the open case and its customer's cross-channel timeline, oldest first,
// paged backwards with the `older` cursor and kept current by timelineAppended events.
import { create } from 'zustand';
import type { EventPayload, TimelineCursor } from '../../../shared/contract';
import type { TimelineEvent } from '../../../shared/domain';
import { getApi } from '../api';
import { compareEvents, mergeEvents, upsertEvent } from '../timelinePages';
import { t } from '../i18n';
import { messageOf } from './errors';

export const TIMELINE_PAGE = 50;

export interface ConversationState {
  customerId: number | null;
  /** The open case, the one the composer replies on; null when a customer was opened without one. */
  caseId: number | null;
  events: TimelineEvent[];
  /** Cursor of the next older page; null once the oldest event is loaded. */
  older: TimelineCursor | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  loadingOlder: boolean;
  olderError: string | null;
  /** Bumped when the view should jump to the newest event (the agent's own reply went out). */
  followRequest: number;

  /** Opens a customer's timeline (newest page) and makes `caseId` the open case. */
  open(customerId: number, caseId: number | null): Promise<void>;
  setCase(caseId: number | null): void;
  loadOlder(): Promise<void>;
  /** Applies a live event; ignored unless it belongs to the open customer. */
  applyAppended(event: TimelineEvent): void;
  /** Applies a deliveryChanged event to the open timeline's outgoing message (status and reason). */
  applyDelivery(change: EventPayload<'deliveryChanged'>): void;
  /** Re-reads the newest page and merges it (after a reconnect, events may have been missed). */
  refreshNewest(): Promise<void>;
  /** Asks the timeline view to show the newest event. */
  follow(): void;
  close(): void;
}

// Each open() starts a generation; answers for an earlier one are dropped.
let generation = 0;

export const useConversationStore = create<ConversationState>()((set, get) => ({
  customerId: null,
  caseId: null,
  events: [],
  older: null,
  status: 'idle',
  error: null,
  loadingOlder: false,
  olderError: null,
  followRequest: 0,

  async open(customerId, caseId) {
    if (get().customerId === customerId && get().status !== 'error') {
      set({ caseId });
      return;
    }
    const mine = ++generation;
    set({ customerId, caseId, events: [], older: null, status: 'loading', error: null, loadingOlder: false, olderError: null });
    try {
      const page = await getApi().customerTimeline({ customerId, limit: TIMELINE_PAGE });
      if (mine !== generation) return;
      // Live events that arrived while the page loaded are already in `events`.
      set((s) => ({ events: mergeEvents(page.events, s.events), older: page.older, status: 'ready' }));
    } catch (e) {
      if (mine !== generation) return;
      set({ status: 'error', error: messageOf(e, t('errors:timeline')) });
    }
  },

  setCase(caseId) {
    set({ caseId });
  },

  async loadOlder() {
    const { customerId, older, loadingOlder, status } = get();
    if (customerId === null || older === null || loadingOlder || status !== 'ready') return;
    const mine = generation;
    set({ loadingOlder: true, olderError: null });
    try {
      const page = await getApi().customerTimeline({ customerId, before: older, limit: TIMELINE_PAGE });
      if (mine !== generation) return;
      set((s) => ({ events: mergeEvents(s.events, page.events), older: page.older, loadingOlder: false }));
    } catch (e) {
      if (mine !== generation) return;
      set({ loadingOlder: false, olderError: messageOf(e, t('errors:older')) });
    }
  },

  applyAppended(event) {
    const { customerId, status } = get();
    if (customerId !== event.customerId || status === 'error') return;
    set((s) => ({ events: upsertEvent(s.events, event) }));
  },

  applyDelivery({ eventId, status, detail, detailText }) {
    const { events } = get();
    const index = events.findIndex((e) => e.id === eventId);
    if (index < 0) return;
    const current = events[index]!;
    if (current.delivery === status && current.deliveryDetail === detail) return;
    const next = events.slice();
    next[index] = { ...current, delivery: status, deliveryDetail: detail, deliveryText: detailText ?? null };
    set({ events: next });
  },

  async refreshNewest() {
    const { customerId, status } = get();
    if (customerId === null) return;
    if (status === 'error') {
      set({ customerId: null });
      return get().open(customerId, get().caseId);
    }
    const mine = generation;
    try {
      const page = await getApi().customerTimeline({ customerId, limit: TIMELINE_PAGE });
      if (mine !== generation) return;
      set((s) => {
        const newestLoaded = s.events[s.events.length - 1];
        const oldestNew = page.events[0];
        // The page is the newest run of events; it joins up with what is loaded unless more
        // happened while away than one page holds. Then start again from the new page.
        const joined = !newestLoaded || !oldestNew || !page.older || compareEvents(oldestNew, newestLoaded) <= 0;
        return joined
          ? { events: mergeEvents(s.events, page.events), status: 'ready' as const }
          : { events: page.events, older: page.older, status: 'ready' as const };
      });
    } catch {
      // The next reconnect or event tries again; the loaded timeline stays readable.
    }
  },

  follow() {
    set((s) => ({ followRequest: s.followRequest + 1 }));
  },

  close() {
    generation++;
    set({ customerId: null, caseId: null, events: [], older: null, status: 'idle', error: null, loadingOlder: false, olderError: null });
  },
}));

export const selectEvents = (s: ConversationState) => s.events;
export const selectOpenCaseId = (s: ConversationState) => s.caseId;
export const selectOpenCustomerId = (s: ConversationState) => s.customerId;
export const selectTimelineStatus = (s: ConversationState) => s.status;
export const selectTimelineError = (s: ConversationState) => s.error;
export const selectHasOlder = (s: ConversationState) => s.older !== null;
export const selectLoadingOlder = (s: ConversationState) => s.loadingOlder;
export const selectOlderError = (s: ConversationState) => s.olderError;
export const selectFollowRequest = (s: ConversationState) => s.followRequest;
