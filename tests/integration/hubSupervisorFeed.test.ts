// The supervisor feed on the agent socket, over real sockets on loopback with a real SQLite hub:
// supervisors and admins get the team (agents' state and load, each channel's queue) right after
// sign-in and again after each change, a burst coalesced into one frame; agents never get it.
import { afterEach, describe, expect, it } from 'vitest';
import { SUPERVISOR_COALESCE_MS } from '../../src/hub/core/gateway';
import { agentSession, hubTestKit, nextSupervisorUpdate, startHub, supervisorUpdates, type StartedHub } from '../helpers/hub';

const kit = hubTestKit();
const { running, connect } = kit;
afterEach(kit.cleanUp);

const updates = supervisorUpdates;

const nextUpdate = nextSupervisorUpdate;

let providerSeq = 0;
function chat(h: StartedHub, thread: string) {
  return h.hub.context.conversations.ingestInbound({
    channel: 'chat',
    providerId: `feed-${++providerSeq}`,
    threadKey: thread,
    contact: { address: `visitor-${thread}` },
    text: 'Is anyone there?',
    receivedAt: Date.now(),
  });
}

describe('the supervisor feed', () => {
  it('pushes the team to supervisors on presence changes, offers and accepts; never to agents', async () => {
    const h = await startHub({ modules: [] });
    running.push(h);
    const ada = await agentSession(h, { username: 'ada' });
    const sam = await agentSession(h, { username: 'sam', role: 'supervisor' });
    const agent = await connect(h, ada.token);
    const supervisor = await connect(h, sam.token);

    // Right after sign-in: the team as it is.
    const first = await nextUpdate(supervisor, 0, () => true, 'the first supervisorUpdate');
    expect(first.agents.map((s) => s.agentId).sort()).toEqual([ada.id, sam.id].sort());
    expect(first.queues).toEqual([]);

    // A presence change.
    let seen = updates(supervisor).length;
    await agent.call({ type: 'setPresence', presence: 'away' });
    const away = await nextUpdate(supervisor, seen, (s) => s.agents.some((a) => a.agentId === ada.id && a.presence === 'away'), 'Ada away');
    expect(away.agents.find((a) => a.agentId === ada.id)).toMatchObject({ connected: true, presence: 'away' });

    // A conversation waits while nobody is available: the chat queue shows it.
    seen = updates(supervisor).length;
    const waiting = chat(h, 'q1');
    const queued = await nextUpdate(supervisor, seen, (s) => s.queues.some((q) => q.channel === 'chat' && q.waiting === 1), 'one chat waiting');
    expect(queued.queues.find((q) => q.channel === 'chat')!.oldestSince).toEqual(expect.any(Number));

    // Ada comes back: the chat is offered to her, she accepts; the queue empties and her chat load is 1.
    seen = updates(supervisor).length;
    await agent.call({ type: 'setPresence', presence: 'available' });
    const offer = await agent.waitForEvent('offer', (e) => e.conversation.id === waiting.conversationId);
    await agent.call({ type: 'acceptOffer', offerId: offer.offerId });
    const accepted = await nextUpdate(
      supervisor,
      seen,
      (s) => !s.queues.some((q) => q.channel === 'chat' && q.waiting > 0) && s.agents.some((a) => a.agentId === ada.id && a.load.chat === 1),
      'the chat accepted by Ada',
    );
    expect(accepted.agents.find((a) => a.agentId === ada.id)!.presence).toBe('available');

    // The agent's socket carried none of it.
    expect(updates(agent)).toEqual([]);
  });

  it('counts waits past 80% of the channel SLA as at risk and past it as breached, pushed when the moment comes', async () => {
    // The hub's clock is the test's: the timer the hub arms for the next crossing finds the clock moved.
    const T = 1_800_000_000_000;
    let clock = T;
    const h = await startHub({ modules: [], now: () => clock, config: { firstResponseSlaSeconds: { chat: 1 } } });
    running.push(h);
    const sam = await agentSession(h, { username: 'sam', role: 'supervisor' });
    const supervisor = await connect(h, sam.token);
    await nextUpdate(supervisor, 0, () => true, 'the first supervisorUpdate');
    const seen = updates(supervisor).length;
    const c = h.hub.context.conversations.ingestInbound({ channel: 'chat', providerId: 'sla-1', threadKey: 'sla-1', contact: { address: 'visitor-sla' }, text: 'Hello?', receivedAt: T });
    const fresh = await nextUpdate(supervisor, seen, (s) => s.queues.some((q) => q.channel === 'chat' && q.waiting === 1), 'the chat waiting');
    expect(fresh.queues.find((q) => q.channel === 'chat')).toEqual({ channel: 'chat', waiting: 1, oldestSince: T, slaSeconds: 1, atRisk: 0, breached: 0 });
    expect(h.hub.context.conversations.conversation(c.conversationId)!.status).toBe('waiting');
    // Nothing else happens: the hub looks again when the wait crosses 0.8 s, then 1 s.
    clock = T + 900;
    const atRisk = await nextUpdate(supervisor, seen, (s) => s.queues.some((q) => q.channel === 'chat' && q.atRisk === 1), 'the chat at risk');
    expect(atRisk.queues.find((q) => q.channel === 'chat')!.breached).toBe(0);
    clock = T + 5_000;
    await nextUpdate(supervisor, seen, (s) => s.queues.some((q) => q.channel === 'chat' && q.atRisk === 0 && q.breached === 1), 'the chat breached');
  });

  it('coalesces a burst of changes into one frame', async () => {
    const h = await startHub({ modules: [] });
    running.push(h);
    const sam = await agentSession(h, { username: 'sam', role: 'admin' });
    const supervisor = await connect(h, sam.token);
    await nextUpdate(supervisor, 0, () => true, 'the first supervisorUpdate');
    const seen = updates(supervisor).length;
    for (let i = 0; i < 20; i++) chat(h, `burst-${i}`);
    await nextUpdate(supervisor, seen, (s) => s.queues.some((q) => q.channel === 'chat' && q.waiting === 20), 'twenty chats waiting');
    // Let any straggler timer fire: a burst of 20 arrivals is one or two frames, not twenty.
    await new Promise((r) => setTimeout(r, SUPERVISOR_COALESCE_MS * 3));
    expect(updates(supervisor).length - seen).toBeLessThanOrEqual(2);
  });
});

