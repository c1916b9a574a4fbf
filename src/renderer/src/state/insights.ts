// The insights slice: what the engines say about the open case (SLA clocks, the channel to offer).
import { create } from 'zustand';
import type { CaseInsights } from '../../../shared/caseInsights';
import { getApi } from '../api';

export interface InsightsState {
  caseId: number | null;
  insights: CaseInsights | null;
  /** Loads (or re-reads) the insights of a case; a stale answer for another case is dropped. */
  load(caseId: number | null): Promise<void>;
}

let generation = 0;

export const useInsightsStore = create<InsightsState>()((set, get) => ({
  caseId: null,
  insights: null,

  async load(caseId) {
    const mine = ++generation;
    if (caseId !== get().caseId) set({ caseId, insights: null });
    if (caseId === null) return;
    try {
      const insights = await getApi().caseInsights({ caseId });
      if (mine === generation) set({ insights });
    } catch {
      // The header simply shows no clocks; the timeline and composer carry on.
      if (mine === generation) set({ insights: null });
    }
  },
}));

export const selectInsights = (s: InsightsState) => s.insights;
