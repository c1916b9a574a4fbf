// The routing authority: ranks connected agents for each waiting conversation with the shared router,
// offers it to one agent at a time, and moves on when that agent declines or lets the offer lapse.
// When everyone eligible has passed, the conversation waits and a new round starts after a pause.
// Accept is decided by one conditional UPDATE: of two racing agents exactly one claims it.
// The pool of connected agents and their loads is kept between passes: an agent's entry is
// refreshed when their presence or capacity changes, and their load (from the indexes) when an
// event that can change it (offer, withdrawal, assignment, resolution) is appended for them. It
// is rebuilt from the database at the first pass and every `poolRebuildMs` as a safety net.
import { route, type PreparedAgents, prepareAgents } from '../../shared/routing/router';
import type { RoutingConfig, RoutingConversation } from '../../shared/routing/types';
import { CHANNELS, type Channel } from '../../shared/domain';
import type { ContextBundle, HubEvent } from '../../shared/hub/agentProtocol';
import { publicConversation, type ConversationRecord, type HubStore, type OfferRecord } from '../store/hubStore';
import type { HubLog } from '../services';
import type { ChannelMatrix } from '../../shared/channelConfig';
import type { EventLog } from './events';
import { HubError } from './errors';
import type { PresenceBook } from './presence';
import { say } from '../../shared/serverErrors';

export interface RoutingDeps {
  store: HubStore;
  events: EventLog;
  presence: PresenceBook;
  routing: RoutingConfig;
  offerTimeoutMs: number;
  now: () => number;
  log: HubLog;
  bundle: (conversationId: number) => ContextBundle;
  /** The channel configuration: backup channels and the routing priority per channel (read at each pass). */
  channelMatrix?: () => ChannelMatrix;
  /** Channels down now (the delivery worker's health): their conversations go to the backup channel. */
  outages?: () => readonly Channel[];
  /** How often the pool is rebuilt from the database and checked against it (hub clock); 60 s by default. */
  poolRebuildMs?: number;
}

type Load = Partial<Record<Channel, number>>;

const URGENCY: Readonly<Record<string, number>> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** The events appended for an agent whose load (held conversations plus pending offers; on the phone, live calls) may have changed. */
const LOAD_EVENTS: ReadonlySet<HubEvent['type']> = new Set(['offer', 'offerWithdrawn', 'assigned', 'unassigned', 'resolved', 'reopened', 'customerErased', 'call']);

function sameLoad(a: Load | undefined, b: Load | undefined): boolean {
  for (const c of CHANNELS) if ((a?.[c] ?? 0) !== (b?.[c] ?? 0)) return false;
  return true;
}

export class RoutingAuthority {
  private expiryTimer: ReturnType<typeof setTimeout> | null = null;
  private expiryAt = Infinity;
  private roundTimer: ReturnType<typeof setTimeout> | null = null;
  private scheduled = false;
  private closed = false;
  /** Connected agents as routing reads them; null until the first pass (or after a reset). */
  private pool: PreparedAgents | null = null;
  /** Every agent's load, as HubStore.loads() would return it. */
  private loads = new Map<number, Load>();
  /** Agents whose load must be read again, and agents whose pool entry must be rebuilt. */
  private readonly staleLoads = new Set<number>();
  private readonly staleAgents = new Set<number>();
  private builtAt = -Infinity;
  private readonly unwatch: (() => void)[] = [];
  /** Routing decisions made, for the benchmark and the supervisor view. */
  decisions = 0;
  /** Times the periodic check found the kept pool differing from the database (a bug if ever > 0). */
  poolDrift = 0;

  constructor(private readonly d: RoutingDeps) {
    this.unwatch.push(
      d.events.watchAppends((agentId, event) => {
        if (LOAD_EVENTS.has(event.type)) this.staleLoads.add(agentId);
      }),
      d.presence.onTouch((agentId) => this.staleAgents.add(agentId)),
      // A lost group commit may have taken offers and assignments with it: start over from the database.
      d.events.onRollback(() => {
        this.pool = null;
      }),
    );
  }

  /** The pool, current with the database: rebuilt when due, else the stale entries refreshed. */
  private currentPool(now: number): PreparedAgents {
    if (this.pool === null || now - this.builtAt >= (this.d.poolRebuildMs ?? 60_000) || now < this.builtAt) {
      this.rebuildPool(now);
      return this.pool!;
    }
    const pool = this.pool;
    for (const id of this.staleLoads) {
      const load = this.d.store.loadOf(id);
      if (Object.keys(load).length > 0) this.loads.set(id, load);
      else this.loads.delete(id);
      if (!this.staleAgents.has(id) && pool.has(id)) {
        for (const c of CHANNELS) pool.adjustLoad(id, c, (load[c] ?? 0) - pool.load(id, c));
      }
    }
    for (const id of this.staleAgents) {
      const agent = this.d.presence.routingAgent(id, this.loads.get(id) ?? {});
      if (agent) pool.update(agent);
      else pool.remove(id);
    }
    this.staleLoads.clear();
    this.staleAgents.clear();
    return pool;
  }

