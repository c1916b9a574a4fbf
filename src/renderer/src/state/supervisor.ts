// The supervisor slice: whether the dashboard is open, its query (date range, channels) and the
// figures main computed for it. Who may open it: the team hub's account role when a team hub is in
// use, else the desktop's own user (the same rule main enforces on the request).
import { create } from 'zustand';
import type { Channel } from '../../../shared/domain';
import type { Dashboard } from '../../../shared/metrics/dashboard';
import { getApi } from '../api';
import { t } from '../i18n';
import { messageOf } from './errors';
import { useHubStore } from './hub';
import { useSessionStore } from './session';

const DAY = 86_400_000;

export interface DashboardQuery {
  /** Local dates, inclusive, as the date inputs give them (YYYY-MM-DD). */
  fromDate: string;
  toDate: string;
  channels: Channel[];
}

export interface SupervisorState {
  open: boolean;
  query: DashboardQuery;
  data: Dashboard | null;
  loading: boolean;
  error: string | null;
  openDashboard(): void;
  closeDashboard(): void;
  setQuery(patch: Partial<DashboardQuery>): void;
  load(): Promise<void>;
}

const pad = (n: number) => String(n).padStart(2, '0');
export const localDate = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};
/** Local midnight of a YYYY-MM-DD date. */
export const startOfLocalDate = (date: string): number => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).getTime();
};

/** The last 7 days: the six before today and today. */
export function lastSevenDays(now: number): Pick<DashboardQuery, 'fromDate' | 'toDate'> {
  return { fromDate: localDate(now - 6 * DAY), toDate: localDate(now) };
}

/** The half-open range main takes: from the first day's midnight to the midnight after the last day. */
export function rangeOf(query: DashboardQuery): { from: number; to: number } | string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(query.fromDate) || !/^\d{4}-\d{2}-\d{2}$/.test(query.toDate)) return t('supervisor:enterDates');
  const from = startOfLocalDate(query.fromDate);
  const last = startOfLocalDate(query.toDate);
  if (last < from) return t('supervisor:lastBeforeFirst');
  const next = new Date(last);
  next.setDate(next.getDate() + 1);
  return { from, to: next.getTime() };
}

let generation = 0;

export const useSupervisorStore = create<SupervisorState>()((set, get) => ({
  open: false,
  query: { ...lastSevenDays(Date.now()), channels: [] },
  data: null,
  loading: false,
  error: null,
  openDashboard() {
    set({ open: true });
    void get().load();
  },
  closeDashboard: () => set({ open: false }),
  setQuery(patch) {
    set({ query: { ...get().query, ...patch } });
    void get().load();
  },
  async load() {
    const range = rangeOf(get().query);
    if (typeof range === 'string') {
      set({ error: range, loading: false });
      return;
    }
    const mine = ++generation;
    set({ loading: true, error: null });
    try {
      const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const data = await getApi().supervisorDashboard({ ...range, channels: get().query.channels, ...(timeZone ? { timeZone } : {}) });
      if (mine === generation) set({ data, loading: false });
    } catch (e) {
      if (mine === generation) set({ loading: false, error: messageOf(e, t('supervisor:computeFailed')) });
    }
  },
}));

/** The team hub's account role when a team hub is in use, else the desktop's own user's: supervisors and admins see the dashboard. */
export function useIsSupervisor(): boolean {
  const sessionRole = useSessionStore((s) => s.info?.agent.role ?? null);
  const hubRole = useHubStore((s) => (s.status && s.status.hubUrl !== null && !s.status.embedded ? (s.status.agent?.role ?? 'none') : null));
  const role = hubRole === null ? sessionRole : hubRole === 'none' ? null : hubRole;
  return role === 'supervisor' || role === 'admin';
}
