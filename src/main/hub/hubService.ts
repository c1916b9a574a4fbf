// Everything desktop-side of the hub, composed once: the client, the outbox worker for hub
// channels, the handlers of contractHub's requests and the events they cause. The composition root
// creates one, merges its handlers, and calls kick() after storing a reply. No hub configured: the
// handlers answer "not connected" and replies on chat-like channels wait in the outbox. The live
// connection can move (reconnect: a team hub signed in from the settings, back to the built-in one);
// local hub rows stay keyed by hub, so each hub's stream resumes where this desktop left it.
import fs from 'node:fs';
import type { z } from 'zod';
import type { events } from '../../shared/contract';
import type { hubEvents, HubParsedInput, HubRequestName, HubRequestOutput, HubStatusView, OfferView, CollisionViewer, NotificationView } from '../../shared/contractHub';
import type { DeliveryStatus } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import type { CollisionUpdate, SupervisorSnapshot } from '../../shared/hub/agentProtocol';
import type { ChannelMatrixVersion } from '../../shared/channelConfig';
import type { SlaSettings } from '../../shared/slaSettings';
import type { Presence } from '../../shared/routing/types';
import type { CallContext } from '../../shared/rpc';
import type { Db } from '../store/database';
import { HubLocalStore, type StoredOffer } from '../store/hubLocalStore';
import { HubTeamStore, type PendingRequest } from '../store/hubTeamStore';
import type { OutboxRow, OutboxStore } from '../store/outboxStore';
import type { Repository } from '../store/repository';
import { applyBundle, type HubEffect } from './applyHubEvent';
import { createHubClient, HubRequestError, statusText, type HubClient, type HubClientOptions, type HubClientStatus } from './hubClient';
import { createHubChoice, fixedHubSettings, notSwitchable, type HubChoiceControl } from './hubChoice';
import { HubError } from './hubError';
import { createHubOutboxWorker, hubSendKey, HubUploadRefused, type HubOutboxWorker, type HubOutboxWorkerOptions } from './hubOutboxWorker';
import { MAX_MESSAGE_TEXT } from '../../shared/hub/agentProtocol';
import { isHubSwitcher, type HubSwitcher } from './hubSwitcher';
import { say, type Said } from '../../shared/serverErrors';
import { saidMetadata, type StoredSentence } from '../../shared/storedSentence';

export { HubError, type HubErrorCode } from './hubError';

type AllEvents = typeof events & typeof hubEvents;
export type HubEmit = <K extends keyof AllEvents>(name: K, payload: z.output<AllEvents[K]>) => void;

export type HubHandlers = {
  [K in HubRequestName]: (input: HubParsedInput<K>, ctx: CallContext) => Promise<HubRequestOutput<K>> | HubRequestOutput<K>;
};

export interface HubConnection {
  url: string;
  token: HubClientOptions['token'];
  /** The key hub rows are stored under (default the URL): fixed for the embedded hub, whose port may change. */
  hubKey?: string;
  /** A fresh token when the hub refused the current one (expired session): the client then starts again. */
  renewToken?: () => Promise<string>;
  embedded: boolean;
  widgetDemoUrl?: string | null;
}

export interface EmailAnnouncement {
  messageId: string;
  from: string;
  fromName: string | null;
  subject: string;
  preview: string;
  receivedAt: number;
}

export interface HubServiceOptions {
  db: Db;
  repo: Repository;
  outbox: OutboxStore;
  /** The desktop's own agent row (cases the hub assigns here get it). */
  localAgentId: number;
  /**
   * A fixed hub to connect to at once (null: none), or the switcher the entry point hands over: the
   * service then connects to the hub of the agent's choice (settings row, else the configuration),
   * can change it from the settings, and stops the built-in hub on close.
   */
  connection: HubConnection | HubSwitcher | null;
  emit: HubEmit;
  now?: () => number;
  random?: () => number;
  log?: (line: string) => void;
  client?: Pick<HubClientOptions, 'backoff' | 'requestTimeoutMs' | 'pingMs'>;
  worker?: Pick<HubOutboxWorkerOptions, 'backoff' | 'pollMs'>;
  /** The hub's channel configuration arrived (after sign-in, or an admin saved one). */
  onChannelConfig?: (current: ChannelMatrixVersion) => void;
  /** The SLA policy and calendars a waiting customer's deadline is counted with. */
  sla?: () => SlaSettings;
  /** The customer's whole history for an escalation when the handoff rules keep it; null: only the reason goes. */
  escalationHistory?: (caseId: number) => string | null;
  /** The bytes of a file attached to a chat reply (the attachment store, checked by hash). */
  readAttachment?: (sha256: string) => Promise<Buffer | null>;
  /** Supervisor and admin sessions: the hub's team snapshot after each change (the live console); null: a new hub, start over. */
  onSupervisorUpdate?: (snapshot: SupervisorSnapshot | null) => void;
}