  private rebuildPool(now: number): void {
    const loads = this.d.store.loads();
    if (this.pool !== null && this.staleLoads.size === 0 && this.staleAgents.size === 0) {
      // Nothing is known to be stale: the kept loads must equal the database's.
      const ids = new Set([...loads.keys(), ...this.loads.keys()]);
      const differ = [...ids].filter((id) => !sameLoad(loads.get(id), this.loads.get(id)));
      if (differ.length > 0) {
        this.poolDrift++;
        this.d.log.warn(`Routing: the kept agent loads differed from the database for agent(s) ${differ.slice(0, 10).join(', ')}; rebuilt.`);
      }
    }
    this.loads = loads;
    this.pool = prepareAgents(this.d.presence.routingAgents(loads));
    this.staleLoads.clear();
    this.staleAgents.clear();
    this.builtAt = now;
  }

  /**
   * For tests and health checks: the kept pool brought current, compared with a fresh computation
   * from the database. Lists the agents whose loads or pool entries differ (empty when consistent).
   */
  checkPool(): { loads: number[]; pool: number[] } {
    const pool = this.currentPool(this.d.now());
    const fresh = this.d.store.loads();
    const ids = new Set([...fresh.keys(), ...this.loads.keys()]);
    const loads = [...ids].filter((id) => !sameLoad(fresh.get(id), this.loads.get(id))).sort((a, b) => a - b);
    const expected = prepareAgents(this.d.presence.routingAgents(fresh));
    const poolIds = new Set<number>([...expected.ids.filter((id) => expected.has(id)), ...pool.ids.filter((id) => pool.has(id))]);
    const differ: number[] = [];
    for (const id of poolIds) {
      if (!pool.has(id) || !expected.has(id)) {
        differ.push(id);
        continue;
      }
      const a = pool.slotOf(id)!;
      const b = expected.slotOf(id)!;
      const n = CHANNELS.length;
      let same = pool.available[a] === expected.available[b] && pool.seniority[a] === expected.seniority[b];
      for (let ci = 0; same && ci < n; ci++) {
        same = pool.loads[a * n + ci] === expected.loads[b * n + ci] && pool.capacity[a * n + ci] === expected.capacity[b * n + ci] && pool.proficiency[a * n + ci] === expected.proficiency[b * n + ci];
      }
      for (let ci = 0; same && ci < n; ci++) {
        const ids = (p: PreparedAgents) => p.byChannel[ci]!.map((slot) => p.ids[slot]);
        same = ids(pool).includes(id) === ids(expected).includes(id);
      }
      if (!same) differ.push(id);
    }
    for (let ci = 0; ci < CHANNELS.length; ci++) {
      const order = pool.byChannel[ci]!.map((slot) => pool.ids[slot]!);
      if (order.some((id, i) => i > 0 && order[i - 1]! >= id)) differ.push(-1);
    }
    return { loads, pool: differ.sort((a, b) => a - b) };
  }

  /** After a restart nobody is connected: offers still pending are withdrawn and their conversations wait again. */
  start(): void {
    const now = this.d.now();
    this.d.events.tx(() => {
      for (const offer of this.d.store.allPendingOffers()) {
        this.d.store.closeOffer(offer.id, 'cancelled', now);
        this.d.store.setWaiting(offer.conversationId, now);
        this.d.events.append(offer.agentId, { type: 'offerWithdrawn', offerId: offer.id, conversationId: offer.conversationId, reason: 'cancelled' });
      }
    });
  }

