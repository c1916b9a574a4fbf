// The connection slice: the transport to the main process (headless WebSocket; always up in
// Electron), the browser's own online flag, and the desktop's link to its hub and channels as
// reported by connectionChanged. The indicator folds the three into one label.
import { create } from 'zustand';
import type { EventPayload } from '../../../shared/contract';
import type { TransportState } from '../transport/wsTransport';

export type HubState = EventPayload<'connectionChanged'>['state'];

export interface ConnectionState {
  transport: TransportState;
  /** Whether the transport has ever been online: the first connect is not a "reconnect". */
  everOnline: boolean;
  browserOnline: boolean;
  hub: HubState;
  hubDetail: string;
  setTransport(state: TransportState): void;
  setBrowserOnline(online: boolean): void;
  setHub(state: HubState, detail: string): void;
}

export const useConnectionStore = create<ConnectionState>()((set) => ({
  transport: 'connecting',
  everOnline: false,
  browserOnline: typeof navigator === 'undefined' ? true : navigator.onLine,
  hub: 'online',
  hubDetail: '',
  setTransport: (transport) => set((s) => ({ transport, everOnline: s.everOnline || transport === 'online' })),
  setBrowserOnline: (browserOnline) => set({ browserOnline }),
  setHub: (hub, hubDetail) => set({ hub, hubDetail }),
}));

export type IndicatorKind = 'online' | 'offline' | 'reconnecting' | 'connecting';

export interface Indicator {
  kind: IndicatorKind;
  label: string;
}

const INDICATORS: Record<IndicatorKind, Indicator> = {
  online: { kind: 'online', label: 'Online' },
  offline: { kind: 'offline', label: 'Offline — replies are queued' },
  reconnecting: { kind: 'reconnecting', label: 'Reconnecting…' },
  connecting: { kind: 'connecting', label: 'Connecting…' },
};

/**
 * Lost the workspace's own link to the main process: "Reconnecting…" (nothing can be queued then).
 * Link up but the network or hub down: "Offline — replies are queued" (the outbox holds them).
 */
export function indicatorFor(s: Pick<ConnectionState, 'transport' | 'everOnline' | 'browserOnline' | 'hub'>): Indicator {
  if (s.transport !== 'online') return s.everOnline ? INDICATORS.reconnecting : INDICATORS.connecting;
  if (!s.browserOnline || s.hub === 'offline') return INDICATORS.offline;
  if (s.hub === 'connecting') return INDICATORS.reconnecting;
  return INDICATORS.online;
}

export const selectIndicator = (s: ConnectionState) => indicatorFor(s);
export const selectHubDetail = (s: ConnectionState) => s.hubDetail;
