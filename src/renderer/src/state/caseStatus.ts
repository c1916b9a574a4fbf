// The case-status slice: resolving the open case from the conversation header. A resolved case
// leaves the queue and the profile's open cases, so the header keeps what it knew about it here
// (until a customer message reopens it) to go on showing the case as resolved.
import { create } from 'zustand';
import type { CaseStatus, Channel, Priority } from '../../../shared/domain';
import { getApi } from '../api';
import { t } from '../i18n';
import { messageOf } from './errors';

/** What the header shows about a case. */
export interface CaseMeta {
  caseId: number;
  subject: string;
  channel: Channel;
  priority: Priority;
  status: CaseStatus;
}

export interface CaseStatusState {
  /** Cases resolved from this workspace, as the header last showed them. */
  resolved: Record<number, CaseMeta>;
  /** The case whose resolve is on its way. */
  resolving: number | null;
  /** Why the last resolve failed, for its case. */
  error: { caseId: number; message: string } | null;
  /** Resolves the case; rejects nothing (the error is kept for the header). */
  resolve(meta: CaseMeta): Promise<boolean>;
  /** A customer message arrived on the case: it is open again, the queue knows it from now on. */
  forget(caseId: number): void;
}

export const isClosedStatus = (status: CaseStatus) => status === 'resolved' || status === 'closed';

export const useCaseStatusStore = create<CaseStatusState>()((set, get) => ({
  resolved: {},
  resolving: null,
  error: null,

  async resolve(meta) {
    if (get().resolving !== null) return false;
    set({ resolving: meta.caseId, error: null });
    try {
      const result = await getApi().resolveCase({ caseId: meta.caseId });
      set((s) => ({ resolving: null, resolved: { ...s.resolved, [meta.caseId]: { ...meta, status: result.status } } }));
      return true;
    } catch (e) {
      set({ resolving: null, error: { caseId: meta.caseId, message: messageOf(e, t('caseActions:error.resolve')) } });
      return false;
    }
  },

  forget(caseId) {
    if (!(caseId in get().resolved)) return;
    set((s) => {
      const resolved = { ...s.resolved };
      delete resolved[caseId];
      return { resolved };
    });
  },
}));

export const selectResolvedMeta = (caseId: number | null) => (s: CaseStatusState) => (caseId === null ? undefined : s.resolved[caseId]);
export const selectResolving = (s: CaseStatusState) => s.resolving;
export const selectResolveError = (s: CaseStatusState) => s.error;