  /** Routes waiting conversations soon (once per turn of the event loop, however many changes asked). */
  routeSoon(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.closed) return;
      try {
        this.routeWaiting();
      } catch (e) {
        this.d.log.error('Routing failed', e);
      }
    });
  }

  routingConversation(c: ConversationRecord): RoutingConversation {
    const text = this.d.store.latestInboundText(c.id);
    return {
      id: c.id,
      channel: c.queueChannel ?? c.channel,
      issueType: c.issueType,
      priority: c.priority,
      language: c.language,
      tier: c.tier,
      vip: c.vip,
      preferredChannel: null,
      lastAgentId: c.lastAgentId,
      lastContactAt: c.lastContactAt,
      messageLength: text?.length ?? 0,
    };
  }

  /** The routing configuration with the channel configuration's backup channels. */
  private config(): RoutingConfig {
    const matrix = this.d.channelMatrix?.();
    if (!matrix) return this.d.routing;
    const backup: RoutingConfig['backup'] = {};
    for (const c of CHANNELS) {
      const to = matrix.channels[c].backupChannel;
      if (to) backup[c] = to;
    }
    return { ...this.d.routing, backup };
  }

  /**
   * One pass over the waiting queue, most urgent first; at equal urgency, conversations from channels
   * with a higher routing priority in the channel configuration first, then the longest waiting (a
   * stable sort over the store's order).
   */
  routeWaiting(): void {
    const waiting = this.d.store.waitingConversations();
    const matrix = this.d.channelMatrix?.();
    if (matrix) {
      const urgency = (c: ConversationRecord) => URGENCY[c.priority] ?? 3;
      // The channel the customer wrote on: it tells apart conversations waiting in one queue (overflow, transfers).
      const rank = (c: ConversationRecord) => matrix.channels[c.channel].routingPriority;
      waiting.sort((a, b) => urgency(a) - urgency(b) || rank(b) - rank(a));
    }
    if (waiting.length === 0) return;
    const now = this.d.now();
    const pool = this.currentPool(now);
    if (pool.size === 0) return;
    const depth: Partial<Record<Channel, number>> = {};
    for (const q of this.d.store.queueStats()) depth[q.channel] = q.waiting;
    let retryRound = false;
    for (const conv of waiting) {
      const tried = this.d.store.triedAgents(conv.id, conv.routeRound);
      let pick = this.pick(conv, pool, tried, depth, now);
      if (!pick && tried.size > 0) {
        // Everyone free has passed on it this round: after a pause, a new round asks them again.
        const ended = this.d.store.lastOfferEnded(conv.id, conv.routeRound) ?? 0;
        if (now - ended >= this.d.offerTimeoutMs) {
          const again = this.pick(conv, pool, new Set(), depth, now);
          if (again) {
            this.d.store.bumpRound(conv.id);
            pick = { ...again, round: conv.routeRound + 1 };
          }
        } else retryRound = true;
      }
      if (!pick) continue;
      const offered = this.makeOffer(conv, pick.agentId, pick.reasons, pick.round ?? conv.routeRound, now);
      if (offered) {
        pool.adjustLoad(pick.agentId, pick.channel, 1);
        depth[pick.channel] = Math.max(0, (depth[pick.channel] ?? 1) - 1);
      }
    }
    if (retryRound) this.scheduleRound();
  }

  /** The agent this conversation would be offered to now, without an offer: a live call rings them directly. */
  pickNow(conversationId: number): { agentId: number; reasons: string[] } | null {
    const conv = this.d.store.conversation(conversationId);
    if (!conv) return null;
    const now = this.d.now();
    const pool = this.currentPool(now);
    if (pool.size === 0) return null;
    const depth: Partial<Record<Channel, number>> = {};
    for (const q of this.d.store.queueStats()) depth[q.channel] = q.waiting;
    const pick = this.pick(conv, pool, new Set(), depth, now);
    return pick ? { agentId: pick.agentId, reasons: pick.reasons } : null;
  }

  private pick(
    conv: ConversationRecord,
    pool: PreparedAgents,
    tried: Set<number>,
    depth: Partial<Record<Channel, number>>,
    now: number,
  ): { agentId: number; reasons: string[]; channel: Channel; round?: number } | null {
    const skipped: number[] = [];
    for (const id of tried) {
      if (pool.has(id)) {
        pool.setPresence(id, 'busy');
        skipped.push(id);
      }
    }
    try {
      const decision = route(this.routingConversation(conv), pool, { queueDepth: depth, outages: this.d.outages?.() ?? [], config: this.config() }, now);
      this.decisions++;
      if (decision.outcome !== 'offer') return null;
      const top = decision.offers[0]!;
      return { agentId: top.agentId, reasons: [...decision.reasons, ...top.reasons], channel: decision.channel };
    } finally {
      for (const id of skipped) pool.setPresence(id, this.d.presence.presence(id));
    }
  }

  private makeOffer(conv: ConversationRecord, agentId: number, reasons: string[], round: number, now: number): boolean {
    const expiresAt = now + this.d.offerTimeoutMs;
    const made = this.d.events.tx(() => {
      if (!this.d.store.setOffered(conv.id, now)) return false;
      const offer = this.d.store.insertOffer({ conversationId: conv.id, agentId, round, reasons, expiresAt }, now);
      const fresh = this.d.store.conversation(conv.id)!;
      this.d.events.append(agentId, { type: 'offer', offerId: offer.id, conversation: publicConversation(fresh), expiresAt, reasons });
      return true;
    });
    if (made) this.armExpiry(expiresAt);
    return made;
  }

  accept(agentId: number, offerId: number): ContextBundle {
    const now = this.d.now();
    const offer = this.d.store.offer(offerId);
    if (!offer || offer.agentId !== agentId) throw new HubError('offer/not-found', say('offerMissing'));
    const outcome = this.d.events.tx((): ContextBundle | 'taken' => {
      // A lapsed offer may still be accepted while nobody else has the conversation; a declined one may not.
      if (offer.state !== 'pending' && offer.state !== 'expired') return 'taken';
      if (!this.d.store.claim(offer.conversationId, agentId, now)) return 'taken';
      this.d.store.markAccepted(offer.id, now);
      const other = this.d.store.pendingOfferOf(offer.conversationId);
      if (other) {
        this.d.store.closeOffer(other.id, 'cancelled', now);
        this.d.events.append(other.agentId, { type: 'offerWithdrawn', offerId: other.id, conversationId: other.conversationId, reason: 'taken' });
      }
      const conv = this.d.store.conversation(offer.conversationId)!;
      this.d.store.contactHandled(conv.contact.id, agentId, now);
      const bundle = this.d.bundle(conv.id);
      this.d.events.append(agentId, { type: 'assigned', via: 'accept', bundle });
      return bundle;
    });
    if (outcome === 'taken') {
      this.d.events.tx(() => {
        if (offer.state === 'pending') this.d.store.closeOffer(offer.id, 'cancelled', now);
        this.d.events.append(agentId, { type: 'offerWithdrawn', offerId: offer.id, conversationId: offer.conversationId, reason: 'taken' });
      });
      throw new HubError('offer/taken', say('offerTaken'));
    }
    this.routeSoon();
    return outcome;
  }

  decline(agentId: number, offerId: number): void {
    const offer = this.d.store.offer(offerId);
    if (!offer || offer.agentId !== agentId) throw new HubError('offer/not-found', say('offerMissing'));
    if (offer.state !== 'pending') throw new HubError('offer/taken', say('offerClosed'));
    this.withdraw(offer, 'declined');
    this.routeSoon();
  }

  /** Withdraws an agent's open offers (they went on a call, away or offline) so others get them. */
  withdrawOffersOf(agentId: number): void {
    const offers = this.d.store.pendingOffersOfAgent(agentId);
    for (const offer of offers) this.withdraw(offer, 'cancelled');
    if (offers.length > 0) this.routeSoon();
  }

  private withdraw(offer: OfferRecord, reason: 'declined' | 'expired' | 'cancelled'): void {
    const now = this.d.now();
    this.d.events.tx(() => {
      if (!this.d.store.closeOffer(offer.id, reason, now)) return;
      const conv = this.d.store.conversation(offer.conversationId);
      if (conv?.status === 'offered') this.d.store.setWaiting(conv.id, now);
      this.d.events.append(offer.agentId, { type: 'offerWithdrawn', offerId: offer.id, conversationId: offer.conversationId, reason });
    });
  }

  expireDue(): void {
    const due = this.d.store.dueOffers(this.d.now());
    for (const offer of due) this.withdraw(offer, 'expired');
    if (due.length > 0) this.routeWaiting();
    const next = this.d.store.nextOfferExpiry();
    if (next !== null) this.armExpiry(next);
  }

  private armExpiry(at: number): void {
    if (this.closed || at >= this.expiryAt) return;
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryAt = at;
    this.expiryTimer = setTimeout(
      () => {
        this.expiryTimer = null;
        this.expiryAt = Infinity;
        try {
          this.expireDue();
        } catch (e) {
          this.d.log.error('Expiring offers failed', e);
        }
      },
      Math.max(0, at - this.d.now()),
    );
    this.expiryTimer.unref?.();
  }

  private scheduleRound(): void {
    if (this.roundTimer || this.closed) return;
    this.roundTimer = setTimeout(() => {
      this.roundTimer = null;
      this.routeSoon();
    }, this.d.offerTimeoutMs);
    this.roundTimer.unref?.();
  }

  close(): void {
    this.closed = true;
    for (const stop of this.unwatch.splice(0)) stop();
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    if (this.roundTimer) clearTimeout(this.roundTimer);
  }
}
