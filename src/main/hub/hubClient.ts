// The desktop's one WebSocket to its hub (<hub>/agent): signs in with `hello` and the last sequence
// stored locally, applies each sequenced event in one transaction with that position, answers
// requests by id with timeouts, and reconnects with capped backoff + jitter after every close
// except a `denied` sign-in. Every frame is validated against the agent protocol; nothing else.
import WebSocket from 'ws';
import type { z } from 'zod';
import {
  AgentClientFrame,
  AgentResults,
  AgentServerFrame,
  HUB_PROTOCOL_VERSION,
  MAX_AGENT_FRAME_BYTES,
  type AgentRequest,
  type CollisionUpdate,
  type HubAgent,
  type HubErrorInfo,
  type HubEvent,
  type SupervisorSnapshot,
} from '../../shared/hub/agentProtocol';
import { applyHubEvent, type ApplyDeps, type HubEffect } from './applyHubEvent';
import type { ChannelMatrixVersion } from '../../shared/channelConfig';
import { keyOf, type ErrorText } from '../../shared/errors';
import { say, type Said, type ServerErrorParam } from '../../shared/serverErrors';
import { detailOf, type StoredReason, type StoredSentence } from '../../shared/storedSentence';

export type HubConnectionState = 'online' | 'connecting' | 'offline';

export interface HubClientStatus {
  state: HubConnectionState;
  /** The sentence the workspace shows: "Connected to … as Sam", "… refused the connection; retrying in 4 s". */
  detail: string;
  /** detail's catalog key and params (the agent's language in Settings). */
  detailText: StoredSentence | null;
  agent: HubAgent | null;
  /** Set when the hub refused the sign-in; the client then waits for a new token. */
  denied: HubErrorInfo | null;
}

/** A request the hub did not answer with a value: its code and sentence (the hub's, or ours for transport
 *  trouble), with the sentence's serverErrors key and params when it has one (kept when main rethrows it). */
export class HubRequestError extends Error {
  readonly key?: string;
  readonly params?: Record<string, ServerErrorParam>;

  constructor(
    readonly code: string,
    text: ErrorText,
  ) {
    super(typeof text === 'string' ? text : text.message);
    this.name = 'HubRequestError';
    const { key, params } = keyOf(text);
    if (key !== undefined) {
      this.key = key;
      this.params = params;
    }
  }
}

export type RequestType = AgentRequest['type'];
export type RequestOf<T extends RequestType> = Extract<AgentRequest, { type: T }>;
export type ResultOf<T extends RequestType> = z.output<(typeof AgentResults)[T]>;
/** What a caller writes: defaults (such as `internal: false` on send) may be left out. */
export type RequestInputOf<T extends RequestType> = Extract<z.input<typeof AgentRequest>, { type: T }>;

export interface HubClientOptions extends Omit<ApplyDeps, 'hub'> {
  /** The hub's base URL (http(s):// or ws(s)://); the socket goes to <url>/agent. */
  url: string;
  /** The session token, or how to get it (read on every connect). */
  token: string | (() => string | Promise<string>);
  /** The key hub_* rows are stored under; default the URL. An embedded hub uses a fixed one, its port may change. */
  hubKey?: string;
  /** Backoff between connection attempts. Default 500 ms doubling to 30 s, ±20 % jitter. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** How long a request waits for its answer. Default 15 s. */
  requestTimeoutMs?: number;
  /** Liveness: a WebSocket ping this often; no pong by the next one ends the connection. Default 20 s. */
  pingMs?: number;
  now?: () => number;
  random?: () => number;
  /** Committed changes, for the workspace (called after each transaction). */
  onEffects?: (effects: HubEffect[]) => void;
  onCollision?: (update: CollisionUpdate) => void;
  /** The customer of an assigned conversation is typing (widget, in-app); live, never stored. */
  onCustomerTyping?: (conversationId: number, typing: boolean) => void;
  /** Supervisors and admins: the team after a change (the hub coalesces bursts). */
  onSupervisorUpdate?: (snapshot: SupervisorSnapshot) => void;
  onStatus?: (status: HubClientStatus) => void;
  /** The hub's channel configuration: sent after every sign-in and whenever an admin saves a new version. */
  onChannelConfig?: (current: ChannelMatrixVersion) => void;
  /** The replay after a (re)connect is complete: replies waiting in the outbox may go. */
  onCaughtUp?: () => void;
}

export interface HubClient {
  readonly hubKey: string;
  start(): void;
  /** Closes the socket and stops reconnecting; pending requests fail with hub/offline. */
  stop(): Promise<void>;
  status(): HubClientStatus;
  /** Sends a request; rejects with HubRequestError (hub/offline when not signed in). */
  request<T extends RequestType>(req: RequestInputOf<T>, options?: { timeoutMs?: number }): Promise<ResultOf<T>>;
  /** Skip the wait of the backoff (the network came back, a new token was saved). */
  reconnectNow(): void;
  /** A new token (after a sign-in); a denied client starts again with it. */
  setToken(token: string | (() => string | Promise<string>)): void;
}

