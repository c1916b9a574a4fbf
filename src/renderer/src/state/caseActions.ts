// The case-actions slice: the open case's resolution code, snooze and links (for the header), the
// resolve dialog, and the actions themselves (resolve with a code, snooze, reopen, link). After each
// action the profile and the SLA clocks are read again; the queue follows its queueChanged event.
import { create } from 'zustand';
import type { CaseActionsView, ResolutionCodeId } from '../../../shared/contractCaseActions';
import { getApi } from '../api';
import { useCaseStatusStore, type CaseMeta } from './caseStatus';
import { useCustomerStore } from './customer';
import { t } from '../i18n';
import { messageOf } from './errors';
import { useInsightsStore } from './insights';

export interface CaseActionsState {
  views: Record<number, CaseActionsView>;
  /** The case whose resolve dialog is open. */
  resolveDialogFor: CaseMeta | null;
  /** The case whose action is on its way. */
  busy: number | null;
  /** Why the last action failed, for its case. */
  error: { caseId: number; message: string } | null;
  load(caseId: number | null): Promise<void>;
  openResolveDialog(meta: CaseMeta): void;
  closeResolveDialog(): void;
  resolve(meta: CaseMeta, code: ResolutionCodeId): Promise<boolean>;
  /** Until a time, or with null until the customer writes. */
  snooze(meta: CaseMeta, until: number | null): Promise<boolean>;
  reopen(meta: CaseMeta): Promise<boolean>;
  /** Resolves with the error sentence, or null when linked. */
  link(meta: CaseMeta, otherCaseId: number): Promise<string | null>;
  clearError(): void;
}

const agentZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const refreshAround = (caseId: number) => {
  void useCustomerStore.getState().reload();
  void useInsightsStore.getState().load(caseId);
};

export const useCaseActionsStore = create<CaseActionsState>()((set, get) => {
  /** Runs one action; keeps its view, or its error for the header. */
  const run = async (meta: CaseMeta, call: () => Promise<CaseActionsView>, fallback: string): Promise<CaseActionsView | null> => {
    if (get().busy !== null) return null;
    set({ busy: meta.caseId, error: null });
    try {
      const view = await call();
      set((s) => ({ busy: null, views: { ...s.views, [view.caseId]: view } }));
      refreshAround(meta.caseId);
      return view;
    } catch (e) {
      set({ busy: null, error: { caseId: meta.caseId, message: messageOf(e, fallback) } });
      return null;
    }
  };

  return {
    views: {},
    resolveDialogFor: null,
    busy: null,
    error: null,

    async load(caseId) {
      if (caseId === null) return;
      try {
        const view = await getApi().caseActions({ caseId });
        set((s) => ({ views: { ...s.views, [caseId]: view } }));
      } catch {
        // The header shows what it knew; the next action or open reads it again.
      }
    },

    openResolveDialog: (meta) => set({ resolveDialogFor: meta, error: null }),
    closeResolveDialog: () => set({ resolveDialogFor: null }),

    async resolve(meta, code) {
      const view = await run(meta, () => getApi().resolveWithCode({ caseId: meta.caseId, code }), t('caseActions:error.resolve'));
      if (!view) return false;
      // The header keeps showing the resolved case after it leaves the queue.
      useCaseStatusStore.setState((s) => ({ resolved: { ...s.resolved, [meta.caseId]: { ...meta, status: view.status } } }));
      set({ resolveDialogFor: null });
      return true;
    },

    async snooze(meta, until) {
      return (await run(meta, () => getApi().snoozeCase({ caseId: meta.caseId, until, zone: agentZone() }), t('caseActions:error.snooze'))) !== null;
    },

    async reopen(meta) {
      const view = await run(meta, () => getApi().reopenCase({ caseId: meta.caseId }), t('caseActions:error.reopen'));
      if (!view) return false;
      useCaseStatusStore.getState().forget(meta.caseId);
      return true;
    },

    async link(meta, otherCaseId) {
      const view = await run(meta, () => getApi().linkCases({ caseId: meta.caseId, otherCaseId }), t('caseActions:error.link'));
      if (view) return null;
      const error = get().error;
      return error?.caseId === meta.caseId ? error.message : t('caseActions:error.link');
    },

    clearError: () => set({ error: null }),
  };
});

export const selectCaseActionsView = (caseId: number | null) => (s: CaseActionsState) => (caseId === null ? undefined : s.views[caseId]);
export const selectCaseActionsBusy = (s: CaseActionsState) => s.busy;
export const selectCaseActionsError = (s: CaseActionsState) => s.error;
export const selectResolveDialogFor = (s: CaseActionsState) => s.resolveDialogFor;
