// Actions that span slices: opening a conversation loads the customer's timeline and profile and
// makes the case the open one; starting the workspace wires the API's events into the slices.
import type { OmniApi } from '../../../shared/rpc';
import type { WsTransport } from '../transport/wsTransport';
import { startHubSlice, useHubStore } from './hub';
import { useCaseStatusStore } from './caseStatus';
import { startClock } from './clock';
import { useConnectionStore } from './connection';
import { useConversationStore } from './conversation';
import { useCustomerStore } from './customer';
import { useInsightsStore } from './insights';
import { useMailAccountsStore } from './mailAccounts';
import { useQueueStore } from './queue';
import { useSessionStore } from './session';
import { startDesktopSlice } from './desktop';
import { startLiveConsole } from './liveConsole';

/** Opens a case (or, with caseId null, a customer: their first open case becomes the open one). */
export async function openConversation(customerId: number, caseId: number | null): Promise<void> {
  if (caseId !== null) useQueueStore.getState().select(caseId);
  const timeline = useConversationStore.getState().open(customerId, caseId);
  const profile = await useCustomerStore.getState().load(customerId);
  const conversation = useConversationStore.getState();
  if (caseId === null && profile && conversation.customerId === customerId && conversation.caseId === null) {
    const first = profile.openCases[0];
    if (first) {
      conversation.setCase(first.id);
      useQueueStore.getState().select(first.id);
    }
  }
  void useInsightsStore.getState().load(useConversationStore.getState().caseId);
  await timeline;
}

/** Opens the queue's selected case (Enter). */
export function openSelected(): void {
  const { selectedCaseId, items } = useQueueStore.getState();
  const item = items.find((i) => i.caseId === selectedCaseId);
  if (item) void openConversation(item.customerId, item.caseId);
}

export interface WorkspaceHost {
  api: OmniApi;
  transport: WsTransport | null;
  window?: Pick<Window, 'addEventListener' | 'removeEventListener'>;
}

/** Loads the session and the queue and keeps every slice current; returns the stop. */
export function startWorkspace({ api, transport, window: win }: WorkspaceHost): () => void {
  const stops: Array<() => void> = [];
  const connection = useConnectionStore.getState();

  stops.push(startClock());
  stops.push(startLiveConsole(api));

  // Refetching on every queueChanged is cheap: the slice coalesces bursts into one more read.
  stops.push(api.on('queueChanged', () => void useQueueStore.getState().refresh()));
  stops.push(
    api.on('timelineAppended', ({ event }) => {
      useConversationStore.getState().applyAppended(event);
      // A customer message reopens a resolved case (the store did it); the queue shows it from now on.
      if (event.caseId !== null && event.direction === 'in') useCaseStatusStore.getState().forget(event.caseId);
      // A message or a reply on the open case moves its clocks.
      if (event.caseId !== null && event.caseId === useInsightsStore.getState().caseId) void useInsightsStore.getState().load(event.caseId);
    }),
  );
  // A new channel configuration moves the SLA clocks: the open case's are read again (the queue follows queueChanged).
  stops.push(api.on('channelConfigChanged', () => void useInsightsStore.getState().load(useInsightsStore.getState().caseId)));
  stops.push(api.on('deliveryChanged', (change) => useConversationStore.getState().applyDelivery(change)));
  stops.push(api.on('connectionChanged', ({ state, detail }) => connection.setHub(state, detail)));
  stops.push(api.on('mailAccountChanged', ({ accountId, account }) => useMailAccountsStore.getState().applyChanged(accountId, account)));
  stops.push(startHubSlice(api));
  stops.push(startDesktopSlice(api, typeof window !== 'undefined' && win === window ? { location: window.location, history: window.history } : {}));

  let loading: Promise<void> | null = null;
  const loadAll = () => {
    loading ??= (async () => {
      const info = await useSessionStore.getState().load();
      if (info) useQueueStore.getState().setAgentId(info.agent.id);
      await useQueueStore.getState().refresh();
    })().finally(() => {
      loading = null;
    });
    return loading;
  };

  if (transport) {
    connection.setTransport(transport.state);
    let wasOnline = transport.state === 'online';
    let everOnline = wasOnline;
    stops.push(
      transport.onState((state) => {
        useConnectionStore.getState().setTransport(state);
        if (state === 'online' && !wasOnline) {
          if (useSessionStore.getState().info === null) {
            // The first load failed (or still waits for this very connection).
            void loadAll();
          } else if (everOnline) {
            // Events sent while the socket was down are lost: read again what they would have changed.
            void useQueueStore.getState().refresh();
            void useConversationStore.getState().refreshNewest();
            void useCustomerStore.getState().reload();
            void useHubStore.getState().load();
          }
          everOnline = true;
        }
        wasOnline = state === 'online';
      }),
    );
  } else {
    connection.setTransport('online');
  }

  if (win) {
    const online = () => {
      useConnectionStore.getState().setBrowserOnline(true);
      transport?.reconnectNow();
    };
    const offline = () => useConnectionStore.getState().setBrowserOnline(false);
    win.addEventListener('online', online);
    win.addEventListener('offline', offline);
    stops.push(() => {
      win.removeEventListener('online', online);
      win.removeEventListener('offline', offline);
    });
  }

  void loadAll();
  return () => {
    for (const stop of stops.reverse()) stop();
  };
}
