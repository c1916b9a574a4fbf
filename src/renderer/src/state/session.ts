// The session slice: who is signed in and how the workspace runs (appInfo), loaded once at start.
import { create } from 'zustand';
import type { RequestOutput } from '../../../shared/contract';
import { getApi } from '../api';
import { currentLocale, t } from '../i18n';
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
      if (info.mode === 'electron') rememberLanguage();
      return info;
    } catch (e) {
      set({ loading: false, error: messageOf(e, t('errors:session')) });
      return null;
    }
  },
}));

/** Tells the desktop app the workspace's language, for Chromium's --lang at its next start (its native date pickers). */
export function rememberLanguage(): void {
  getApi()
    .rememberLanguage({ language: currentLocale() })
    .catch(() => undefined); // only the pickers' language waits for another chance
}

export const selectAgentName = (s: SessionState) => s.info?.agent.name ?? null;
export const selectAgentId = (s: SessionState) => s.info?.agent.id ?? null;
export const selectMode = (s: SessionState) => s.info?.mode ?? null;
export const selectSessionError = (s: SessionState) => s.error;