describe('the supervisor console actions', () => {
  it('reassign, take and capacity: refused to agents, done for supervisors, each audited, and the feed follows', async () => {
    const h = await startHub({ modules: [] });
    running.push(h);
    const ada = await agentSession(h, { username: 'ada' });
    const bob = await agentSession(h, { username: 'bob' });
    const sam = await agentSession(h, { username: 'sam', role: 'supervisor' });
    const adaSocket = await connect(h, ada.token);
    const bobSocket = await connect(h, bob.token);
    const supervisor = await connect(h, sam.token);
    await adaSocket.call({ type: 'setPresence', presence: 'available', capacity: { chat: 2 } });
    const c = chat(h, 'act-1');
    const offer = await adaSocket.waitForEvent('offer', (e) => e.conversation.id === c.conversationId);
    await adaSocket.call({ type: 'acceptOffer', offerId: offer.offerId });
    await bobSocket.call({ type: 'setPresence', presence: 'available', capacity: { chat: 2 } });

    // An agent may do none of it, and nothing changes or is audited.
    for (const req of [
      { type: 'supervisorReassign', conversationId: c.conversationId, agentId: bob.id },
      { type: 'supervisorTake', conversationId: c.conversationId },
      { type: 'supervisorCapacity', agentId: bob.id, capacity: { chat: 5 } },
    ] as const) {
      const refused = await adaSocket.request(req);
      expect(!refused.ok && refused.error.code).toBe('auth/forbidden');
    }
    const audit = () => h.hub.context.db.prepare('SELECT supervisor_id, action, conversation_id, agent_id, detail FROM supervisor_audit ORDER BY id').all();
    expect(audit()).toEqual([]);
    expect(h.hub.context.conversations.conversation(c.conversationId)!.assignedAgentId).toBe(ada.id);

    // Reassign to Bob: Ada is told, Bob gets the conversation, the feed shows the loads moved.
    let seen = updates(supervisor).length;
    expect(await supervisor.call({ type: 'supervisorReassign', conversationId: c.conversationId, agentId: bob.id })).toEqual({ reassigned: true });
    await adaSocket.waitForEvent('unassigned', (e) => e.conversationId === c.conversationId && e.reason === 'Reassigned to bob by sam');
    const assigned = await bobSocket.waitForEvent('assigned', (e) => e.bundle.conversation.id === c.conversationId);
    expect(assigned.bundle.messages.map((m) => m.text)).toEqual(['Is anyone there?']);
    await nextUpdate(supervisor, seen, (s) => s.agents.some((a) => a.agentId === bob.id && a.load.chat === 1) && !s.agents.some((a) => a.agentId === ada.id && (a.load.chat ?? 0) > 0), 'the load moved to Bob');

    // A reassign to an agent who is away is refused with the reason; nothing moves.
    await adaSocket.call({ type: 'setPresence', presence: 'away' });
    const away = await supervisor.request({ type: 'supervisorReassign', conversationId: c.conversationId, agentId: ada.id });
    expect(!away.ok && away.error.code).toBe('agent/offline');
    expect(h.hub.context.conversations.conversation(c.conversationId)!.assignedAgentId).toBe(bob.id);

    // Take it: the supervisor has it now.
    expect(await supervisor.call({ type: 'supervisorTake', conversationId: c.conversationId })).toEqual({ reassigned: true });
    await supervisor.waitForEvent('assigned', (e) => e.bundle.conversation.id === c.conversationId);
    await bobSocket.waitForEvent('unassigned', (e) => e.conversationId === c.conversationId && e.reason === 'Taken by sam');
    expect(h.hub.context.conversations.conversation(c.conversationId)!.assignedAgentId).toBe(sam.id);

    // Capacity: Bob's chat capacity to 5, his presence unchanged; the feed shows it.
    seen = updates(supervisor).length;
    const { state } = await supervisor.call({ type: 'supervisorCapacity', agentId: bob.id, capacity: { chat: 5 } });
    expect(state).toMatchObject({ agentId: bob.id, presence: 'available', capacity: { chat: 5 } });
    await nextUpdate(supervisor, seen, (s) => s.agents.some((a) => a.agentId === bob.id && a.capacity.chat === 5), "Bob's new capacity");

    expect(audit()).toEqual([
      { supervisor_id: sam.id, action: 'reassign', conversation_id: c.conversationId, agent_id: bob.id, detail: 'from ada to bob' },
      { supervisor_id: sam.id, action: 'take', conversation_id: c.conversationId, agent_id: sam.id, detail: 'from bob to sam' },
      { supervisor_id: sam.id, action: 'capacity', conversation_id: null, agent_id: bob.id, detail: 'bob: chat 2 to 5' },
    ]);
  });
});
