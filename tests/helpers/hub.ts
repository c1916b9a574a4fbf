// Starts a real hub on 127.0.0.1 (a free port, a temporary data directory) for a test, and a small
// typed agent client that speaks the agent protocol over a real WebSocket, validating every frame.
import WebSocket from 'ws';
import {
  AgentResults,
  AgentServerFrame,
  HUB_PROTOCOL_VERSION,
  LoginResponse,
  type AgentRequest,
  type CollisionUpdate,
  type HubErrorInfo,
  type HubEvent,
} from '../../src/shared/hub/agentProtocol';
import type { z } from 'zod';
import type { AgentRequest as AgentRequestSchema, SupervisorSnapshot } from '../../src/shared/hub/agentProtocol';
import type { HubConfigInput } from '../../src/hub/config';
import type { NewAgentInput } from '../../src/hub/core/accounts';
import { createHub, type Hub } from '../../src/hub/server';
import type { HubLog, HubModuleFactory } from '../../src/hub/services';
import { tempDir } from './tempDir';

export interface StartHubOptions {
  config?: Partial<HubConfigInput>;
  /** Reuse a data directory (restart tests); it is then not removed on close. */
  dataDir?: string;
  now?: () => number;
  /** Defaults to the product's modules. */
  modules?: readonly HubModuleFactory[];
}

export interface StartedHub {
  url: string;
  port: number;
  hub: Hub;
  dataDir: string;
  /** What the hub logged (warnings and errors included), for assertions and failure messages. */
  logs: string[];
  close(): Promise<void>;
}

export async function startHub(options: StartHubOptions = {}): Promise<StartedHub> {
  const temp = options.dataDir ? null : tempDir('omni-hub-');
  const dataDir = options.dataDir ?? temp!.dir;
  const logs: string[] = [];
  const log: HubLog = {
    info: (m) => logs.push(`info: ${m}`),
    warn: (m) => logs.push(`warn: ${m}`),
    error: (m, e) => logs.push(`error: ${m} ${e instanceof Error ? (e.stack ?? e.message) : String(e ?? '')}`),
  };
  let hub: Hub;
  try {
    hub = await createHub(
      { host: '127.0.0.1', port: 0, dataDir, ...options.config },
      { log, ...(options.now ? { now: options.now } : {}), ...(options.modules ? { modules: options.modules } : {}) },
    );
  } catch (e) {
    temp?.remove();
    throw e;
  }
  return {
    url: hub.url,
    port: hub.port,
    hub,
    dataDir,
    logs,
    async close() {
      await hub.close();
      temp?.remove();
    },
  };
}

export async function login(url: string, username: string, password: string): Promise<LoginResponse> {
  const res = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const body: unknown = await res.json();
  if (!res.ok) throw new HubClientError((body as HubErrorInfo).code, (body as HubErrorInfo).message);
  return LoginResponse.parse(body);
}

/** Creates an agent (with sensible routing attributes) and signs it in. */
export async function agentSession(
  started: StartedHub,
  agent: Partial<NewAgentInput> & { username: string },
): Promise<{ id: number; token: string; username: string; password: string }> {
  const password = agent.password ?? `pw-${agent.username}-0123456789`;
  const created = started.hub.createAgent({ displayName: agent.username, ...agent, password });
  const session = await login(started.url, agent.username, password);
  return { id: created.id, token: session.token, username: agent.username, password };
}

export class HubClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

type AgentRequestInput = z.input<typeof AgentRequestSchema>;

export interface ReceivedEvent {
  seq: number;
  at: number;
  event: HubEvent;
}

type Result<T extends AgentRequest['type']> = z.infer<(typeof AgentResults)[T]>;
/** What a test writes: defaults (such as `internal`) may be left out. */
type RequestOf<T extends AgentRequest['type']> = Extract<AgentRequestInput, { type: T }>;

