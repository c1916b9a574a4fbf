// The live console slice: the hub's team snapshot as main pushes it (no polling), the alert banners
// it raised (new ones only, each dismissable), whether the console view is open, and its actions
// (take, reassign, capacity) with the sentence to show for the result.
import { create } from 'zustand';
import type { EventPayload } from '../../../shared/contract';
import type { OmniApi } from '../../../shared/rpc';
import { getApi } from '../api';
import { t } from '../i18n';
import { messageOf } from './errors';
import { useSupervisorStore } from './supervisor';

type Update = EventPayload<'supervisorConsoleUpdated'>;
export type TeamSnapshot = Update['snapshot'];
export type ConsoleAlert = Update['alerts'][number];
export type AgentState = TeamSnapshot['agents'][number];
export type Capacity = AgentState['capacity'];

/** Banners kept at most (the oldest go first). */
const MAX_ALERTS = 5;

export interface ConsoleResult {
  tone: 'ok' | 'error';
  text: string;
}

export interface LiveConsoleState {
  open: boolean;
  snapshot: TeamSnapshot | null;
  /** The hub's clock minus ours when the snapshot came (waits are counted on from the hub's time). */
  skewMs: number;
  alerts: ConsoleAlert[];
  loading: boolean;
  error: string | null;
  busy: boolean;
  result: ConsoleResult | null;
  openConsole(): void;
  closeConsole(): void;
  load(): Promise<void>;
  apply(update: Update, now?: number): void;
  dismiss(key: string): void;
  take(conversationId: number): Promise<void>;
  reassign(conversationId: number, agentId: number): Promise<void>;
  setCapacity(agentId: number, capacity: Capacity): Promise<void>;
}

const skewOf = (snapshot: TeamSnapshot, now: number) => (snapshot.at === undefined ? 0 : snapshot.at - now);

export const useLiveConsoleStore = create<LiveConsoleState>()((set, get) => {
  const act = async (run: () => Promise<string>, fallback: string) => {
    set({ busy: true, result: null });
    try {
      const text = await run();
      set({ busy: false, result: { tone: 'ok', text } });
    } catch (e) {
      set({ busy: false, result: { tone: 'error', text: messageOf(e, fallback) } });
    }
  };
  const nameOf = (agentId: number) => get().snapshot?.agents.find((a) => a.agentId === agentId)?.displayName ?? `#${agentId}`;
  const contactOf = (conversationId: number) => {
    const snapshot = get().snapshot;
    const waiting = snapshot?.waiting.find((w) => w.conversationId === conversationId);
    const held = snapshot?.assigned.flatMap((a) => a.conversations).find((c) => c.conversationId === conversationId);
    return (waiting ?? held)?.contact ?? `#${conversationId}`;
  };
  return {
    open: false,
    snapshot: null,
    skewMs: 0,
    alerts: [],
    loading: false,
    error: null,
    busy: false,
    result: null,
    openConsole() {
      useSupervisorStore.getState().closeDashboard();
      set({ open: true, result: null });
      void get().load();
    },
    closeConsole: () => set({ open: false }),
    async load() {
      set({ loading: true, error: null });
      try {
        const { snapshot } = await getApi().supervisorConsole({});
        // A pushed snapshot may have arrived meanwhile; keep the newer one.
        const current = get().snapshot;
        if (snapshot && (!current || (snapshot.at ?? 0) >= (current.at ?? 0))) set({ snapshot, skewMs: skewOf(snapshot, Date.now()) });
        set({ loading: false, error: snapshot || get().snapshot ? null : t('console:noFeed') });
      } catch (e) {
        set({ loading: false, error: messageOf(e, t('console:loadFailed')) });
      }
    },
    apply({ snapshot, alerts }, now = Date.now()) {
      const fresh = alerts.filter((a) => !get().alerts.some((b) => b.key === a.key));
      // A conversation no longer waiting (taken, answered) needs no banner; the full list is the hub's first 100 only.
      const waiting = new Set(snapshot.waiting.map((w) => w.conversationId));
      const listComplete = snapshot.waiting.length < 100;
      const current = get().alerts.filter((a) => a.conversationId === null || !listComplete || waiting.has(a.conversationId));
      set({ snapshot, skewMs: skewOf(snapshot, now), error: null, alerts: [...current, ...fresh].slice(-MAX_ALERTS) });
    },
    dismiss: (key) => set({ alerts: get().alerts.filter((a) => a.key !== key) }),
    take: (conversationId) =>
      act(async () => {
        const { reassigned } = await getApi().supervisorTake({ conversationId });
        return reassigned ? t('console:tookIt', { contact: contactOf(conversationId) }) : t('console:alreadyYours');
      }, t('console:actionFailed')),
    reassign: (conversationId, agentId) =>
      act(async () => {
        const { reassigned } = await getApi().supervisorReassign({ conversationId, agentId });
        return reassigned ? t('console:reassigned', { contact: contactOf(conversationId), agent: nameOf(agentId) }) : t('console:alreadyTheirs', { agent: nameOf(agentId) });
      }, t('console:actionFailed')),
    setCapacity: (agentId, capacity) =>
      act(async () => {
        const { state } = await getApi().supervisorCapacity({ agentId, capacity });
        return t('console:capacitySaved', { agent: state.displayName });
      }, t('console:actionFailed')),
  };
});

/** Wires the pushed snapshots into the slice; returns the stop. */
export function startLiveConsole(api: OmniApi): () => void {
  const stopEvents = api.on('supervisorConsoleUpdated', (update) => useLiveConsoleStore.getState().apply(update));
  // The dashboard and the console take the same place: opening one puts the other away.
  const stopDashboard = useSupervisorStore.subscribe((s, before) => {
    if (s.open && !before.open) useLiveConsoleStore.getState().closeConsole();
  });
  return () => (stopEvents(), stopDashboard());
}
