// The agent gateway at /agent: a desktop says hello with its session token, gets every stored event
// after the sequence it last saw, then live events; requests are answered in order. Who views or
// types in a conversation is relayed live and never stored. Bad frames get an error or a 1008
// close; nothing a client sends can take the hub down.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  AgentClientFrame,
  AgentRequest,
  HUB_PROTOCOL_VERSION,
  MAX_AGENT_FRAME_BYTES,
  type AgentServerFrame,
  type AgentState,
  type Capacity,
  type CollisionUpdate,
  DEFAULT_FIRST_RESPONSE_SLA_SECONDS,
  MAX_HELD_LISTED,
  MAX_HELD_PER_AGENT,
  SLA_RISK_SHARE,
  type SupervisorSnapshot,
  type HubAgent,
} from '../../shared/hub/agentProtocol';
import type { Channel } from '../../shared/domain';
import type { AgentRecord, HubStore } from '../store/hubStore';
import type { HubLog } from '../services';
import type { Accounts } from './accounts';
import { hubAgentOf } from './accounts';
import type { ConversationService } from './conversations';
import { errorInfo, HubError } from './errors';
import type { EventLog } from './events';
import type { PresenceBook } from './presence';
import type { RoutingAuthority } from './routing';
import type { ChannelMatrixBook } from './channelMatrix';
import type { ChannelHealth } from './channelHealth';
import { say } from '../../shared/serverErrors';

const HELLO_TIMEOUT_MS = 15_000;
const REPLAY_PAGE = 500;
const HEARTBEAT_MS = 30_000;
/** Supervisors get the team at most this often: a burst of changes is one frame. */
export const SUPERVISOR_COALESCE_MS = 250;
/** The console lists this many of the longest-waiting conversations. */
const WAITING_LIST_SIZE = 100;

interface Conn {
  ws: WebSocket;
  agent: AgentRecord | null;
  expiresAt: number;
  /** The last sequence number sent on this socket: live events at or below it are not sent again. */
  lastSeq: number;
  viewing: number | null;
  typing: boolean;
  drafting: boolean;
  alive: boolean;
}

export interface GatewayDeps {
  store: HubStore;
  events: EventLog;
  accounts: Accounts;
  presence: PresenceBook;
  conversations: ConversationService;
  routing: RoutingAuthority;
  /** The softphone's access token for an agent (src/hub/voice/token.ts). */
  voiceToken: (agent: AgentRecord) => unknown;
  now: () => number;
  log: HubLog;
  /** First-response SLA per channel (seconds); the defaults fill the rest. */
  slaSeconds?: Partial<Record<Channel, number>>;
  /** The channel configuration: its SLAs win over `slaSeconds`, its saves go to every desktop. */
  channelMatrix?: ChannelMatrixBook;
  /** Channels marked down by the delivery worker (the console's outage banner), and where their conversations go meanwhile. */
  health?: ChannelHealth;
  backup?: Partial<Record<Channel, Channel>>;
}

