// The merge and split slice: which dialog is open (merge the open case into another, or split it at
// a message), and the two actions. After either, the customer's timeline is read again (its events
// changed cases) and the case that now holds the conversation is opened; the queue follows queueChanged.
import { create } from 'zustand';
import type { TimelineEvent } from '../../../shared/domain';
import { getApi } from '../api';
import { openConversation } from './actions';
import { useCaseActionsStore } from './caseActions';
import type { CaseMeta } from './caseStatus';
import { useConversationStore } from './conversation';
import { t } from '../i18n';
import { messageOf } from './errors';

export interface CaseToolsState {
  mergeFor: CaseMeta | null;
  splitAt: { meta: CaseMeta; event: TimelineEvent } | null;
  busy: boolean;
  error: string | null;
  openMerge(meta: CaseMeta): void;
  openSplit(meta: CaseMeta, event: TimelineEvent): void;
  close(): void;
  /** True when merged (the target is then the open case). */
  merge(meta: CaseMeta, intoCaseId: number): Promise<boolean>;
  /** True when split (the new case is then the open one). */
  split(meta: CaseMeta, eventId: number, subject: string): Promise<boolean>;
}

/** Reads the customer's timeline again and opens `caseId`. */
async function reopenAt(customerId: number, caseId: number): Promise<void> {
  useConversationStore.getState().close();
  await openConversation(customerId, caseId);
}

export const useCaseToolsStore = create<CaseToolsState>()((set, get) => ({
  mergeFor: null,
  splitAt: null,
  busy: false,
  error: null,

  openMerge: (meta) => set({ mergeFor: meta, splitAt: null, error: null }),
  openSplit: (meta, event) => set({ splitAt: { meta, event }, mergeFor: null, error: null }),
  close: () => set({ mergeFor: null, splitAt: null, error: null }),

  async merge(meta, intoCaseId) {
    if (get().busy) return false;
    const customerId = useConversationStore.getState().customerId;
    set({ busy: true, error: null });
    try {
      const result = await getApi().mergeCase({ caseId: meta.caseId, intoCaseId });
      useCaseActionsStore.setState((s) => ({ views: { ...s.views, [result.source.caseId]: result.source, [result.target.caseId]: result.target } }));
      set({ busy: false, mergeFor: null });
      if (customerId !== null) await reopenAt(customerId, intoCaseId);
      return true;
    } catch (e) {
      set({ busy: false, error: messageOf(e, t('caseActions:error.merge')) });
      return false;
    }
  },

  async split(meta, eventId, subject) {
    if (get().busy) return false;
    set({ busy: true, error: null });
    try {
      const result = await getApi().splitCase({ caseId: meta.caseId, eventId, ...(subject.trim() ? { subject: subject.trim() } : {}) });
      useCaseActionsStore.setState((s) => ({ views: { ...s.views, [result.original.caseId]: result.original, [result.created.caseId]: result.created } }));
      set({ busy: false, splitAt: null });
      await reopenAt(result.customerId, result.created.caseId);
      return true;
    } catch (e) {
      set({ busy: false, error: messageOf(e, t('caseActions:error.split')) });
      return false;
    }
  },
}));