/** POSTs one file to the hub's agent upload for a conversation; the upload id, or why not. */
async function uploadToHub(connection: HubConnection, conversationId: number, file: { name: string; contentType: string; content: Buffer }): Promise<string> {
  const token = typeof connection.token === 'function' ? await connection.token() : connection.token;
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file.content)], { type: file.contentType }), file.name);
  const base = connection.url.endsWith('/') ? connection.url : `${connection.url}/`;
  const res = await fetch(new URL(`widget/agent-upload?conversation=${conversationId}`, base), { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
  const body = (await res.json().catch(() => null)) as { upload?: { id?: unknown }; error?: { message?: unknown } } | null;
  if (res.ok && typeof body?.upload?.id === 'string') return body.upload.id;
  const said = typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${res.status}`;
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new HubUploadRefused(said);
  throw new Error(said);
}

export interface SharedNote {
  caseId: number;
  eventId: number;
  body: string;
  /** The note's idempotency key (its event's external id is `note:<key>`). */
  idempotencyKey: string;
  mentions: ReadonlyArray<{ agentId: number; name: string }>;
}

export interface HubService {
  readonly handlers: HubHandlers;
  readonly store: HubLocalStore;
  /** The client of the live connection (null: none); changes on reconnect. */
  readonly client: HubClient | null;
  readonly worker: HubOutboxWorker | null;
  /** The live connection (null: none). */
  readonly connection: HubConnection | null;
  status(): HubStatusView;
  /** Resolves once the first connection is in place (the switcher's choice; at once without a switcher). Rejects when the built-in hub cannot start. */
  ready(): Promise<void>;
  /**
   * Moves to another hub (null: none): the old client and worker stop, new ones start on the same
   * local store; offers of the old hub are withdrawn from the workspace.
   */
  reconnect(connection: HubConnection | null): Promise<void>;
  /** A reply was stored: replies on hub conversations may go now. */
  kick(): void;
  /** Tells the hub about a new customer email (it keeps one conversation per Message-ID). Offline: sent after reconnect. */
  announceEmail(mail: EmailAnnouncement): void;
  /** The Resolve button on a hub conversation: the hub closes it too. False when the case is not on the hub. */
  resolveCase(caseId: number): Promise<boolean>;
  /** A signed rating link for a resolved email case's survey (the hub decides whether to ask), or null when the case is not on the hub. */
  surveyLink(caseId: number): Promise<{ url: string | null; expiresAt: number | null; reason: string | null } | null>;
  /** A reopened case: the hub reopens its conversation (now, or after the next catch-up). False when not on the hub. */
  reopenCase(caseId: number): boolean;
  /** An internal note on a hub case goes to the hub (with the agents it @mentions), now or after reconnect. */
  shareNote(note: SharedNote): boolean;
  /** Hub agents that can be @mentioned (null: no hub, or nobody else on it; the caller lists local agents). */
  mentionCandidates(): Promise<Array<{ id: number; name: string }> | null>;
  /** Cases whose hub conversation another agent holds now (transferred away, read-only mentions): not in this queue. */
  heldElsewhere(): Set<number>;
  /** Whether the hub's directory (as last read) has this agent under this name. */
  isTeamAgent(agentId: number, name: string): boolean;
  /** Hub conversations of a customer's cases (read before a local erase removes the links). */
  hubConversationsOf(customerId: number): number[];
  /** Asks the hub to erase the customer of these conversations; waits for the answer when online, else queued. */
  eraseOnHub(conversationIds: number[], reason: string): Promise<{ told: boolean; detail: string; detailText?: StoredSentence | null }>;
  /** The requests waiting for the hub have gone (tests). */
  idle(): Promise<void>;
  /** Stops the client and the worker, then the switcher (the built-in hub). */
  close(): Promise<void>;
}

const PRESENCE_KEY = 'hub.presence';
/** Announcements kept while offline; past this the oldest are dropped (the hub learns of them from another desktop or never). */
const MAX_PENDING_ANNOUNCEMENTS = 500;

export function offerView(offer: StoredOffer): OfferView {
  const c = offer.conversation;
  const contact = c.contact;
  return {
    offerId: offer.offerId,
    conversationId: c.id,
    channel: c.channel,
    customerName: contact.displayName?.trim() || contact.email || (c.channel === 'chat' || c.channel === 'portal' ? 'a visitor' : contact.address),
    subject: c.subject,
    priority: c.priority,
    vip: c.vip,
    expiresAt: offer.expiresAt,
    receivedAt: offer.receivedAt,
    reasons: offer.reasons,
  };
}

function asHubError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HubRequestError) {
    if (err.code === 'hub/offline' || err.code === 'hub/disconnected') return new HubError('hub/offline', err);
    if (err.code === 'hub/timeout') return new HubError('hub/timeout', err);
    // The hub's own refusal ("The offer was taken by another agent."): its sentence, our code family.
    return new HubError('hub/refused', err);
  }
  return new HubError('hub/refused', (err as Error).message);
}

export function createHubService(o: HubServiceOptions): HubService {
  const now = o.now ?? Date.now;
  const log = o.log ?? (() => undefined);
  const store = new HubLocalStore(o.db);
  const switcher = o.connection && isHubSwitcher(o.connection) ? o.connection : null;
  const fixed = o.connection && !isHubSwitcher(o.connection) ? o.connection : null;
  let conn: HubConnection | null = null;
  let hubKey: string | null = null;
  let client: HubClient | null = null;
  let worker: HubOutboxWorker | null = null;
  let presence: Presence | null = o.repo.getSetting<Presence>(PRESENCE_KEY) ?? null;
  let viewing: number | null = null;
  let closing = false;
  let renewals = 0;
  const collisions = new Map<number, CollisionViewer[]>();
  const pendingAnnouncements: EmailAnnouncement[] = [];
  const team = new HubTeamStore(o.db);
  let flushing: Promise<void> | null = null;
  let flushAgain = false;
  /** The last agent directory read from the live hub (id → name): mentions are checked against it. */
  let directory = new Map<number, string>();
  const notificationsChanged = (latest: NotificationView | null) => safeEmit('notificationsChanged', { unread: team.unread(), latest });

  const safeEmit: HubEmit = (name, payload) => {
    if (closing) return;
    try {
      o.emit(name, payload);
    } catch (err) {
      log(`hub: the ${String(name)} event could not be sent: ${(err as Error).message}`);
    }
  };

  const emitEffects = (effects: HubEffect[]) => {
    let queue = false;
    for (const effect of effects) {
      switch (effect.kind) {
        case 'timeline':
          safeEmit('timelineAppended', { event: o.repo.eventById(effect.eventId) });
          break;
        case 'queue':
        case 'assigned':
          queue = true;
          break;
        case 'delivery':
          safeEmit('deliveryChanged', { eventId: effect.eventId, caseId: effect.caseId, status: effect.status, detail: effect.detail });
          break;
        case 'offer':
          safeEmit('offerReceived', { offer: offerView(effect.offer) });
          break;
        case 'offerWithdrawn':
          safeEmit('offerWithdrawn', { offerId: effect.offerId, reason: effect.reason });
          break;
        case 'notification':
          notificationsChanged(team.notifications().find((n) => n.id === effect.id) ?? null);
          break;
        case 'erased':
          compactAfterErase(effect.orphanFiles);
          for (const customerId of effect.customerIds) safeEmit('customerErased', { customerId });
          break;
      }
    }
    if (queue) safeEmit('queueChanged', { at: now() });
  };

  let starting: Said | null = switcher ? say('hubStatusStarting') : null;
  const statusView = (s: HubClientStatus | null): HubStatusView => ({
    state: s?.state ?? (starting ? 'connecting' : 'offline'),
    ...(s ? { detail: s.detail, detailText: s.detailText } : statusText(starting ?? say('hubStatusNone'))),
    hubUrl: conn?.url ?? null,
    embedded: conn?.embedded ?? false,
    agent: s?.agent ? { id: s.agent.id, displayName: s.agent.displayName, role: s.agent.role } : null,
    presence,
    widgetDemoUrl: conn?.widgetDemoUrl ?? null,
  });

  const deliveryChanged = (eventId: number, status: DeliveryStatus, row: OutboxRow) => {
    const current = o.outbox.get(row.id);
    const reason = status === 'queued' || status === 'failed';
    const detail = reason ? (current?.lastError ?? null) : null;
    safeEmit('deliveryChanged', { eventId, caseId: row.caseId, status, detail, detailText: reason ? (current?.lastErrorText ?? null) : null });
  };

  /** A client and worker for `next`; their callbacks go quiet once another connection replaced them. */
  function open(next: HubConnection): HubClient {
    const key = next.hubKey ?? next.url;
    const live = () => client === c && !closing;
    const c: HubClient = createHubClient({
      url: next.url,
      token: next.token,
      hubKey: key,
      store,
      repo: o.repo,
      outbox: o.outbox,
      localAgentId: o.localAgentId,
      now,
      ...(o.sla ? { sla: o.sla } : {}),
      ...(o.random ? { random: o.random } : {}),
      log,
      ...o.client,
      // Committed changes are shown even from a client being replaced: they are in the store.
      onEffects: emitEffects,
      onCollision: (update: CollisionUpdate) => {
        if (!live()) return;
        const link = store.conversation(key, update.conversationId);
        if (!link) return;
        const self = c.status().agent?.id ?? null;
        const viewers = update.viewers.filter((v) => v.agentId !== self);
        collisions.set(link.caseId, viewers);
        safeEmit('collisionChanged', { caseId: link.caseId, viewers });
      },
      onChannelConfig: (current) => {
        if (live()) o.onChannelConfig?.(current);
      },
      onSupervisorUpdate: (snapshot) => {
        if (live()) o.onSupervisorUpdate?.(snapshot);
      },
      onCustomerTyping: (conversationId, typing) => {
        if (!live()) return;
        const link = store.conversation(key, conversationId);
        if (link) safeEmit('customerTyping', { caseId: link.caseId, typing });
      },
      onStatus: (s) => {
        if (!live()) return;
        if (s.state !== 'online') collisions.clear();
        if (s.state === 'online') renewals = 0;
        if (s.denied && next.renewToken && renewals < 1) {
          // One fresh sign-in per refusal streak: an expired session renews, a wrong password does not loop.
          renewals += 1;
          next
            .renewToken()
            .then(() => c.setToken(next.token))
            .catch((err: unknown) => log(`hub: signing in again failed: ${(err as Error).message}`));
        }
        const view = statusView(s);
        safeEmit('hubStatusChanged', view);
        safeEmit('connectionChanged', { state: s.state, detail: s.detail });
      },
      onCaughtUp: () => {
        if (live()) void afterCatchUp(c);
      },
    });
    conn = next;
    hubKey = key;
    client = c;
    o.onSupervisorUpdate?.(null);
    renewals = 0;
    worker = createHubOutboxWorker({
      hub: key,
      store,
      outbox: o.outbox,
      client: c,
      now,
      ...(o.random ? { random: o.random } : {}),
      log,
      ...o.worker,
      onChange: deliveryChanged,
      ...(o.readAttachment ? { readAttachment: o.readAttachment } : {}),
      upload: (conversationId, file) => uploadToHub(next, conversationId, file),
    });
    // A desktop that never chose is at the desk: available, so the first chat is offered without a detour to the menu.
    presence ??= 'available';
    c.start();
    worker.start();
    return c;
  }

  /** After each (re)connect: the chosen presence and the open case again, held-back announcements, then the outbox. */
  async function afterCatchUp(c: HubClient): Promise<void> {
    worker?.kick();
    try {
      if (presence) await c.request({ type: 'setPresence', presence });
      if (viewing !== null) await sendViewing(viewing);
      while (pendingAnnouncements.length > 0 && client === c && c.status().state === 'online') {
        const mail = pendingAnnouncements[0]!;
        await c.request({ type: 'announceEmail', ...mail });
        pendingAnnouncements.shift();
      }
      await flushPending();
    } catch (err) {
      log(`hub: restoring the session after reconnect failed: ${(err as Error).message}`);
    }
  }

  let switching: Promise<void> = Promise.resolve();
  function reconnect(next: HubConnection | null): Promise<void> {
    const run = switching.then(async () => {
      const old = { client, worker, hubKey };
      // Detached first: the old client's last "offline" is not shown as the new link's state.
      client = null;
      worker = null;
      conn = null;
      hubKey = null;
      collisions.clear();
      await old.worker?.stop();
      await old.client?.stop();
      if (old.hubKey) for (const offer of store.openOffers(old.hubKey, now())) safeEmit('offerWithdrawn', { offerId: offer.offerId, reason: 'switched' });
      if (closing) return;
      const opened = next ? open(next) : null;
      starting = null;
      const view = statusView(opened?.status() ?? null);
      safeEmit('hubStatusChanged', view);
      safeEmit('connectionChanged', { state: view.state, detail: view.detail });
      if (opened) for (const offer of store.openOffers(opened.hubKey, now())) safeEmit('offerReceived', { offer: offerView(offer) });
    });
    switching = run.catch(() => undefined);
    return run;
  }

  const requireClient = (): HubClient => {
    if (!client) throw new HubError('hub/offline', say('hubNotConnected'));
    return client;
  };

  const linkOf = (caseId: number) => {
    const link = hubKey ? store.conversationOfCase(hubKey, caseId) : null;
    if (!link) throw new HubError('hub/not-on-hub', say('hubNotHubCase', { caseId }));
    return link;
  };

  const sendViewing = async (caseId: number | null): Promise<boolean> => {
    const c = client;
    if (!c || c.status().state !== 'online') return false;
    const link = caseId !== null && hubKey ? store.conversationOfCase(hubKey, caseId) : null;
    if (caseId !== null && !link) return false;
    try {
      await c.request({ type: 'viewing', conversationId: link?.conversationId ?? null });
      return true;
    } catch {
      return false;
    }
  };

  const status = () => statusView(client?.status() ?? null);
  const choice: HubChoiceControl | null = switcher
    ? createHubChoice({ repo: o.repo, switcher, reconnect, connection: () => conn, status, log })
    : null;

  const handlers: HubHandlers = {
    hubStatus: status,
    setPresence: async ({ presence: next }) => {
      const c = requireClient();
      try {
        const result = await c.request({ type: 'setPresence', presence: next });
        presence = result.state.presence;
      } catch (err) {
        throw asHubError(err);
      }
      o.repo.setSetting(PRESENCE_KEY, presence);
      safeEmit('presenceChanged', { presence: presence! });
      safeEmit('hubStatusChanged', statusView(c.status()));
      return { presence: presence! };
    },
    hubOffers: () => ({ offers: hubKey ? store.openOffers(hubKey, now()).map(offerView) : [] }),
    acceptOffer: async ({ offerId }) => {
      const c = requireClient();
      const key = hubKey!;
      let bundle;
      try {
        bundle = (await c.request({ type: 'acceptOffer', offerId })).bundle;
      } catch (err) {
        // Taken or expired: the offer is gone either way.
        if (err instanceof HubRequestError && !err.code.startsWith('hub/')) {
          store.removeOffer(key, offerId);
          safeEmit('offerWithdrawn', { offerId, reason: 'taken' });
        }
        throw asHubError(err);
      }
      const placed = applyBundle({ hub: key, store, repo: o.repo, outbox: o.outbox, localAgentId: o.localAgentId, log, ...(o.sla ? { sla: o.sla } : {}) }, bundle, now());
      if (store.removeOffer(key, offerId)) safeEmit('offerWithdrawn', { offerId, reason: 'accepted' });
      emitEffects(placed.effects);
      return { caseId: placed.caseId, customerId: placed.customerId };
    },
    declineOffer: async ({ offerId, reason }) => {
      const c = requireClient();
      const key = hubKey!;
      try {
        const result = await c.request({ type: 'declineOffer', offerId, ...(reason ? { reason } : {}) });
        if (store.removeOffer(key, offerId)) safeEmit('offerWithdrawn', { offerId, reason: 'declined' });
        return result;
      } catch (err) {
        throw asHubError(err);
      }
    },
    transferCase: async ({ caseId, to, note }) => {
      const c = requireClient();
      const link = linkOf(caseId);
      let result;
      try {
        result = await c.request({ type: 'transfer', conversationId: link.conversationId, to, ...(note ? { note } : {}) });
      } catch (err) {
        throw asHubError(err);
      }
      if (result.transferred) {
        // The sender's timeline says where it went and with which note (an internal note).
        const kase = store.caseRow(caseId);
        const agentName = 'agentId' in to ? directory.get(to.agentId) : undefined;
        const said =
          'agentId' in to
            ? agentName === undefined
              ? note ? say('noteTransferredSomeoneWithNote', { note }) : say('noteTransferredSomeone')
              : note ? say('noteTransferredToWithNote', { agent: agentName, note }) : say('noteTransferredTo', { agent: agentName })
            : note ? say('noteTransferredQueueWithNote', { queue: to.queue, note }) : say('noteTransferredQueue', { queue: to.queue });
        if (kase) {
          const eventId = o.repo.insertEvent(
            { caseId, customerId: kase.customerId, channel: link.channel, direction: 'internal', kind: 'note', authorType: 'agent', authorId: o.localAgentId, authorName: c.status().agent?.displayName ?? 'Agent', subject: null, body: said.message, metadata: saidMetadata(said), occurredAt: now() },
            now(),
          );
          safeEmit('timelineAppended', { event: o.repo.eventById(eventId) });
        }
      }
      return result;
    },
    escalateCase: async ({ caseId, reason }) => {
      const c = requireClient();
      const link = linkOf(caseId);
      try {
        const history = o.escalationHistory?.(caseId) ?? null;
        return await c.request({ type: 'escalate', conversationId: link.conversationId, reason, ...(history ? { history } : {}) });
      } catch (err) {
        throw asHubError(err);
      }
    },
    setViewing: async ({ caseId }) => {
      viewing = caseId;
      return { sent: await sendViewing(caseId) };
    },
    setTyping: async ({ caseId, typing, drafting }) => {
      const c = client;
      if (!c || c.status().state !== 'online' || !hubKey) return { sent: false };
      const link = store.conversationOfCase(hubKey, caseId);
      if (!link) return { sent: false };
      try {
        await c.request({ type: 'typing', conversationId: link.conversationId, typing, drafting });
        return { sent: true };
      } catch {
        return { sent: false };
      }
    },
    caseCollision: ({ caseId }) => ({ caseId, viewers: collisions.get(caseId) ?? [] }),
    agentDirectory: async ({ channel }) => {
      const c = requireClient();
      try {
        const { agents } = await c.request({ type: 'agentDirectory', ...(channel ? { channel } : {}) });
        directory = new Map(agents.map((a) => [a.agentId, a.displayName]));
        return { agents, self: c.status().agent?.id ?? null };
      } catch (err) {
        throw asHubError(err);
      }
    },
    notifications: () => ({ items: team.notifications(), unread: team.unread() }),
    markNotificationsRead: ({ ids }) => {
      if (team.markRead(ids, now()) > 0) notificationsChanged(null);
      return { unread: team.unread() };
    },
    hubSettings: () => (choice ? choice.handlers.hubSettings() : fixedHubSettings(conn, status())),
    signInToHub: (input) => {
      if (!choice) throw notSwitchable();
      return choice.handlers.signInToHub(input);
    },
    useBuiltInHub: () => {
      if (!choice) throw notSwitchable();
      return choice.handlers.useBuiltInHub();
    },
  };

  if (fixed) open(fixed);
  const ready = choice ? choice.start() : Promise.resolve();
  ready.catch((err: unknown) => {
    starting = null;
    log(`hub: no hub connection: ${(err as Error).message}`);
    safeEmit('hubStatusChanged', statusView({ state: 'offline', ...statusText(say('hubStatusNoConnection', { reason: (err as Error).message })), agent: null, denied: null }));
  });

  return {
    handlers,
    store,
    get client() {
      return client;
    },
    get worker() {
      return worker;
    },
    get connection() {
      return conn;
    },
    status,
    ready: () => ready,
    reconnect,
    kick: () => worker?.kick(),
    announceEmail(mail) {
      const c = client;
      if (!c) return;
      const send = () =>
        c.request({ type: 'announceEmail', ...mail }).catch((err: unknown) => {
          if (err instanceof HubRequestError && (err.code === 'hub/offline' || err.code === 'hub/disconnected' || err.code === 'hub/timeout')) hold(mail);
          else log(`hub: the hub refused the announcement of ${mail.messageId}: ${(err as Error).message}`);
        });
      if (c.status().state === 'online') void send();
      else hold(mail);
    },
    async resolveCase(caseId) {
      const c = client;
      const link = hubKey ? store.conversationOfCase(hubKey, caseId) : null;
      if (!link || !c) return false;
      try {
        return (await c.request({ type: 'resolve', conversationId: link.conversationId })).resolved;
      } catch (err) {
        throw asHubError(err);
      }
    },
    async surveyLink(caseId) {
      const c = client;
      const link = hubKey ? store.conversationOfCase(hubKey, caseId) : null;
      if (!link || !c) return null;
      try {
        return await c.request({ type: 'csatSurvey', conversationId: link.conversationId });
      } catch (err) {
        throw asHubError(err);
      }
    },
    reopenCase(caseId) {
      const link = hubKey ? store.conversationOfCase(hubKey, caseId) : null;
      if (!link || !hubKey) return false;
      team.enqueue({ hub: hubKey, kind: 'reopen', caseId, eventId: null, payload: { type: 'reopen', conversationId: link.conversationId }, at: now() });
      void flushPending();
      return true;
    },
    shareNote(note) {
      const link = hubKey ? store.conversationOfCase(hubKey, note.caseId) : null;
      if (!link || !hubKey) return false;
      // Only agents of this hub's directory (same id and name): a local agent's id means nothing there.
      const mentions = note.mentions.filter((m) => directory.get(m.agentId) === m.name).map((m) => m.agentId);
      team.enqueue({
        hub: hubKey,
        kind: 'note',
        caseId: note.caseId,
        eventId: note.eventId,
        payload: {
          type: 'send',
          internal: true,
          idempotencyKey: hubSendKey(`note:${note.idempotencyKey}`),
          conversationId: link.conversationId,
          text: note.body.slice(0, MAX_MESSAGE_TEXT),
          ...(mentions.length ? { mentions } : {}),
        },
        at: now(),
      });
      void flushPending();
      return true;
    },
    async mentionCandidates() {
      const c = client;
      if (!c || c.status().state !== 'online') {
        const self = c?.status().agent?.id;
        const known = [...directory].filter(([id]) => id !== self).map(([id, name]) => ({ id, name }));
        return known.length > 0 ? known : null;
      }
      try {
        const { agents } = await c.request({ type: 'agentDirectory' });
        directory = new Map(agents.map((a) => [a.agentId, a.displayName]));
        const self = c.status().agent?.id;
        const team = agents.filter((a) => a.agentId !== self).map((a) => ({ id: a.agentId, name: a.displayName }));
        // Alone on the hub (a desktop on its built-in hub with nobody signed in): the local agents.
        return team.length > 0 ? team : null;
      } catch {
        return null;
      }
    },
    isTeamAgent: (agentId, name) => directory.get(agentId) === name,
    heldElsewhere() {
      if (!hubKey) return new Set();
      return new Set(o.db.prepare(`SELECT case_id FROM hub_conversations WHERE hub = ? AND assigned = 0`).pluck().all(hubKey) as number[]);
    },
    hubConversationsOf(customerId) {
      if (!hubKey) return [];
      return o.db
        .prepare(`SELECT hc.conversation_id FROM hub_conversations hc JOIN cases c ON c.id = hc.case_id WHERE hc.hub = ? AND c.customer_id = ? ORDER BY 1`)
        .pluck()
        .all(hubKey, customerId) as number[];
    },
    async eraseOnHub(conversationIds, reason) {
      if (!hubKey || conversationIds.length === 0) return { told: false, ...statusText(say('eraseHubNoConversations')) };
      const key = hubKey;
      const request = { type: 'eraseCustomer' as const, conversationIds, reason };
      const c = client;
      if (c && c.status().state === 'online') {
        try {
          const r = await c.request(request, { timeoutMs: 120_000 });
          return { told: true, ...statusText(say('eraseHubDone', { conversations: r.conversations, messages: r.messages, files: r.files })) };
        } catch (err) {
          const e = asHubError(err);
          if (e.code !== 'hub/offline' && e.code !== 'hub/timeout') {
            const reason = e.key !== undefined && e.params !== undefined ? { key: e.key, params: e.params } : undefined;
            return { told: false, ...statusText({ said: say('eraseHubRefused', { reason: e.message }), nested: { reason } }) };
          }
        }
      }
      team.enqueue({ hub: key, kind: 'erase', caseId: null, eventId: null, payload: request, at: now() });
      return { told: false, ...statusText(say('eraseHubLater')) };
    },
    idle: () => flushing ?? Promise.resolve(),
    async close() {
      closing = true;
      // A start or switch under way finishes first, so nothing it opens is left running.
      await switching;
      await worker?.stop();
      await client?.stop();
      await switcher?.close();
    },
  };

  /** After the hub's erase committed here: the file rewritten from live rows, the log emptied, orphaned attachments removed. */
  function compactAfterErase(files: readonly string[]): void {
    try {
      o.db.exec('VACUUM');
      o.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (err) {
      log(`hub: compacting the store after an erase failed: ${(err as Error).message}`);
    }
    for (const file of files) {
      try {
        fs.rmSync(file, { force: true });
      } catch (err) {
        log(`hub: an attachment of an erased customer could not be removed (${file}): ${(err as Error).message}`);
      }
    }
  }

  /** Sends the waiting requests in order; stops at the first transport failure (they wait for the next catch-up). */
  function flushPending(): Promise<void> {
    if (flushing) {
      flushAgain = true;
      return flushing;
    }
    flushing = (async () => {
      do {
        flushAgain = false;
        const c = client;
        const key = hubKey;
        if (!c || !key || c.status().state !== 'online') break;
        for (const p of team.pending(key)) {
          if (client !== c) break;
          const sent = await sendPending(c, key, p);
          if (!sent) break;
        }
      } while (flushAgain && !closing);
    })().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  /** One waiting request; false when the connection failed (the rest wait). A refusal is logged and dropped. */
  async function sendPending(c: HubClient, key: string, p: PendingRequest): Promise<boolean> {
    try {
      const result = await c.request(p.payload as Parameters<HubClient['request']>[0]);
      if (p.kind === 'note' && p.eventId !== null && result && typeof result === 'object' && 'message' in result) {
        const message = (result as { message: { id: number } }).message;
        store.transaction(() => {
          if (store.eventOfMessage(key, message.id) === null) store.mapMessage(key, message.id, p.eventId!);
          team.done(p.id);
        });
      } else team.done(p.id);
      return true;
    } catch (err) {
      const e = err instanceof HubRequestError ? err : new HubRequestError('internal', (err as Error).message);
      if (e.code === 'hub/offline' || e.code === 'hub/disconnected' || e.code === 'hub/timeout') {
        team.failedAttempt(p.id, e.message);
        return false;
      }
      log(`hub: the hub refused the ${p.kind} of case ${p.caseId ?? '-'}: ${e.code}: ${e.message}`);
      team.done(p.id);
      return true;
    }
  }

  function hold(mail: EmailAnnouncement): void {
    if (pendingAnnouncements.some((m) => m.messageId === mail.messageId)) return;
    pendingAnnouncements.push(mail);
    if (pendingAnnouncements.length > MAX_PENDING_ANNOUNCEMENTS) pendingAnnouncements.shift();
  }
}
