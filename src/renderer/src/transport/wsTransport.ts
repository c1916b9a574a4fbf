// The headless transport: the contract's calls and events over one WebSocket to the server that
// serves the workspace. Reconnects with capped, jittered exponential backoff; a call waits for the
// connection for a while and otherwise fails with a sentence. It never retries a call by itself:
// whether a retry is safe is the caller's business (sendReply carries an idempotency key for that).
import type { RequestName } from '../../../shared/contract';
import { RpcError, ServerFrame, type ClientFrame, type RpcTransport } from '../../../shared/rpc';

export type TransportState = 'connecting' | 'online' | 'offline';

/** The part of the browser's WebSocket this transport uses, so tests can pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type SocketFactory = new (url: string) => SocketLike;

const OPEN = 1;

export interface WsTransportOptions {
  url: string;
  /** Defaults to the global WebSocket. */
  WebSocketImpl?: SocketFactory;
  /** First reconnect delay; doubles per failed attempt up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** How long a call made while disconnected waits for the connection before it fails. */
  connectWaitMs?: number;
  /** How long a sent call waits for its answer; 0 waits as long as the socket lives. */
  responseTimeoutMs?: number;
  /** A number in [0, 1) for the jitter; injectable for tests. */
  random?: () => number;
}

export interface WsTransport extends RpcTransport {
  readonly state: TransportState;
  /** Calls the listener on every state change; returns the unsubscribe. */
  onState(listener: (state: TransportState) => void): () => void;
  /** Skips the backoff wait (the browser said it is online again, or the user asked). */
  reconnectNow(): void;
  /** Stops for good: closes the socket and fails every waiting call. */
  close(): void;
}

interface Pending {
  method: RequestName;
  input: unknown;
  resolve(value: unknown): void;
  reject(error: RpcError): void;
  timer: ReturnType<typeof setTimeout> | null;
}

/** The backoff before reconnect attempt `attempt` (0-based): half fixed, half random, capped. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

export function createWsTransport(options: WsTransportOptions): WsTransport {
  const Impl = options.WebSocketImpl ?? (globalThis.WebSocket as unknown as SocketFactory | undefined);
  if (!Impl) throw new Error('This browser has no WebSocket support.');
  const initialDelayMs = options.initialDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 15_000;
  const connectWaitMs = options.connectWaitMs ?? 10_000;
  const responseTimeoutMs = options.responseTimeoutMs ?? 60_000;
  const random = options.random ?? Math.random;

  let state: TransportState = 'connecting';
  let socket: SocketLike | null = null;
  let attempt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  let nextId = 1;
  /** Calls waiting for a connection, in the order they were made. */
  const waiting = new Map<number, Pending>();
  /** Calls sent on the current socket, waiting for their answer. */
  const inFlight = new Map<number, Pending>();
  const stateListeners = new Set<(state: TransportState) => void>();
  const eventListeners = new Set<(name: string, payload: unknown) => void>();

  const setState = (next: TransportState) => {
    if (next === state) return;
    state = next;
    for (const listener of [...stateListeners]) listener(next);
  };

  const clearTimer = (p: Pending) => {
    if (p.timer !== null) clearTimeout(p.timer);
    p.timer = null;
  };

  const send = (id: number, p: Pending) => {
    const frame: ClientFrame = { t: 'req', id, method: p.method, input: p.input };
    inFlight.set(id, p);
    if (responseTimeoutMs > 0) {
      p.timer = setTimeout(() => {
        if (!inFlight.delete(id)) return;
        p.timer = null;
        p.reject(new RpcError('rpc/transport', `Omni Desk did not answer in time; try again.`));
      }, responseTimeoutMs);
    }
    try {
      socket!.send(JSON.stringify(frame));
    } catch {
      inFlight.delete(id);
      clearTimer(p);
      p.reject(new RpcError('rpc/transport', `The request could not be sent; try again.`));
    }
  };

  const flushWaiting = () => {
    for (const [id, p] of waiting) {
      waiting.delete(id);
      clearTimer(p);
      send(id, p);
    }
  };

  const onMessage = (data: unknown) => {
    let raw: unknown;
    try {
      raw = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      console.warn('Ignored a WebSocket frame that is not JSON');
      return;
    }
    const frame = ServerFrame.safeParse(raw);
    if (!frame.success) {
      console.warn('Ignored a malformed WebSocket frame', frame.error.issues);
      return;
    }
    if (frame.data.t === 'res') {
      const p = inFlight.get(frame.data.id);
      if (!p) return;
      inFlight.delete(frame.data.id);
      clearTimer(p);
      p.resolve(frame.data.result);
    } else {
      for (const listener of [...eventListeners]) {
        try {
          listener(frame.data.name, frame.data.payload);
        } catch (e) {
          console.error(`A listener of ${frame.data.name} failed`, e);
        }
      }
    }
  };

  const scheduleReconnect = () => {
    if (closed || reconnectTimer !== null) return;
    const delay = backoffDelay(attempt, initialDelayMs, maxDelayMs, random);
    attempt++;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, delay);
  };

  const onDrop = (which: SocketLike) => {
    if (which !== socket) return;
    which.onopen = which.onclose = which.onerror = which.onmessage = null;
    socket = null;
    for (const [id, p] of inFlight) {
      inFlight.delete(id);
      clearTimer(p);
      p.reject(new RpcError('rpc/transport', `The connection to Omni Desk dropped before it answered; try again.`));
    }
    if (closed) return;
    setState('offline');
    scheduleReconnect();
  };

  function connect() {
    if (closed || socket) return;
    setState('connecting');
    let ws: SocketLike;
    try {
      ws = new Impl!(options.url);
    } catch {
      setState('offline');
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      if (ws !== socket) return;
      attempt = 0;
      setState('online');
      flushWaiting();
    };
    ws.onmessage = (ev) => {
      if (ws === socket) onMessage(ev.data);
    };
    // An error is always followed by a close; the close does the work.
    ws.onerror = () => {};
    ws.onclose = () => onDrop(ws);
  }

  connect();

  const transport: WsTransport = {
    get state() {
      return state;
    },
    invoke(method, input) {
      return new Promise((resolve, reject) => {
        if (closed) {
          reject(new RpcError('rpc/transport', `The workspace is shutting down.`));
          return;
        }
        const id = nextId++;
        const p: Pending = { method, input, resolve, reject, timer: null };
        if (socket && socket.readyState === OPEN && state === 'online') {
          send(id, p);
          return;
        }
        waiting.set(id, p);
        p.timer = setTimeout(() => {
          if (!waiting.delete(id)) return;
          p.timer = null;
          reject(new RpcError('rpc/transport', `Omni Desk is not reachable right now, so this was not sent; try again when it reconnects.`));
        }, connectWaitMs);
        // A call is a good reason to try now rather than at the end of a long backoff; the attempt
        // count stays, so a server that stays down still gets ever longer pauses.
        if (!socket && reconnectTimer !== null) {
          clearTimeout(reconnectTimer);
          reconnectTimer = null;
          connect();
        }
      });
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    reconnectNow() {
      if (closed || socket) return;
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      attempt = 0;
      connect();
    },
    close() {
      if (closed) return;
      closed = true;
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      for (const [id, p] of waiting) {
        waiting.delete(id);
        clearTimer(p);
        p.reject(new RpcError('rpc/transport', `The workspace is shutting down.`));
      }
      const ws = socket;
      if (ws) {
        onDrop(ws);
        ws.close(1000, 'closing');
      }
      setState('offline');
    },
  };
  return transport;
}
