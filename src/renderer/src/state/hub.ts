// The hub slice: the link to the hub, the agent's presence, offers waiting for an answer, who
// else is viewing or typing on each case (with the agent's "Reply anyway" per case), and which hub
// the desktop uses (Settings → Team hub: sign in to a team hub, back to the built-in one). Actions
// call the API's hub requests; startHubSlice wires its events in. Viewing and typing are best effort.
import { create } from 'zustand';
import type { CollisionViewer, HubApi, HubSettingsView, HubSignInInput, HubStatusView, OfferView, Presence } from '../../../shared/contractHub';
import { getApi } from '../api';
import { t } from '../i18n';
import { formatNames } from '../numbers';
import { messageOf } from './errors';

/** The hub calls of the API (contractHub's requests are part of the one contract). */
export function hubApi(): HubApi {
  return getApi();
}

export interface HubSliceState {
  status: HubStatusView | null;
  offers: OfferView[];
  /** Other agents per case id. */
  collisions: Record<number, CollisionViewer[]>;
  customerTyping: Record<number, boolean>;
  /** Cases where the agent chose "Reply anyway" despite another agent's draft. */
  overrides: Record<number, boolean>;
  /** The offer being answered (its buttons wait). */
  answering: number | null;
  offerError: string | null;
  presenceError: string | null;
  /** Which hub the desktop uses (null until read). */
  hubSettings: HubSettingsView | null;
  hubSettingsError: string | null;
  /** A sign-in or the switch back is under way (the buttons wait). */
  switchingHub: 'signIn' | 'builtIn' | null;

  load(): Promise<void>;
  setPresence(presence: Presence): Promise<void>;
  /** Accepts an offer; resolves with the new local case, or null (taken, expired: the error says so). */
  accept(offerId: number): Promise<{ caseId: number; customerId: number } | null>;
  decline(offerId: number): Promise<void>;
  viewing(caseId: number | null): void;
  typing(caseId: number, typing: boolean, drafting: boolean): void;
  loadCollision(caseId: number): Promise<void>;
  replyAnyway(caseId: number): void;
  loadHubSettings(): Promise<void>;
  /** Signs in to a team hub; rejects with the main process's sentence (nothing changed then). */
  signInToHub(input: HubSignInInput): Promise<HubSettingsView>;
  /** Back to the built-in hub; rejects with the sentence when it cannot start. */
  switchToBuiltInHub(): Promise<HubSettingsView>;

  applyStatus(status: HubStatusView): void;
  applyOffer(offer: OfferView): void;
  applyWithdrawn(offerId: number): void;
  applyCollision(caseId: number, viewers: CollisionViewer[]): void;
  applyCustomerTyping(caseId: number, typing: boolean): void;
  applyPresence(presence: Presence): void;
}

const sortOffers = (offers: OfferView[]) => [...offers].sort((a, b) => a.expiresAt - b.expiresAt || a.offerId - b.offerId);

export const useHubStore = create<HubSliceState>()((set, get) => ({
  status: null,
  offers: [],
  collisions: {},
  customerTyping: {},
  overrides: {},
  answering: null,
  offerError: null,
  presenceError: null,
  hubSettings: null,
  hubSettingsError: null,
  switchingHub: null,

  async load() {
    try {
      const [status, offers] = await Promise.all([hubApi().hubStatus({}), hubApi().hubOffers({})]);
      set({ status, offers: sortOffers(offers.offers) });
    } catch (e) {
      set({ offerError: messageOf(e, t('errors:hubStatus')) });
    }
  },

  async setPresence(presence) {
    set({ presenceError: null });
    try {
      const result = await hubApi().setPresence({ presence });
      get().applyPresence(result.presence);
    } catch (e) {
      set({ presenceError: messageOf(e, t('errors:presence')) });
    }
  },

  async accept(offerId) {
    set({ answering: offerId, offerError: null });
    try {
      const result = await hubApi().acceptOffer({ offerId });
      get().applyWithdrawn(offerId);
      return result;
    } catch (e) {
      set({ offerError: messageOf(e, t('errors:accept')) });
      return null;
    } finally {
      set({ answering: null });
    }
  },

  async decline(offerId) {
    set({ answering: offerId, offerError: null });
    try {
      await hubApi().declineOffer({ offerId });
      get().applyWithdrawn(offerId);
    } catch (e) {
      set({ offerError: messageOf(e, t('errors:decline')) });
    } finally {
      set({ answering: null });
    }
  },

  viewing(caseId) {
    void hubApi()
      .setViewing({ caseId })
      .catch(() => undefined);
  },

  typing(caseId, typing, drafting) {
    void hubApi()
      .setTyping({ caseId, typing, drafting })
      .catch(() => undefined);
  },

  async loadCollision(caseId) {
    try {
      const { viewers } = await hubApi().caseCollision({ caseId });
      get().applyCollision(caseId, viewers);
    } catch {
      // Best effort: without it the badge waits for the next update.
    }
  },

  replyAnyway(caseId) {
    set((s) => ({ overrides: { ...s.overrides, [caseId]: true } }));
  },

  async loadHubSettings() {
    try {
      const hubSettings = await hubApi().hubSettings({});
      set({ hubSettings, hubSettingsError: null, status: hubSettings.status });
    } catch (e) {
      set({ hubSettingsError: messageOf(e, t('errors:hubSettings')) });
    }
  },

  async signInToHub(input) {
    return switchHub(set, get, 'signIn', () => hubApi().signInToHub(input));
  },

  async switchToBuiltInHub() {
    return switchHub(set, get, 'builtIn', () => hubApi().useBuiltInHub({}));
  },

  applyStatus(status) {
    // Offline: nobody is known to be viewing any more.
    const next = status.state === 'online' ? { status } : { status, collisions: {}, customerTyping: {} };
    set((s) => ({ ...next, hubSettings: s.hubSettings ? { ...s.hubSettings, status } : null }));
  },
  applyOffer(offer) {
    set((s) => ({ offers: sortOffers([...s.offers.filter((o) => o.offerId !== offer.offerId), offer]) }));
  },
  applyWithdrawn(offerId) {
    set((s) => ({ offers: s.offers.filter((o) => o.offerId !== offerId) }));
  },
  applyCollision(caseId, viewers) {
    set((s) => {
      const overrides = { ...s.overrides };
      // The other draft is gone: the next one locks the reply box again.
      if (!viewers.some((v) => v.drafting || v.typing)) delete overrides[caseId];
      return { collisions: { ...s.collisions, [caseId]: viewers }, overrides };
    });
  },
  applyCustomerTyping(caseId, typing) {
    set((s) => ({ customerTyping: { ...s.customerTyping, [caseId]: typing } }));
  },
  applyPresence(presence) {
    set((s) => ({ status: s.status ? { ...s.status, presence } : s.status }));
  },
}));

