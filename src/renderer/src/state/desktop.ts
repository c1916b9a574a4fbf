// The desktop slice: the update banner, a toast for errors in main, links (omni:, tel:, mailto:,
// from the OS, a notice or `?open=` in the address) turned into workspace actions, Accept from an
// offer notice, and the zoom and pane widths remembered on this desktop (stored by main).
import { create } from 'zustand';
import type { OmniApi } from '../../../shared/rpc';
import { PANE_WIDTH_MAX, PANE_WIDTH_MIN, ZOOM_MAX, ZOOM_MIN, type DeepLinkPayload, type DesktopLayout, type UpdateStateView } from '../../../shared/contractDesktop';
import { getApi } from '../api';
import { t } from '../i18n';
import { openConversation } from './actions';
import { useComposerStore } from './composer';
import { useConversationStore } from './conversation';
import { messageOf } from './errors';
import { useHubStore } from './hub';

export type Pane = 'queue' | 'profile';

export interface Toast {
  tone: 'error' | 'info';
  text: string;
}

export interface DesktopSliceState {
  update: UpdateStateView | null;
  restarting: boolean;
  toast: Toast | null;
  /** A tel: link's number, shown in the dial pad; null: closed. */
  dial: { number: string; display: string } | null;
  zoom: number;
  queueWidth: number | null;
  profileWidth: number | null;
  setUpdate(update: UpdateStateView): void;
  restart(): Promise<void>;
  showToast(toast: Toast | null): void;
  closeDial(): void;
  zoomStep(direction: 1 | -1 | 0): void;
  setPaneWidth(pane: Pane, width: number): void;
  applyLayout(layout: DesktopLayout): void;
}

// ---------------------------------------------------------------- pure parts

export const ZOOM_STEP = 0.1;
export const PANE_STEP = 16;

/** The next zoom level: one step in or out (rounded to tenths, within the limits), or 1 to reset. */
export function nextZoom(current: number, direction: 1 | -1 | 0): number {
  if (direction === 0) return 1;
  const next = Math.round((current + direction * ZOOM_STEP) * 10) / 10;
  return Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, next));
}

export function clampPaneWidth(width: number): number {
  return Math.round(Math.min(PANE_WIDTH_MAX, Math.max(PANE_WIDTH_MIN, width)));
}

/** What the toast says about an error in main; the stack is in the crash log, never on screen. */
export function mainErrorText(message: string): string {
  const sentence = message.trim().replace(/[.\s]+$/, '');
  return t('shell:mainError', { sentence: sentence || t('shell:unexpected') });
}

/** The `open` parameter of the page address (`?open=omni://case/123`), if any. */
export function openParameter(search: string): string | null {
  const value = new URLSearchParams(search).get('open');
  return value && value.trim() ? value.trim() : null;
}

// ---------------------------------------------------------------- the slice

let saveTimer: ReturnType<typeof setTimeout> | null = null;
/** Coalesces a burst (arrow keys held down, a drag) into one write. */
function saveLayout(change: Partial<DesktopLayout>): void {
  pending = { ...pending, ...change };
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    const body = pending;
    pending = {};
    saveTimer = null;
    getApi()
      .saveDesktopLayout(body)
      .catch((e: unknown) => useDesktopStore.getState().showToast({ tone: 'error', text: messageOf(e, t('shell:layoutFailed')) }));
  }, 150);
}
let pending: Partial<DesktopLayout> = {};

export const useDesktopStore = create<DesktopSliceState>()((set, get) => ({
  update: null,
  restarting: false,
  toast: null,
  dial: null,
  zoom: 1,
  queueWidth: null,
  profileWidth: null,
  setUpdate: (update) => set({ update, restarting: false }),
  async restart() {
    set({ restarting: true });
    try {
      const state = await getApi().restartToUpdate({});
      set({ update: { phase: state.phase, version: state.version, percent: state.percent, banner: state.banner }, restarting: false });
    } catch (e) {
      set({ restarting: false, toast: { tone: 'error', text: messageOf(e, t('shell:updateFailed')) } });
    }
  },
  showToast: (toast) => set({ toast }),
  closeDial: () => set({ dial: null }),
  zoomStep(direction) {
    const zoom = nextZoom(get().zoom, direction);
    if (zoom === get().zoom) return;
    set({ zoom });
    saveLayout({ zoom });
  },
  setPaneWidth(pane, width) {
    const w = clampPaneWidth(width);
    const key = pane === 'queue' ? 'queueWidth' : 'profileWidth';
    if (get()[key] === w) return;
    set({ [key]: w } as Pick<DesktopSliceState, typeof key>);
    saveLayout({ [key]: w });
  },
  applyLayout: (layout) => set({ zoom: layout.zoom, queueWidth: layout.queueWidth, profileWidth: layout.profileWidth }),
}));