export class AgentGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_AGENT_FRAME_BYTES });
  private readonly byAgent = new Map<number, Set<Conn>>();
  private readonly viewers = new Map<number, Set<Conn>>();
  /** Supervisor and admin sockets: the live team feed. */
  private readonly supervisors = new Set<Conn>();
  private supervisorTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the next waiting conversation becomes at risk or breaches (as of the last snapshot); a timer sends the team then. */
  private nextSlaCrossing = Number.POSITIVE_INFINITY;
  private slaTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the team was last sent (monotonic clock, not the hub's `now`, which tests move). */
  private lastTeamSentAt = Number.NEGATIVE_INFINITY;
  private readonly stopTeamFeed: () => void;
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private readonly stopListening: () => void;
  /** Requests the modules answer (voice call control), set once they are built; null = not theirs. */
  moduleRequest: (agent: HubAgent, req: AgentRequest) => Promise<unknown> | null = () => null;

  constructor(private readonly d: GatewayDeps) {
    this.wss.on('connection', (ws: WebSocket) => this.open(ws));
    this.stopListening = d.events.listen((agentId, stored) => {
      for (const conn of this.byAgent.get(agentId) ?? []) {
        if (stored.seq <= conn.lastSeq) continue;
        conn.lastSeq = stored.seq;
        this.send(conn, { t: 'evt', seq: stored.seq, at: stored.at, event: stored.event });
      }
      // Offers, accepts, transfers, resolutions and new conversations all arrive as events.
      this.teamChanged();
    });
    // A new conversation waiting for routing or a resolution appends no agent event of its own.
    const stopPresence = d.presence.onChange(() => this.teamChanged());
    const stopConversations = d.conversations.observe({ inbound: () => this.teamChanged(), resolved: () => this.teamChanged() });
    // A new channel configuration goes to every signed-in desktop; supervisors' SLA figures change with it.
    const stopMatrix =
      d.channelMatrix?.onChange((current) => {
        for (const set of this.byAgent.values()) for (const conn of set) this.send(conn, { t: 'channelConfig', current });
        this.teamChanged();
      }) ?? (() => undefined);
    this.stopTeamFeed = () => {
      stopPresence();
      stopConversations();
      stopMatrix();
    };
    // A desktop whose network vanished never sends a close; unanswered pings find it.
    this.heartbeat = setInterval(() => {
      for (const ws of this.wss.clients) {
        const conn = (ws as WebSocket & { conn?: Conn }).conn;
        if (!conn) continue;
        if (conn.agent && conn.expiresAt <= d.now()) {
          // A lapsed session stops receiving events even if the desktop stays quiet.
          this.deny(conn, new HubError('auth/expired', say('sessionExpired')));
          continue;
        }
        if (!conn.alive) {
          ws.terminate();
          continue;
        }
        conn.alive = false;
        ws.ping();
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref?.();
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  /** Live frames for an agent's open sockets (not stored). */
  sendLive(agentId: number, frame: AgentServerFrame): void {
    for (const conn of this.byAgent.get(agentId) ?? []) this.send(conn, frame);
  }

  /** Something the team view shows may have changed: supervisors get the team once the burst settles. */
  teamChanged(): void {
    if (this.supervisorTimer !== null || this.supervisors.size === 0) return;
    this.supervisorTimer = setTimeout(() => {
      this.supervisorTimer = null;
      this.sendTeam();
    }, SUPERVISOR_COALESCE_MS);
    this.supervisorTimer.unref?.();
  }

  private sendTeam(): void {
    if (this.supervisors.size === 0) return;
    const frame: AgentServerFrame = { t: 'supervisorUpdate', snapshot: this.snapshot() };
    for (const conn of this.supervisors) this.send(conn, frame);
    this.lastTeamSentAt = performance.now();
    this.watchSla();
  }

  /** A wait crossing into at risk or breached changes nothing stored: a timer at that moment sends the team. */
  private watchSla(): void {
    if (this.slaTimer !== null) clearTimeout(this.slaTimer);
    this.slaTimer = null;
    if (this.supervisors.size === 0 || !Number.isFinite(this.nextSlaCrossing)) return;
    // Timers are capped near 24.8 days; a later crossing is looked at again then.
    const delay = Math.min(Math.max(0, this.nextSlaCrossing - this.d.now()), 2 ** 31 - 1);
    // Sent at once, not coalesced: the moment is the news. But crossings spread over many held
    // conversations come every few milliseconds: at most one frame per coalescing window.
    const spacing = Math.max(0, this.lastTeamSentAt + SUPERVISOR_COALESCE_MS - performance.now());
    this.slaTimer = setTimeout(() => {
      this.slaTimer = null;
      this.sendTeam();
    }, Math.max(delay, spacing));
    this.slaTimer.unref?.();
  }

  connectedCount(): number {
    let n = 0;
    for (const set of this.byAgent.values()) n += set.size;
    return n;
  }

  /**
   * Sends a frame once what is uncommitted now has committed (at once when nothing is), in order.
   * When that commit fails, `onFailure` decides: send it anyway (frames that state nothing
   * stored), or do something else (an answer that reported a change says it was not saved).
   */
  private send(conn: Conn, frame: AgentServerFrame, onFailure: 'send' | (() => void) = 'send'): void {
    const text = JSON.stringify(frame);
    const now = () => {
      if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(text);
    };
    this.d.events.afterCommit(now, onFailure === 'send' ? now : onFailure);
  }

  /** Closes after the frames queued before it (and their commit). */
  private closeLater(conn: Conn, code: number, reason: string): void {
    const now = () => conn.ws.close(code, reason);
    this.d.events.afterCommit(now, now);
  }

  /** The socket's view may include changes that were lost: the desktop reconnects and replays. */
  private lost(conn: Conn): () => void {
    return () => conn.ws.close(1011, 'The hub could not save its state; reconnect');
  }

  private open(ws: WebSocket): void {
    const conn: Conn = { ws, agent: null, expiresAt: 0, lastSeq: 0, viewing: null, typing: false, drafting: false, alive: true };
    (ws as WebSocket & { conn?: Conn }).conn = conn;
    const helloTimer = setTimeout(() => {
      if (!conn.agent) this.deny(conn, new HubError('protocol/invalid-frame', `No hello within ${HELLO_TIMEOUT_MS / 1000} seconds.`));
    }, HELLO_TIMEOUT_MS);
    helloTimer.unref?.();
    ws.on('pong', () => (conn.alive = true));
    ws.on('error', (e) => this.d.log.warn(`An agent connection failed: ${e.message}`));
    ws.on('close', () => {
      clearTimeout(helloTimer);
      this.closed(conn);
    });
    ws.on('message', (data, isBinary) => {
      try {
        this.frame(conn, data, isBinary);
      } catch (e) {
        this.d.log.error('An agent frame could not be handled', e);
        this.closeLater(conn, 1011, 'Internal error');
      }
    });
  }

  private deny(conn: Conn, error: HubError): void {
    this.send(conn, { t: 'denied', error: error.toInfo() });
    this.closeLater(conn, 1008, error.message.slice(0, 120));
  }

  private frame(conn: Conn, data: RawData, isBinary: boolean): void {
    if (isBinary) return this.deny(conn, new HubError('protocol/invalid-frame', 'Frames are JSON text; binary frames are not part of the protocol.'));
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      return this.deny(conn, new HubError('protocol/invalid-frame', 'The frame is not valid JSON.'));
    }
    const parsed = AgentClientFrame.safeParse(json);
    if (!parsed.success) {
      const id = (json as { id?: unknown } | null)?.id;
      if ((json as { t?: unknown } | null)?.t === 'req' && typeof id === 'number' && Number.isInteger(id) && id >= 0 && conn.agent) {
        const problem = AgentRequest.safeParse((json as { req?: unknown }).req);
        const detail = problem.success ? 'the frame is malformed' : problem.error.issues.map((i) => `${i.path.join('.') || 'req'}: ${i.message}`).join('; ');
        this.send(conn, { t: 'res', id, ok: false, error: { code: 'protocol/invalid-request', message: `The request is not valid: ${detail}.` } });
        return;
      }
      const version = (json as { t?: unknown; protocol?: unknown } | null)?.t === 'hello' ? (json as { protocol?: unknown }).protocol : undefined;
      if (version !== undefined && version !== HUB_PROTOCOL_VERSION) {
        return this.deny(conn, new HubError('protocol/version', say('protocolVersion', { hub: HUB_PROTOCOL_VERSION, desktop: String(version) })));
      }
      return this.deny(conn, new HubError('protocol/invalid-frame', 'The frame is not part of the agent protocol.'));
    }
    const frame = parsed.data;
    if (frame.t === 'hello') {
      if (conn.agent) return this.deny(conn, new HubError('protocol/invalid-frame', 'This socket already said hello.'));
      return this.hello(conn, frame.token, frame.resumeAfter);
    }
    if (!conn.agent) return this.deny(conn, new HubError('protocol/invalid-frame', 'The first frame must be hello.'));
    if (conn.expiresAt <= this.d.now()) return this.deny(conn, new HubError('auth/expired', say('sessionExpired')));
    let value: unknown;
    try {
      value = this.request(conn, conn.agent, frame.req);
    } catch (e) {
      const info = errorInfo(e);
      if (info.code === 'internal') this.d.log.error(`Request ${frame.req.type} failed`, e);
      this.send(conn, { t: 'res', id: frame.id, ok: false, error: info });
      return;
    }
    const id = frame.id;
    if (value instanceof Promise) {
      // A module's request that waits on a provider (Twilio's REST API): answered when it settles.
      value.then(
        (v: unknown) => this.send(conn, { t: 'res', id, ok: true, value: v }),
        (e: unknown) => {
          const info = errorInfo(e);
          if (info.code === 'internal') this.d.log.error(`Request ${frame.req.type} failed`, e);
          this.send(conn, { t: 'res', id, ok: false, error: info });
        },
      );
      return;
    }
    this.send(conn, { t: 'res', id, ok: true, value }, () =>
      this.send(conn, { t: 'res', id, ok: false, error: { code: 'internal', message: 'The hub could not save this change; nothing was changed. Try again.' } }),
    );
  }

  private hello(conn: Conn, token: string, resumeAfter: number): void {
    let session: { agent: AgentRecord; expiresAt: number };
    try {
      session = this.d.accounts.authenticate(token);
    } catch (e) {
      return this.deny(conn, e instanceof HubError ? e : new HubError('auth/invalid', say('sessionUnchecked')));
    }
    const { agent } = session;
    conn.agent = agent;
    conn.expiresAt = session.expiresAt;
    // Synchronous from here to `caughtUp`: no live event can slip between the replay and the live stream.
    // The replay may include events of changes not committed yet: its frames wait for the commit.
    const lost = this.lost(conn);
    this.send(conn, { t: 'welcome', agent: hubAgentOf(agent), lastSeq: this.d.store.lastSeq(agent.id), serverTime: this.d.now() }, lost);
    // The channel configuration the desktop applies (auto-reply texts, hours, costs), whatever it missed while away.
    if (this.d.channelMatrix) this.send(conn, { t: 'channelConfig', current: this.d.channelMatrix.current() }, lost);
    let after = resumeAfter;
    for (;;) {
      const page = this.d.store.eventsAfter(agent.id, after, REPLAY_PAGE);
      for (const stored of page) this.send(conn, { t: 'evt', seq: stored.seq, at: stored.at, event: stored.event }, lost);
      if (page.length > 0) after = page[page.length - 1]!.seq;
      if (page.length < REPLAY_PAGE) break;
    }
    conn.lastSeq = Math.max(after, resumeAfter);
    this.send(conn, { t: 'caughtUp', lastSeq: conn.lastSeq }, lost);
    let set = this.byAgent.get(agent.id);
    if (!set) this.byAgent.set(agent.id, (set = new Set()));
    set.add(conn);
    if (agent.role !== 'agent') {
      this.supervisors.add(conn);
      this.send(conn, { t: 'supervisorUpdate', snapshot: this.snapshot() }, lost);
      this.watchSla();
    }
    this.d.presence.connected(agent);
  }

  private closed(conn: Conn): void {
    if (!conn.agent) return;
    const set = this.byAgent.get(conn.agent.id);
    set?.delete(conn);
    if (set?.size === 0) this.byAgent.delete(conn.agent.id);
    this.supervisors.delete(conn);
    this.view(conn, null);
    this.d.presence.disconnected(conn.agent.id);
  }

  private request(conn: Conn, agent: AgentRecord, req: AgentRequest): unknown {
    const c = this.d.conversations;
    switch (req.type) {
      case 'setPresence':
        return { state: this.d.presence.set(agent, req.presence, req.capacity) };
      case 'voiceToken':
        return this.d.voiceToken(agent);
      case 'acceptOffer':
        return { bundle: this.d.routing.accept(agent.id, req.offerId) };
      case 'declineOffer':
        this.d.routing.decline(agent.id, req.offerId);
        return { declined: true };
      case 'send':
        return c.send(agent, req);
      case 'transfer':
        return c.transfer(agent, req);
      case 'escalate':
        return c.escalate(agent, req.conversationId, req.reason, req.history);
      case 'resolve':
        return c.resolve(agent, req.conversationId);
      case 'viewing':
        this.view(conn, req.conversationId);
        return {};
      case 'typing': {
        if (conn.viewing !== req.conversationId) this.view(conn, req.conversationId, false);
        conn.typing = req.typing;
        conn.drafting = req.drafting;
        this.broadcast(req.conversationId);
        const conv = this.d.store.conversation(req.conversationId);
        if (conv?.assignedAgentId === agent.id) c.emit((o) => o.agentTyping?.(req.conversationId, agent.displayName, req.typing));
        return {};
      }
      case 'announceEmail':
        return c.announceEmail(req);
      case 'csatSurvey':
        return c.surveyLink(agent, req.conversationId);
      case 'supervisorSnapshot':
        if (agent.role === 'agent') throw new HubError('auth/forbidden', say('teamSnapshotRole'));
        return this.snapshot();
      case 'supervisorReassign':
        return c.supervise(agent, req.conversationId, req.agentId, 'reassign');
      case 'supervisorTake':
        return c.supervise(agent, req.conversationId, agent.id, 'take');
      case 'supervisorCapacity':
        return this.setCapacity(agent, req.agentId, req.capacity);
      case 'ping':
        return { serverTime: this.d.now() };
      case 'channelConfig': {
        const book = this.channelMatrix();
        if (agent.role !== 'admin') throw new HubError('auth/forbidden', say('channelConfigAdminOnly'));
        return { current: book.current(), history: book.history() };
      }
      case 'saveChannelConfig':
        return { current: this.channelMatrix().save(agent, req.expectedVersion, req.matrix) };
      case 'callControl':
      case 'transferCall': {
        const answer = this.moduleRequest(hubAgentOf(agent), req);
        if (answer === null) throw new HubError('request/unsupported', say('noVoiceModule', { request: req.type }));
        return answer;
      }
      case 'agentDirectory':
        return { agents: c.directory(req.channel) };
      case 'reopen':
        return c.reopen(agent, req.conversationId);
      case 'eraseCustomer':
        return c.eraseCustomer(agent, req);
    }
  }

  private channelMatrix(): ChannelMatrixBook {
    if (!this.d.channelMatrix) throw new HubError('request/unsupported', say('noChannelConfig'));
    return this.d.channelMatrix;
  }

  /** A supervisor changes an agent's capacity (presence stays); audited, and routing looks again. */
  private setCapacity(actor: AgentRecord, agentId: number, capacity: Capacity): { state: AgentState } {
    if (actor.role === 'agent') throw new HubError('auth/forbidden', say('capacityRole'));
    const target = this.d.store.agent(agentId);
    if (!target || target.disabled) throw new HubError('agent/not-found', say('agentMissing', { agentId }));
    const before = this.d.presence.state(target.id, target, this.d.store.loads());
    const state = this.d.presence.set(target, before.presence, capacity);
    const changes = Object.keys({ ...before.capacity, ...state.capacity })
      .filter((ch) => before.capacity[ch as Channel] !== state.capacity[ch as Channel])
      .map((ch) => `${ch} ${before.capacity[ch as Channel] ?? 'none'} to ${state.capacity[ch as Channel] ?? 'none'}`);
    this.d.events.tx(() => this.d.conversations.audit(actor, 'capacity', null, target.id, `${target.displayName}: ${changes.join(', ') || 'unchanged'}`));
    this.d.routing.routeSoon();
    return { state };
  }

  snapshot(): SupervisorSnapshot {
    const loads = this.d.store.loads();
    const agents = this.d.store.agents().filter((a) => !a.disabled);
    const now = this.d.now();
    const matrix = this.d.channelMatrix?.current().matrix;
    const sla = (ch: Channel) => matrix?.channels[ch].firstResponseSlaSeconds ?? this.d.slaSeconds?.[ch] ?? DEFAULT_FIRST_RESPONSE_SLA_SECONDS[ch];
    const risk = new Map<Channel, { atRisk: number; breached: number }>();
    let next = Number.POSITIVE_INFINITY;
    for (const [ch, since] of this.d.store.waitingSince()) {
      const r = risk.get(ch) ?? { atRisk: 0, breached: 0 };
      risk.set(ch, r);
      if (since === null) continue;
      const risky = since + sla(ch) * SLA_RISK_SHARE * 1000;
      const breaches = since + sla(ch) * 1000;
      if (now >= breaches) r.breached++;
      else if (now >= risky) {
        r.atRisk++;
        next = Math.min(next, breaches);
      } else next = Math.min(next, risky);
    }
    const slaOf = (ch: Channel, since: number | null) =>
      since === null ? 'ok' : now >= since + sla(ch) * 1000 ? 'breached' : now >= since + sla(ch) * SLA_RISK_SHARE * 1000 ? 'atRisk' : 'ok';
    // Each agent's open conversations; an unanswered customer crossing into at risk or breached is news too.
    const assigned = new Map<number, SupervisorSnapshot['assigned'][number]>();
    for (const held of this.d.store.heldList(MAX_HELD_PER_AGENT, MAX_HELD_LISTED)) {
      let entry = assigned.get(held.agentId);
      if (!entry) assigned.set(held.agentId, (entry = { agentId: held.agentId, total: held.agentTotal, conversations: [] }));
      const state = slaOf(held.channel, held.awaitingSince);
      if (held.awaitingSince !== null && state !== 'breached') {
        next = Math.min(next, held.awaitingSince + sla(held.channel) * (state === 'ok' ? SLA_RISK_SHARE : 1) * 1000);
      }
      entry.conversations.push({ conversationId: held.id, channel: held.channel, contact: held.contact, since: held.assignedAt, awaitingReplySince: held.awaitingSince, sla: state });
    }
    this.nextSlaCrossing = next;
    return {
      agents: agents.map((a) => this.d.presence.state(a.id, a, loads)),
      queues: this.d.store.queueStats().map((q) => ({ ...q, slaSeconds: sla(q.channel), atRisk: risk.get(q.channel)?.atRisk ?? 0, breached: risk.get(q.channel)?.breached ?? 0 })),
      waiting: this.d.store
        .waitingList(WAITING_LIST_SIZE)
        .map((w) => ({ conversationId: w.id, channel: w.channel, contact: w.contact, subject: w.subject, waitingSince: w.waitingSince, sla: slaOf(w.channel, w.waitingSince) })),
      assigned: [...assigned.values()].sort((a, b) => a.agentId - b.agentId),
      outages: (this.d.health?.outages() ?? []).map((o) => ({ ...o, backup: this.d.channelMatrix?.current().matrix.channels[o.channel].backupChannel ?? this.d.backup?.[o.channel] ?? null })),
      at: now,
    };
  }

  private view(conn: Conn, conversationId: number | null, announce = true): void {
    const before = conn.viewing;
    if (before === conversationId) return;
    if (before !== null) {
      const set = this.viewers.get(before);
      set?.delete(conn);
      if (set?.size === 0) this.viewers.delete(before);
    }
    conn.viewing = conversationId;
    conn.typing = false;
    conn.drafting = false;
    if (conversationId !== null) {
      let set = this.viewers.get(conversationId);
      if (!set) this.viewers.set(conversationId, (set = new Set()));
      set.add(conn);
    }
    if (before !== null) this.broadcast(before);
    if (conversationId !== null && announce) this.broadcast(conversationId);
  }

  /** Tells everyone viewing a conversation who is there, typing or holding a draft (one entry per agent). */
  private broadcast(conversationId: number): void {
    const set = this.viewers.get(conversationId);
    if (!set) return;
    const byAgent = new Map<number, CollisionUpdate['viewers'][number]>();
    for (const c of set) {
      if (!c.agent) continue;
      const seen = byAgent.get(c.agent.id);
      byAgent.set(c.agent.id, {
        agentId: c.agent.id,
        displayName: c.agent.displayName,
        typing: (seen?.typing ?? false) || c.typing,
        drafting: (seen?.drafting ?? false) || c.drafting,
      });
    }
    const update: CollisionUpdate = { conversationId, viewers: [...byAgent.values()].sort((a, b) => a.agentId - b.agentId) };
    for (const c of set) this.send(c, { t: 'collision', update });
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.stopListening();
    this.stopTeamFeed();
    if (this.supervisorTimer !== null) clearTimeout(this.supervisorTimer);
    if (this.slaTimer !== null) clearTimeout(this.slaTimer);
    this.supervisors.clear();
    for (const ws of this.wss.clients) ws.close(1001, 'The hub is shutting down');
    await new Promise<void>((resolve) => {
      const deadline = setTimeout(() => {
        for (const ws of this.wss.clients) ws.terminate();
        resolve();
      }, 2_000);
      const check = () => {
        if (this.wss.clients.size === 0) {
          clearTimeout(deadline);
          resolve();
        } else setTimeout(check, 20);
      };
      check();
    });
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