type SetHub = (partial: Partial<HubSliceState>) => void;

/** A change of hub: one at a time; afterwards the status and offers are read again (the old hub's are gone). */
async function switchHub(set: SetHub, get: () => HubSliceState, kind: 'signIn' | 'builtIn', change: () => Promise<HubSettingsView>): Promise<HubSettingsView> {
  set({ switchingHub: kind });
  try {
    const hubSettings = await change();
    set({ hubSettings, hubSettingsError: null, status: hubSettings.status });
    void get().load();
    return hubSettings;
  } finally {
    set({ switchingHub: null });
  }
}

/** Wires the hub events into the slice and loads it; returns the stop. */
export function startHubSlice(api: HubApi = hubApi()): () => void {
  const hub = useHubStore.getState();
  const stops = [
    api.on('hubStatusChanged', (status) => hub.applyStatus(status)),
    api.on('offerReceived', ({ offer }) => hub.applyOffer(offer)),
    api.on('offerWithdrawn', ({ offerId }) => hub.applyWithdrawn(offerId)),
    api.on('collisionChanged', ({ caseId, viewers }) => hub.applyCollision(caseId, viewers)),
    api.on('customerTyping', ({ caseId, typing }) => hub.applyCustomerTyping(caseId, typing)),
    api.on('presenceChanged', ({ presence }) => hub.applyPresence(presence)),
  ];
  void hub.load();
  return () => {
    for (const stop of stops) stop();
  };
}

// ---------------------------------------------------------------- selectors and wording

const EMPTY: CollisionViewer[] = [];

export const selectOffers = (s: HubSliceState) => s.offers;
export const selectHubStatus = (s: HubSliceState) => s.status;
export const selectHubSettings = (s: HubSliceState) => s.hubSettings;
export const selectViewers = (caseId: number | null) => (s: HubSliceState) => (caseId === null ? EMPTY : (s.collisions[caseId] ?? EMPTY));

/** "Sam is typing…", "Sam and Lee are viewing"; null when nobody else is there. */
export function collisionText(viewers: readonly CollisionViewer[]): string | null {
  if (viewers.length === 0) return null;
  const typing = viewers.filter((v) => v.typing).map((v) => v.displayName);
  if (typing.length > 0) return t('conversation:typing', { count: typing.length, names: formatNames(typing) });
  const viewing = viewers.map((v) => v.displayName);
  return t('conversation:viewing', { count: viewing.length, names: formatNames(viewing) });
}

/** Who holds a draft on the case (the reply box is softly locked), unless the agent chose to reply anyway. */
export function replyLockHolders(viewers: readonly CollisionViewer[], overridden: boolean): string[] {
  if (overridden) return [];
  return viewers.filter((v) => v.drafting || v.typing).map((v) => v.displayName);
}

/** "New chat from Dana: “Where is my order?”" */
export function offerHeadline(offer: Pick<OfferView, 'channel' | 'customerName' | 'subject'>, channelLabel: string): string {
  const name = offer.customerName;
  const headline = offer.channel === 'email' ? t('shell:offerEmail', { name }) : offer.channel === 'chat' ? t('shell:offerChat', { name }) : t('shell:offerOther', { channel: channelLabel, name });
  const subject = offer.subject.trim();
  return subject ? t('shell:offerSubject', { headline, subject }) : headline;
}

/** Whole seconds until the offer lapses (0 once it has). */
export function secondsLeft(expiresAt: number, now: number): number {
  return Math.max(0, Math.ceil((expiresAt - now) / 1000));
}