const SECOND = 1_000;
/** Closing codes of our own (4000–4999 are the application's range). */
const CLOSE_RESYNC = 4000;
const CLOSE_PROTOCOL = 1002;
/** How often one event may fail to apply before it is skipped (logged) so the stream can go on. */
const MAX_APPLY_FAILURES = 3;

/** The delay before reconnect attempt `attempt` (1-based): initial·2^(attempt−1) capped, ±20 % jitter. */
export function reconnectDelay(attempt: number, random: () => number, initialMs = 500, maxMs = 30 * SECOND): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(0, Math.round(Math.min(maxMs, base * (0.8 + 0.4 * random()))));
}

/** ws(s)://host:port/…/agent from the hub's base URL. */
export function agentSocketUrl(base: string): string {
  const u = new URL(base);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  else if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new HubRequestError('hub/bad-url', `${base} is not an http(s) or ws(s) address of a hub.`);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/agent`;
  u.search = '';
  u.hash = '';
  return u.toString();
}

function inSeconds(ms: number): string {
  return ms < 60 * SECOND ? `${Math.max(1, Math.round(ms / SECOND))} s` : `${Math.round(ms / (60 * SECOND))} min`;
}

/** A status sentence as the status carries it: the English detail and its key (with nested reasons). */
export function statusText(text: Said | StoredReason): Pick<HubClientStatus, 'detail' | 'detailText'> {
  return detailOf(text);
}

/** "<reason>; retrying in 4 s. Replies are queued." */
function retrying(reason: Said, ms: number): StoredReason {
  const said =
    ms < 60 * SECOND
      ? say('hubStatusRetrySeconds', { reason: reason.message, seconds: Math.max(1, Math.round(ms / SECOND)) })
      : say('hubStatusRetryMinutes', { reason: reason.message, minutes: Math.round(ms / (60 * SECOND)) });
  return { said, nested: { reason } };
}

/** Why a connection attempt failed, in words (the socket error's code when it has one). */
function describeSocketError(err: Error & { code?: string }, url: string): Said {
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  switch (err.code) {
    case 'ECONNREFUSED':
      return say('hubSocketRefused', { host });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return say('hubSocketNotFound', { host });
    case 'ETIMEDOUT':
      return say('hubSocketSilent', { host });
    case 'ECONNRESET':
      return say('hubSocketReset', { host });
    default:
      return say('hubSocketUnreachable', { host, reason: err.message });
  }
}

interface Pending {
  type: RequestType;
  resolve: (value: unknown) => void;
  reject: (err: HubRequestError) => void;
  timer: ReturnType<typeof setTimeout>;
}

export function createHubClient(o: HubClientOptions): HubClient {
  const now = o.now ?? Date.now;
  const random = o.random ?? Math.random;
  const log = o.log ?? (() => undefined);
  const hubKey = o.hubKey ?? o.url;
  const socketUrl = agentSocketUrl(o.url);
  const initialMs = o.backoff?.initialMs ?? 500;
  const maxMs = o.backoff?.maxMs ?? 30 * SECOND;
  const requestTimeoutMs = o.requestTimeoutMs ?? 15 * SECOND;
  const pingMs = o.pingMs ?? 20 * SECOND;
  const deps: ApplyDeps = { ...o, hub: hubKey };
  let token = o.token;

  let running = false;
  let socket: WebSocket | null = null;
  let signedIn = false;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let pingTimer: ReturnType<typeof setInterval> | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const applyFailures = new Map<number, number>();
  let status: HubClientStatus = { state: 'offline', ...statusText(say('hubStatusNotConnected')), agent: null, denied: null };

  const setStatus = (next: Partial<HubClientStatus>) => {
    status = { ...status, ...next };
    try {
      o.onStatus?.(status);
    } catch (err) {
      log(`hub: status listener failed: ${(err as Error).message}`);
    }
  };

  const failPending = (code: string, message: ErrorText) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(id);
      p.reject(new HubRequestError(code, message));
    }
  };

  const send = (ws: WebSocket, frame: AgentClientFrame) => {
    ws.send(JSON.stringify(frame));
  };

  const scheduleReconnect = (reason: Said) => {
    if (!running || status.denied) return;
    attempt += 1;
    const delay = reconnectDelay(attempt, random, initialMs, maxMs);
    setStatus({ state: 'offline', ...statusText(retrying(reason, delay)) });
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, delay);
    retryTimer.unref?.();
  };

  const handleEvent = (ws: WebSocket, seq: number, event: HubEvent) => {
    let effects: HubEffect[];
    try {
      effects = applyHubEvent(deps, seq, event, now()).effects;
      applyFailures.delete(seq);
    } catch (err) {
      const failures = (applyFailures.get(seq) ?? 0) + 1;
      applyFailures.set(seq, failures);
      if (failures < MAX_APPLY_FAILURES) {
        // A replay after reconnect tries again (a locked file, a full disk that was cleared).
        log(`hub: event ${seq} (${event.type}) could not be stored: ${(err as Error).message}; reconnecting to try again`);
        ws.close(CLOSE_RESYNC, 'retry');
        return;
      }
      // The same event failed every time: skipped (and said so) rather than blocking every later one.
      log(`hub: event ${seq} (${event.type}) failed ${failures} times and was skipped: ${(err as Error).message}`);
      o.store.advance(hubKey, seq, now());
      applyFailures.delete(seq);
      return;
    }
    if (effects.length > 0) {
      try {
        o.onEffects?.(effects);
      } catch (err) {
        log(`hub: effect listener failed: ${(err as Error).message}`);
      }
    }
  };

  const onFrame = (ws: WebSocket, raw: WebSocket.RawData) => {
    let json: unknown;
    try {
      json = JSON.parse(raw.toString());
    } catch {
      log('hub: a frame that is not JSON; closing the connection');
      ws.close(CLOSE_PROTOCOL, 'not JSON');
      return;
    }
    const parsed = AgentServerFrame.safeParse(json);
    if (!parsed.success) {
      // An unread event would leave a gap; a fresh connection replays it instead.
      log(`hub: a frame that breaks the agent protocol (${parsed.error.issues[0]?.message ?? 'invalid'}); closing the connection`);
      ws.close(CLOSE_PROTOCOL, 'invalid frame');
      return;
    }
    const frame = parsed.data;
    switch (frame.t) {
      case 'welcome': {
        const sync = o.store.sync(hubKey);
        if ((sync.agentId !== null && sync.agentId !== frame.agent.id) || frame.lastSeq < sync.lastSeq) {
          // Another agent, or a hub whose stream starts over: read it from the beginning.
          log(`hub: ${sync.agentId !== frame.agent.id ? 'signed in as another agent' : `the hub's stream ends at ${frame.lastSeq}, before ours (${sync.lastSeq})`}; reading it again from the start`);
          o.store.setSync(hubKey, frame.agent.id, 0, now());
          attempt = 0;
          ws.close(CLOSE_RESYNC, 'resync');
          return;
        }
        if (sync.agentId === null) o.store.setSync(hubKey, frame.agent.id, sync.lastSeq, now());
        signedIn = true;
        attempt = 0;
        setStatus({ state: 'connecting', ...statusText(say('hubStatusCatchingUp', { agent: frame.agent.displayName })), agent: frame.agent, denied: null });
        return;
      }
      case 'evt':
        handleEvent(ws, frame.seq, frame.event);
        return;
      case 'caughtUp':
        setStatus({ state: 'online', ...statusText(say('hubStatusConnected', { host: new URL(o.url).host, agent: status.agent?.displayName ?? 'agent' })) });
        try {
          o.onCaughtUp?.();
        } catch (err) {
          log(`hub: caught-up listener failed: ${(err as Error).message}`);
        }
        return;
      case 'res': {
        const p = pending.get(frame.id);
        if (!p) return;
        pending.delete(frame.id);
        clearTimeout(p.timer);
        if (!frame.ok) {
          p.reject(new HubRequestError(frame.error.code, frame.error));
          return;
        }
        const value = AgentResults[p.type].safeParse(frame.value);
        if (value.success) p.resolve(value.data);
        else p.reject(new HubRequestError('hub/invalid-result', say('hubAnswerUnreadable', { request: p.type })));
        return;
      }
      case 'collision':
        try {
          o.onCollision?.(frame.update);
        } catch (err) {
          log(`hub: collision listener failed: ${(err as Error).message}`);
        }
        return;
      case 'customerTyping':
        try {
          o.onCustomerTyping?.(frame.conversationId, frame.typing);
        } catch (err) {
          log(`hub: customer-typing listener failed: ${(err as Error).message}`);
        }
        return;
      case 'supervisorUpdate':
        try {
          o.onSupervisorUpdate?.(frame.snapshot);
        } catch (err) {
          log(`hub: supervisor listener failed: ${(err as Error).message}`);
        }
        return;
      case 'channelConfig':
        try {
          o.onChannelConfig?.(frame.current);
        } catch (err) {
          log(`hub: channel configuration listener failed: ${(err as Error).message}`);
        }
        return;
      case 'denied':
        log(`hub: sign-in refused: ${frame.error.code}: ${frame.error.message}`);
        {
          const reason = frame.error.key !== undefined && frame.error.params !== undefined ? { key: frame.error.key, params: frame.error.params } : undefined;
          const said = say('hubStatusDenied', { reason: frame.error.message });
          setStatus({ state: 'offline', ...statusText({ said, nested: { reason } }), denied: frame.error, agent: null });
        }
        ws.close(1000, 'denied');
        return;
    }
  };

  async function connect(): Promise<void> {
    if (!running || socket) return;
    const host = new URL(o.url).host;
    setStatus({ state: 'connecting', ...statusText(attempt === 0 ? say('hubStatusConnecting', { host }) : say('hubStatusReconnecting', { host })) });
    let tokenValue: string;
    try {
      tokenValue = typeof token === 'function' ? await token() : token;
    } catch (err) {
      scheduleReconnect(say('hubSocketSignInFailed', { reason: (err as Error).message }));
      return;
    }
    if (!running || socket) return;
    const ws = new WebSocket(socketUrl, { maxPayload: MAX_AGENT_FRAME_BYTES, handshakeTimeout: 15 * SECOND });
    socket = ws;
    let lastError: Said | null = null;
    let alive = true;

    ws.on('open', () => {
      send(ws, { t: 'hello', token: tokenValue, resumeAfter: o.store.sync(hubKey).lastSeq, protocol: HUB_PROTOCOL_VERSION });
      pingTimer = setInterval(() => {
        if (!alive) {
          lastError = say('hubSocketStoppedAnswering');
          ws.terminate();
          return;
        }
        alive = false;
        ws.ping();
      }, pingMs);
      pingTimer.unref?.();
    });
    ws.on('pong', () => {
      alive = true;
    });
    ws.on('message', (data) => {
      alive = true;
      onFrame(ws, data);
    });
    ws.on('error', (err) => {
      lastError = describeSocketError(err, o.url);
    });
    ws.on('close', (code, reason) => {
      if (pingTimer) clearInterval(pingTimer);
      pingTimer = null;
      if (socket === ws) socket = null;
      signedIn = false;
      failPending('hub/disconnected', say('hubClosed'));
      if (!running) return;
      if (status.denied) return;
      if (code === CLOSE_RESYNC) {
        void connect();
        return;
      }
      const why = lastError ?? (code === 1009 ? say('hubSocketTooLarge') : reason.length ? say('hubSocketClosedWhy', { reason: reason.toString() }) : say('hubSocketClosed'));
      scheduleReconnect(why);
    });
  }

  return {
    hubKey,
    start() {
      if (running) return;
      running = true;
      attempt = 0;
      void connect();
    },
    async stop() {
      running = false;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const ws = socket;
      failPending('hub/offline', say('hubGone'));
      setStatus({ state: 'offline', ...statusText(say('hubStatusNotConnected')), agent: null });
      if (!ws) return;
      await new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close(1000, 'bye');
        // A peer that never answers the close handshake is cut after a moment.
        setTimeout(() => ws.terminate(), 2 * SECOND).unref?.();
      });
    },
    status: () => status,
    request<T extends RequestType>(req: RequestInputOf<T>, options: { timeoutMs?: number } = {}): Promise<ResultOf<T>> {
      const ws = socket;
      if (!ws || !signedIn || ws.readyState !== WebSocket.OPEN) {
        return Promise.reject(new HubRequestError('hub/offline', say('hubNotNow')));
      }
      const id = nextId++;
      return new Promise<ResultOf<T>>((resolve, reject) => {
        const timeoutMs = options.timeoutMs ?? requestTimeoutMs;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new HubRequestError('hub/timeout', say('hubNoAnswer', { request: req.type, time: inSeconds(timeoutMs) })));
        }, timeoutMs);
        const frame = AgentClientFrame.safeParse({ t: 'req', id, req });
        if (!frame.success) {
          clearTimeout(timer);
          const issue = frame.error.issues[0];
          reject(new HubRequestError('hub/invalid-request', `${req.type}: ${issue ? `${issue.path.slice(2).join('.') || 'request'}: ${issue.message}` : 'not a valid request'}.`));
          return;
        }
        pending.set(id, { type: req.type, resolve: resolve as (v: unknown) => void, reject, timer });
        try {
          send(ws, frame.data);
        } catch (err) {
          clearTimeout(timer);
          pending.delete(id);
          reject(new HubRequestError('hub/disconnected', say('hubSendFailed', { reason: (err as Error).message })));
        }
      });
    },
    reconnectNow() {
      if (!running || socket) return;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      attempt = 0;
      void connect();
    },
    setToken(next) {
      token = next;
      if (status.denied) {
        setStatus({ denied: null });
        attempt = 0;
        if (running && !socket) void connect();
      }
    },
  };
}
