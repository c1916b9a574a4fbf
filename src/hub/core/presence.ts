// Who is connected and what they said about themselves (presence, capacity per channel). Held in
// memory: after a restart every agent is offline until their desktop reconnects. A dropped socket
// turns the agent offline only after a grace period, so a network blip does not reshuffle offers.
import type { Channel } from '../../shared/domain';
import type { AgentState, Capacity } from '../../shared/hub/agentProtocol';
import type { Presence, RoutingAgent } from '../../shared/routing/types';
import type { AgentRecord, HubStore } from '../store/hubStore';

interface Live {
  agent: AgentRecord;
  presence: Presence;
  capacity: Capacity;
  connections: number;
  since: number;
  grace: ReturnType<typeof setTimeout> | null;
  /** What agent_presence holds for the agent (presence and capacity), once this run wrote it. */
  saved: string | null;
}

export type PresenceListener = (agentId: number, before: { presence: Presence; connected: boolean }) => void;
/** Runs a change in one transaction (the hub's EventLog.tx); the default runs it as it is. */
export type TxRunner = <T>(fn: () => T) => T;

export class PresenceBook {
  private readonly live = new Map<number, Live>();
  private readonly listeners = new Set<PresenceListener>();
  private readonly touched = new Set<(agentId: number) => void>();
  private closed = false;

  constructor(
    private readonly store: HubStore,
    private readonly now: () => number,
    private readonly graceMs: number,
    private readonly tx: TxRunner = (fn) => fn(),
  ) {}

  onChange(listener: PresenceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Called whenever what routing knows of an agent may have changed (connected, a refreshed
   * record on another socket, presence or capacity set, gone offline), before onChange listeners.
   */
  onTouch(fn: (agentId: number) => void): () => void {
    this.touched.add(fn);
    return () => this.touched.delete(fn);
  }

  private touch(agentId: number): void {
    for (const fn of this.touched) fn(agentId);
  }

  private entry(agent: AgentRecord): Live {
    let e = this.live.get(agent.id);
    if (!e) {
      e = { agent, presence: 'offline', capacity: this.store.capacity(agent.id), connections: 0, since: this.now(), grace: null, saved: null };
      this.live.set(agent.id, e);
    }
    return e;
  }

  private changed(agentId: number, before: { presence: Presence; connected: boolean }): void {
    for (const listener of this.listeners) listener(agentId, before);
  }

  connected(agent: AgentRecord): void {
    const e = this.entry(agent);
    e.agent = agent;
    const before = { presence: e.presence, connected: e.connections > 0 || e.grace !== null };
    if (e.grace) clearTimeout(e.grace);
    e.grace = null;
    e.connections++;
    this.touch(agent.id);
    if (!before.connected) this.changed(agent.id, before);
  }

  disconnected(agentId: number): void {
    const e = this.live.get(agentId);
    if (!e || e.connections === 0) return;
    e.connections--;
    if (e.connections > 0 || this.closed) return;
    e.grace = setTimeout(() => {
      e.grace = null;
      const before = { presence: e.presence, connected: true };
      e.presence = 'offline';
      e.since = this.now();
      this.touch(agentId);
      this.changed(agentId, before);
    }, this.graceMs);
    e.grace.unref?.();
  }

  set(agent: AgentRecord, presence: Presence, capacity?: Capacity): AgentState {
    const e = this.entry(agent);
    const before = { presence: e.presence, connected: e.connections > 0 || e.grace !== null };
    if (presence !== e.presence) e.since = this.now();
    e.presence = presence;
    if (capacity) e.capacity = capacity;
    this.touch(agent.id);
    // The row, the supervisors' agentState events and any offers withdrawn commit together; a
    // repeat of what is stored already writes nothing.
    const saved = `${presence}|${JSON.stringify(e.capacity)}`;
    const write = e.saved !== saved;
    this.tx(() => {
      if (write) this.store.saveCapacity(agent.id, presence, e.capacity, this.now());
      this.changed(agent.id, before);
    });
    if (write) e.saved = saved;
    return this.state(agent.id, agent);
  }

  /** After a lost commit: what agent_presence holds is not known any more, so the next set writes. */
  forgetSaved(): void {
    for (const e of this.live.values()) e.saved = null;
  }

  presence(agentId: number): Presence {
    return this.live.get(agentId)?.presence ?? 'offline';
  }

  isConnected(agentId: number): boolean {
    const e = this.live.get(agentId);
    return !!e && (e.connections > 0 || e.grace !== null);
  }

  state(agentId: number, agent?: AgentRecord, loads?: Map<number, Partial<Record<Channel, number>>>): AgentState {
    const e = this.live.get(agentId);
    const a = e?.agent ?? agent;
    const load = loads ? (loads.get(agentId) ?? {}) : this.store.loadOf(agentId);
    return {
      agentId,
      displayName: a?.displayName ?? `Agent ${agentId}`,
      presence: e?.presence ?? 'offline',
      capacity: this.capacityOf(e?.agent ?? agent, e?.capacity ?? {}),
      load,
      connected: !!e && (e.connections > 0 || e.grace !== null),
      since: e?.since ?? 0,
    };
  }

  /** The agent's channels with capacities overridden by what the desktop asked for. */
  private capacityOf(agent: AgentRecord | undefined, asked: Capacity): Capacity {
    const out: Capacity = {};
    for (const [channel, on] of Object.entries(agent?.channels ?? {}) as [Channel, { capacity: number }][]) out[channel] = asked[channel] ?? on.capacity;
    return out;
  }

  /** The agents routing may consider: connected (or within grace), with their current loads. */
  routingAgents(loads: Map<number, Partial<Record<Channel, number>>>): RoutingAgent[] {
    const out: RoutingAgent[] = [];
    for (const e of this.live.values()) {
      if (e.connections === 0 && e.grace === null) continue;
      out.push(this.routingAgentOf(e, loads.get(e.agent.id) ?? {}));
    }
    return out;
  }

  /** One agent as routingAgents lists it, or null when routing may not consider them (not connected). */
  routingAgent(agentId: number, load: Partial<Record<Channel, number>>): RoutingAgent | null {
    const e = this.live.get(agentId);
    if (!e || (e.connections === 0 && e.grace === null)) return null;
    return this.routingAgentOf(e, load);
  }

  private routingAgentOf(e: Live, load: Partial<Record<Channel, number>>): RoutingAgent {
    const channels: RoutingAgent['channels'] = {};
    for (const [channel, on] of Object.entries(e.agent.channels) as [Channel, { proficiency: number; capacity: number }][]) {
      channels[channel] = { proficiency: on.proficiency, capacity: e.capacity[channel] ?? on.capacity };
    }
    return {
      id: e.agent.id,
      presence: e.presence,
      seniority: e.agent.seniority,
      languages: e.agent.languages,
      skills: e.agent.skills,
      channels,
      load,
    };
  }

  liveAgents(): AgentRecord[] {
    return [...this.live.values()].filter((e) => e.connections > 0 || e.grace !== null).map((e) => e.agent);
  }

  close(): void {
    this.closed = true;
    for (const e of this.live.values()) if (e.grace) clearTimeout(e.grace);
  }
}
