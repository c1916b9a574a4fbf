// The routing pool the hub keeps between passes (connected agents and every agent's load) against
// a fresh computation from the database after each kind of change: offers, declines, lapses,
// accepts, transfers to an agent and to a queue, escalation, resolution, presence and capacity
// changes, a dropped socket. Also: passes do not re-read every load, presence changes do not read
// the agent list, and the periodic rebuild repairs (and reports) a pool that drifted.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConversationService } from '../../src/hub/core/conversations';
import type { InboundMessage } from '../../src/hub/services';
import { HubStore } from '../../src/hub/store/hubStore';
import { agentSession, startHub, TestAgent, type StartedHub } from '../helpers/hub';

const running: StartedHub[] = [];
const sockets: TestAgent[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of sockets.splice(0)) await s.close();
  for (const h of running.splice(0)) await h.close();
});

async function hub(config: Parameters<typeof startHub>[0] = {}): Promise<StartedHub> {
  const h = await startHub({ modules: [], ...config });
  running.push(h);
  return h;
}

async function desk(h: StartedHub, username: string, extra: Parameters<typeof agentSession>[1] extends infer A ? Partial<A> : never = {}) {
  const session = await agentSession(h, { username, ...extra });
  const socket = await TestAgent.connect(h.url, session.token);
  sockets.push(socket);
  await socket.call({ type: 'setPresence', presence: 'available' });
  return { ...session, socket };
}

type Desk = Awaited<ReturnType<typeof desk>>;

let providerSeq = 0;
function chat(h: StartedHub, thread: string, extra: Partial<InboundMessage> = {}) {
  return h.hub.context.conversations.ingestInbound({
    channel: 'chat',
    providerId: `pool-${++providerSeq}`,
    threadKey: thread,
    contact: { address: `visitor-${thread}` },
    text: 'Where is my order?',
    receivedAt: Date.now(),
    ...extra,
  });
}

function routingOf(h: StartedHub) {
  return (h.hub.context.conversations as ConversationService).routing;
}

/** The desk a conversation's current offer went to, with that offer (the offer event is sent after its commit). */
async function offered(desks: Desk[], conversationId: number, notOffer?: number) {
  const match = (e: { conversation: { id: number }; offerId: number }) => e.conversation.id === conversationId && e.offerId !== notOffer;
  const to = await Promise.race(desks.map((d) => d.socket.waitForEvent('offer', match).then(() => d)));
  return { desk: to, offer: await to.socket.waitForEvent('offer', match) };
}