/** A desktop's side of /agent for tests: hello, replay, live events, typed requests. */
export class TestAgent {
  readonly events: ReceivedEvent[] = [];
  readonly collisions: CollisionUpdate[] = [];
  readonly frames: AgentServerFrame[] = [];
  /** Frames that did not match the protocol (a test should expect none). */
  readonly invalidFrames: unknown[] = [];
  caughtUp = false;
  lastSeq = 0;
  denied: HubErrorInfo | null = null;
  readonly closed: Promise<{ code: number; reason: string }>;
  private nextId = 1;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => (this.wake(), resolve({ code, reason: reason.toString() }))));
    ws.on('message', (data) => {
      let frame: AgentServerFrame;
      try {
        frame = AgentServerFrame.parse(JSON.parse(data.toString()));
      } catch {
        this.invalidFrames.push(data.toString());
        return;
      }
      this.frames.push(frame);
      if (frame.t === 'evt') {
        this.events.push({ seq: frame.seq, at: frame.at, event: frame.event });
        this.lastSeq = Math.max(this.lastSeq, frame.seq);
      } else if (frame.t === 'caughtUp') this.caughtUp = true;
      else if (frame.t === 'collision') this.collisions.push(frame.update);
      else if (frame.t === 'denied') this.denied = frame.error;
      this.wake();
    });
    ws.on('error', () => this.wake());
  }

  /** Opens a raw socket without saying hello (for protocol-violation tests). */
  static async open(url: string): Promise<TestAgent> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/agent`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new TestAgent(ws);
  }

  /** Connects, says hello and waits for the replay to end (or for the hub to deny the session). */
  static async connect(url: string, token: string, resumeAfter = 0, timeoutMs = 15_000): Promise<TestAgent> {
    const agent = await TestAgent.open(url);
    agent.lastSeq = resumeAfter;
    agent.sendRaw(JSON.stringify({ t: 'hello', token, resumeAfter, protocol: HUB_PROTOCOL_VERSION }));
    await agent.until(() => agent.caughtUp || agent.denied !== null, timeoutMs, 'caughtUp or denied');
    return agent;
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Waits until check() holds, re-checking on every frame; fails with `what` after the timeout. */
  until(check: () => boolean, timeoutMs = 15_000, what = 'a condition'): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = () => {
        if (check()) {
          clearTimeout(timer);
          this.waiters.delete(w);
          resolve();
        } else if (this.ws.readyState === WebSocket.CLOSED && !check()) {
          clearTimeout(timer);
          this.waiters.delete(w);
          reject(new Error(`The socket closed while waiting for ${what}`));
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; events: ${JSON.stringify(this.events.map((e) => e.event.type))}`));
      }, timeoutMs);
      this.waiters.add(w);
    });
  }

  async waitForEvent<T extends HubEvent['type']>(
    type: T,
    match: (e: Extract<HubEvent, { type: T }>) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<Extract<HubEvent, { type: T }> & { seq: number }> {
    const find = () => this.events.find((r) => r.event.type === type && match(r.event as Extract<HubEvent, { type: T }>));
    await this.until(() => find() !== undefined, timeoutMs, `a ${type} event`);
    const found = find()!;
    return { ...(found.event as Extract<HubEvent, { type: T }>), seq: found.seq };
  }

  /** Sends a request; resolves with the raw result (ok or error). */
  async request<T extends AgentRequest['type']>(
    req: RequestOf<T>,
    timeoutMs = 15_000,
  ): Promise<{ ok: true; value: Result<T> } | { ok: false; error: HubErrorInfo }> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ t: 'req', id, req }));
    let res: Extract<AgentServerFrame, { t: 'res' }> | undefined;
    await this.until(() => (res = this.frames.find((f): f is Extract<AgentServerFrame, { t: 'res' }> => f.t === 'res' && f.id === id)) !== undefined, timeoutMs, `the answer to ${req.type}`);
    if (!res!.ok) return { ok: false, error: res!.error };
    return { ok: true, value: AgentResults[req.type as T].parse(res!.value) as Result<T> };
  }

  /** Sends a request and returns its value, or throws HubClientError with the hub's code. */
  async call<T extends AgentRequest['type']>(req: RequestOf<T>, timeoutMs = 15_000): Promise<Result<T>> {
    const r = await this.request<T>(req, timeoutMs);
    if (!r.ok) throw new HubClientError(r.error.code, r.error.message);
    return r.value;
  }

  async close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) {
      this.ws.close();
      await this.closed;
    }
  }

  /** Drops the connection without a close handshake (a network failure). */
  async drop(): Promise<void> {
    this.ws.terminate();
    await this.closed;
  }
}

/** The supervisorUpdate snapshots a socket received, in order. */
export const supervisorUpdates = (a: TestAgent): SupervisorSnapshot[] => a.frames.flatMap((f) => ('t' in f && f.t === 'supervisorUpdate' ? [f.snapshot] : []));

/** The first supervisor update after the `seen` already there that satisfies `check`. */
export async function nextSupervisorUpdate(a: TestAgent, seen: number, check: (s: SupervisorSnapshot) => boolean, what: string): Promise<SupervisorSnapshot> {
  await a.until(() => supervisorUpdates(a).slice(seen).some(check), 10_000, what);
  return supervisorUpdates(a).slice(seen).find(check)!;
}

/**
 * Hubs and sockets a test file starts, closed after each test: `const h = hubTestKit(); afterEach(h.cleanUp)`.
 */
export function hubTestKit(): { running: StartedHub[]; connect(h: StartedHub, token: string): Promise<TestAgent>; closeSockets(): Promise<void>; cleanUp(): Promise<void> } {
  const running: StartedHub[] = [];
  const sockets: TestAgent[] = [];
  return {
    running,
    async connect(h, token) {
      const a = await TestAgent.connect(h.url, token);
      sockets.push(a);
      return a;
    },
    async closeSockets() {
      for (const s of sockets.splice(0)) await s.close();
    },
    async cleanUp() {
      for (const s of sockets.splice(0)) await s.close();
      for (const h of running.splice(0)) await h.close();
    },
  };
}
