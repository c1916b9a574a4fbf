// The session slice: who is signed in and how the workspace runs (appInfo), loaded once at start.
import { create } from 'zustand';
import type { RequestOutput } from '../../../shared/contract';
import { getApi } from '../api';
import { t } from '../i18n';
import { messageOf } from './errors';

export type AppInfo = RequestOutput<'appInfo'>;

export interface SessionState {
  info: AppInfo | null;
  loading: boolean;
  error: string | null;
  load(): Promise<AppInfo | null>;
}

export const useSessionStore = create<SessionState>()((set) => ({
  info: null,
  loading: false,
  error: null,
  async load() {
    set({ loading: true, error: null });
    try {
      const info = await getApi().appInfo({});
      set({ info, loading: false });
      return info;
    } catch (e) {
      set({ loading: false, error: messageOf(e, t('errors:session')) });
      return null;
    }
  },
}));

export const selectAgentName = (s: SessionState) => s.info?.agent.name ?? null;
export const selectAgentId = (s: SessionState) => s.info?.agent.id ?? null;
export const selectMode = (s: SessionState) => s.info?.mode ?? null;
export const selectSessionError = (s: SessionState) => s.error;