describe('the routing pool kept between passes', () => {
  it('stays equal to a fresh computation from the database through offers, declines, lapses, accepts, transfers, escalation, resolution and presence changes', async () => {
    let clock = 1_800_000_000_000;
    const h = await hub({ now: () => clock, config: { offerTimeoutMs: 60_000 } });
    const routing = routingOf(h);
    const consistent = () => expect(routing.checkPool()).toEqual({ loads: [], pool: [] });

    const ada = await desk(h, 'ada', { channels: { chat: { proficiency: 5, capacity: 2 }, sms: { proficiency: 3, capacity: 1 } } });
    const bob = await desk(h, 'bob', { channels: { chat: { proficiency: 3, capacity: 2 } } });
    const sue = await desk(h, 'sue', { role: 'supervisor', seniority: 'senior', channels: { chat: { proficiency: 1, capacity: 3 } } });
    const all = [ada, bob, sue];
    consistent();

    // Offered (a pending offer counts as load), declined, offered to the next agent, accepted.
    const c1 = chat(h, 'pool-1');
    const first = await offered(all, c1.conversationId);
    consistent();
    await first.desk.socket.call({ type: 'declineOffer', offerId: first.offer.offerId });
    const second = await offered(
      all.filter((d) => d !== first.desk),
      c1.conversationId,
    );
    consistent();
    await second.desk.socket.call({ type: 'acceptOffer', offerId: second.offer.offerId });
    consistent();

    // An offer left to lapse goes to someone else.
    const c2 = chat(h, 'pool-2');
    const lapsing = await offered(all, c2.conversationId);
    clock += 61_000;
    routing.expireDue();
    const next = await offered(
      all.filter((d) => d !== lapsing.desk),
      c2.conversationId,
      lapsing.offer.offerId,
    );
    consistent();
    await next.desk.socket.call({ type: 'acceptOffer', offerId: next.offer.offerId });
    consistent();

    // Transfer to an agent, then to the SMS queue (it waits there and is offered to the SMS agent).
    const holderOf = (id: number) => all.find((d) => d.id === h.hub.context.conversations.conversation(id)?.assignedAgentId)!;
    const target = all.find((d) => d !== holderOf(c1.conversationId))!;
    await holderOf(c1.conversationId).socket.call({ type: 'transfer', conversationId: c1.conversationId, to: { agentId: target.id } });
    consistent();
    await holderOf(c2.conversationId).socket.call({ type: 'transfer', conversationId: c2.conversationId, to: { queue: 'sms' } });
    const sms = await offered([ada], c2.conversationId);
    consistent();
    await ada.socket.call({ type: 'acceptOffer', offerId: sms.offer.offerId });
    consistent();

    // Escalation moves the load to the senior supervisor (or queues it); resolution frees it.
    await holderOf(c1.conversationId).socket.call({ type: 'escalate', conversationId: c1.conversationId, reason: 'angry customer' });
    consistent();
    await ada.socket.call({ type: 'resolve', conversationId: c2.conversationId });
    consistent();

    // Presence and capacity: an agent going away loses their open offer; a new capacity is used.
    const c3 = chat(h, 'pool-3');
    const third = await offered(all, c3.conversationId);
    await third.desk.socket.call({ type: 'setPresence', presence: 'away' });
    await third.desk.socket.waitForEvent('offerWithdrawn', (e) => e.offerId === third.offer.offerId);
    consistent();
    await bob.socket.call({ type: 'setPresence', presence: 'available', capacity: { chat: 5 } });
    consistent();
    await third.desk.socket.call({ type: 'setPresence', presence: 'available' });
    consistent();

    // A dropped socket keeps the agent in routing during the grace period.
    await sue.socket.drop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    consistent();
    expect(h.logs.filter((l) => l.startsWith('error') || l.includes('differed'))).toEqual([]);
    expect(routing.poolDrift).toBe(0);
  });

  it('passes after the first do not re-read every load, and presence changes do not read the agent list', async () => {
    const h = await hub({ config: { offerTimeoutMs: 60_000 } });
    const agents = vi.spyOn(HubStore.prototype, 'agents');
    const ada = await desk(h, 'ada', { channels: { chat: { proficiency: 5, capacity: 10 } } });
    const bob = await desk(h, 'bob', { channels: { chat: { proficiency: 4, capacity: 10 } } });
    await bob.socket.call({ type: 'setPresence', presence: 'away' });
    await bob.socket.call({ type: 'setPresence', presence: 'available' });
    expect(agents).not.toHaveBeenCalled();

    const warm = chat(h, 'warm');
    await offered([ada, bob], warm.conversationId);
    const loads = vi.spyOn(HubStore.prototype, 'loads');
    for (let i = 0; i < 5; i++) {
      const c = chat(h, `pass-${i}`);
      const o = await offered([ada, bob], c.conversationId);
      await o.desk.socket.call({ type: 'acceptOffer', offerId: o.offer.offerId });
    }
    expect(loads).not.toHaveBeenCalled();
    expect(routingOf(h).checkPool()).toEqual({ loads: [], pool: [] });
  });

  it('the periodic rebuild repairs a pool that no longer matches the database, and says so', async () => {
    let clock = 1_800_000_000_000;
    const h = await hub({ now: () => clock, config: { offerTimeoutMs: 60_000 } });
    const routing = routingOf(h);
    const ada = await desk(h, 'ada');
    const c = chat(h, 'drift');
    const o = await offered([ada], c.conversationId);
    await ada.socket.call({ type: 'acceptOffer', offerId: o.offer.offerId });
    expect(routing.checkPool()).toEqual({ loads: [], pool: [] });

    // Changed behind the hub's back: the check sees the difference.
    h.hub.context.db.prepare(`UPDATE conversations SET status = 'resolved' WHERE id = ?`).run(c.conversationId);
    expect(routing.checkPool().loads).toEqual([ada.id]);

    clock += 61_000;
    expect(routing.checkPool()).toEqual({ loads: [], pool: [] });
    expect(routing.poolDrift).toBe(1);
    expect(h.logs.some((l) => l.startsWith('warn') && l.includes(`differed from the database for agent(s) ${ada.id}`))).toBe(true);
  });
});