export const selectUpdate = (s: DesktopSliceState) => s.update;
export const selectToast = (s: DesktopSliceState) => s.toast;

/** Puts a query into the top bar's search box, as if typed. */
function searchFor(query: string): void {
  const input = document.getElementById('global-search');
  if (!(input instanceof HTMLInputElement)) return;
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, query);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.focus();
}

/** Does what a link asks: open the case or customer, start an email to the address, fill the dial pad, search. */
export async function followLink(api: OmniApi, link: DeepLinkPayload, knownCustomerId?: number | null): Promise<void> {
  const desktop = useDesktopStore.getState();
  try {
    switch (link.kind) {
      case 'call':
        desktop.closeDial();
        useDesktopStore.setState({ dial: { number: link.number + (link.extension ? `,${link.extension}` : ''), display: link.display } });
        return;
      case 'search':
        searchFor(link.query);
        return;
      default: {
        const customerId = knownCustomerId !== undefined ? knownCustomerId : (await api.resolveLink({ link })).customerId;
        if (customerId === null) {
          const who = link.kind === 'email' ? link.to.join(', ') : t('shell:thisLink');
          desktop.showToast({ tone: 'info', text: t('shell:noCustomer', { who }) });
          return;
        }
        await openConversation(customerId, link.kind === 'case' ? link.caseId : null);
        if (link.kind === 'email') {
          const caseId = useConversationStore.getState().caseId;
          if (caseId === null) {
            desktop.showToast({ tone: 'info', text: `${link.to.join(', ')} has no open conversation to reply on.` });
            return;
          }
          const composer = useComposerStore.getState();
          await composer.load(caseId, 'email');
          composer.edit(caseId, { channel: 'email', mode: 'reply', ...(link.body ? { body: link.body } : {}), ...(link.subject ? { subject: link.subject } : {}) });
          document.querySelector<HTMLTextAreaElement>('textarea.composer-input')?.focus();
        }
      }
    }
  } catch (e) {
    desktop.showToast({ tone: 'error', text: messageOf(e, t('shell:linkFailed')) });
  }
}

/** Accept from an offer notice: that offer (by id), else the case it names is opened. */
export async function acceptFromNotice(api: OmniApi, caseId: number | null, offerId: number | undefined): Promise<void> {
  if (offerId !== undefined) {
    const placed = await useHubStore.getState().accept(offerId);
    if (placed) await openConversation(placed.customerId, placed.caseId);
    return;
  }
  if (caseId !== null) await followLink(api, { kind: 'case', caseId });
}

export interface DesktopHost {
  location?: Pick<Location, 'search' | 'href'>;
  history?: Pick<History, 'replaceState'>;
}

/** Wires the desktop events and requests; returns the stop. */
export function startDesktopSlice(api: OmniApi, host: DesktopHost = {}): () => void {
  const stops: Array<() => void> = [];
  const store = useDesktopStore.getState();
  stops.push(api.on('updateStateChanged', (update) => useDesktopStore.getState().setUpdate(update)));
  stops.push(api.on('mainProcessError', ({ message }) => useDesktopStore.getState().showToast({ tone: 'error', text: mainErrorText(message) })));
  stops.push(api.on('deepLinkOpened', ({ link }) => void followLink(api, link)));
  stops.push(api.on('offerAcceptRequested', ({ caseId, offerId }) => void acceptFromNotice(api, caseId, offerId)));
  // Main keeps notices of the conversation on screen quiet.
  let viewing: number | null = null;
  stops.push(
    useConversationStore.subscribe((s) => {
      if (s.caseId === viewing) return;
      viewing = s.caseId;
      api.setViewingCase({ caseId: viewing }).catch(() => {});
    }),
  );

  api.updateState({}).then(
    (s) => store.setUpdate({ phase: s.phase, version: s.version, percent: s.percent, banner: s.banner }),
    () => {},
  );
  api.desktopLayout({}).then(
    (layout) => useDesktopStore.getState().applyLayout(layout),
    () => {},
  );
  const url = host.location ? openParameter(host.location.search) : null;
  if (url && host.location && host.history) {
    // Followed once: a reload does not open it again.
    const clean = new URL(host.location.href);
    clean.searchParams.delete('open');
    host.history.replaceState(null, '', clean.pathname + clean.search + clean.hash);
    api.openLink({ url }).then(
      ({ link, customerId }) => followLink(api, link, customerId),
      (e: unknown) => useDesktopStore.getState().showToast({ tone: 'error', text: messageOf(e, t('shell:linkFailed')) }),
    );
  }
  return () => {
    for (const stop of stops.reverse()) stop();
  };
}
