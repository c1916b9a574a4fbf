// The supervisor console on conversations agents already hold, over real sockets on loopback with a
// real SQLite hub: the team snapshot lists each agent's open conversations (since when, the customer's
// unanswered wait against the SLA, bounded per agent); a supervisor moves one to another agent (the
// loser is told why, the receiver gets it), is refused when the target is full, takes one; each audited.
import { afterEach, describe, expect, it } from 'vitest';
import { SUPERVISOR_COALESCE_MS } from '../../src/hub/core/gateway';
import { MAX_HELD_PER_AGENT } from '../../src/shared/hub/agentProtocol';
import { agentSession, hubTestKit, nextSupervisorUpdate, startHub, supervisorUpdates, type StartedHub, type TestAgent } from '../helpers/hub';

const kit = hubTestKit();
const { running, connect } = kit;
afterEach(kit.cleanUp);

const T = 1_800_000_000_000;

let providerSeq = 0;
function chat(h: StartedHub, thread: string, receivedAt: number, text = 'Is anyone there?') {
  return h.hub.context.conversations.ingestInbound({
    channel: 'chat',
    providerId: `held-${++providerSeq}`,
    threadKey: thread,
    contact: { address: `visitor-${thread}`, displayName: `Visitor ${thread}` },
    text,
    receivedAt,
  });
}

/** A chat arrives and `agent` accepts the offer. */
async function held(h: StartedHub, agent: TestAgent, thread: string, receivedAt: number): Promise<number> {
  const { conversationId } = chat(h, thread, receivedAt);
  const offer = await agent.waitForEvent('offer', (e) => e.conversation.id === conversationId);
  await agent.call({ type: 'acceptOffer', offerId: offer.offerId });
  return conversationId;
}

describe("the console's view of conversations agents hold", () => {
  it('lists them per agent with since and SLA, moves one to a free agent, refuses a full one, takes one; all audited', async () => {
    let clock = T;
    const h = await startHub({ modules: [], now: () => clock, config: { firstResponseSlaSeconds: { chat: 2 } } });
    running.push(h);
    const ada = await agentSession(h, { username: 'ada', displayName: 'Ada Park' });
    const bob = await agentSession(h, { username: 'bob', displayName: 'Bob Reyes' });
    const sam = await agentSession(h, { username: 'sam', displayName: 'Sam Lead', role: 'supervisor' });
    const adaSocket = await connect(h, ada.token);
    const bobSocket = await connect(h, bob.token);
    const supervisor = await connect(h, sam.token);
    await bobSocket.call({ type: 'setPresence', presence: 'away' });
    await adaSocket.call({ type: 'setPresence', presence: 'available', capacity: { chat: 3 } });

    // Ada takes two chats and answers the first; the second's customer still waits for her.
    const answered = await held(h, adaSocket, 'a1', T - 2_000);
    clock = T + 1_000;
    const unanswered = await held(h, adaSocket, 'a2', T + 500);
    await adaSocket.call({ type: 'send', idempotencyKey: 'held-reply-1', conversationId: answered, text: 'Hello, I am looking into it.' });
    let seen = 0;
    const listed = await nextSupervisorUpdate(supervisor, seen, (s) => s.assigned.some((a) => a.agentId === ada.id && a.total === 2 && a.conversations.some((c) => c.awaitingReplySince === null)), "Ada's two chats");
    expect(listed.assigned).toEqual([
      {
        agentId: ada.id,
        total: 2,
        conversations: [
          // The one the customer waits on comes first.
          { conversationId: unanswered, channel: 'chat', contact: 'Visitor a2', since: T + 1_000, awaitingReplySince: T + 500, sla: 'ok' },
          { conversationId: answered, channel: 'chat', contact: 'Visitor a1', since: T, awaitingReplySince: null, sla: 'ok' },
        ],
      },
    ]);

    // Nothing else happens: the hub pushes the team when the unanswered wait passes 80% of the 2 s SLA (1.6 s), then the SLA.
    seen = supervisorUpdates(supervisor).length;
    clock = T + 2_200;
    const risky = await nextSupervisorUpdate(supervisor, seen, (s) => s.assigned[0]?.conversations[0]?.sla === 'atRisk', 'the unanswered chat at risk');
    expect(risky.assigned[0]!.conversations[1]!.sla).toBe('ok');
    clock = T + 2_600;
    await nextSupervisorUpdate(supervisor, seen, (s) => s.assigned[0]?.conversations[0]?.sla === 'breached', 'the unanswered chat breached');

    // Bob is away: moving the chat to him is refused with the hub's sentence; nothing moves, nothing is audited.
    const audit = () => h.hub.context.db.prepare('SELECT supervisor_id, action, conversation_id, agent_id, detail FROM supervisor_audit ORDER BY id').all();
    const away = await supervisor.request({ type: 'supervisorReassign', conversationId: unanswered, agentId: bob.id });
    expect(away).toEqual({ ok: false, error: { code: 'agent/offline', message: 'Bob Reyes is away; the conversation stays where it is.', key: 'reassignPresence', params: { agent: 'Bob Reyes', presence: 'away' } } });

    // Bob is back with room for one chat: the unanswered chat moves to him. Ada is told why, Bob gets its history.
    await bobSocket.call({ type: 'setPresence', presence: 'available', capacity: { chat: 1 } });
    seen = supervisorUpdates(supervisor).length;
    clock = T + 12_000;
    expect(await supervisor.call({ type: 'supervisorReassign', conversationId: unanswered, agentId: bob.id })).toEqual({ reassigned: true });
    await adaSocket.waitForEvent('unassigned', (e) => e.conversationId === unanswered && e.reason === 'Reassigned to Bob Reyes by Sam Lead');
    const assigned = await bobSocket.waitForEvent('assigned', (e) => e.bundle.conversation.id === unanswered);
    expect(assigned.bundle.conversation.assignedAgentId).toBe(bob.id);
    expect(assigned.bundle.messages.map((m) => m.text)).toEqual(['Is anyone there?']);
    const moved = await nextSupervisorUpdate(supervisor, seen, (s) => s.assigned.some((a) => a.agentId === bob.id), 'the chat under Bob');
    expect(moved.assigned).toEqual([
      { agentId: ada.id, total: 1, conversations: [expect.objectContaining({ conversationId: answered })] },
      // With Bob since the reassign; the customer's wait goes on (nobody answered yet).
      { agentId: bob.id, total: 1, conversations: [{ conversationId: unanswered, channel: 'chat', contact: 'Visitor a2', since: T + 12_000, awaitingReplySince: T + 500, sla: 'breached' }] },
    ]);
    expect(moved.agents.find((a) => a.agentId === bob.id)!.load).toEqual({ chat: 1 });
    expect(moved.agents.find((a) => a.agentId === ada.id)!.load).toEqual({ chat: 1 });

    // Bob is full now (1 of 1): Ada's other chat cannot go to him; it stays with Ada and nothing is audited.
    const full = await supervisor.request({ type: 'supervisorReassign', conversationId: answered, agentId: bob.id });
    expect(full).toEqual({
      ok: false,
      error: { code: 'agent/at-capacity', message: 'Bob Reyes already has 1 of 1 chat conversations; the conversation stays where it is.', key: 'reassignFull', params: { agent: 'Bob Reyes', current: 1, capacity: 1, channel: 'chat' } },
    });
    expect(h.hub.context.conversations.conversation(answered)!.assignedAgentId).toBe(ada.id);

    // The supervisor takes it: Ada's queue loses it with the reason, and the console lists it under the supervisor.
    seen = supervisorUpdates(supervisor).length;
    expect(await supervisor.call({ type: 'supervisorTake', conversationId: answered })).toEqual({ reassigned: true });
    await adaSocket.waitForEvent('unassigned', (e) => e.conversationId === answered && e.reason === 'Taken by Sam Lead');
    await supervisor.waitForEvent('assigned', (e) => e.bundle.conversation.id === answered);
    const taken = await nextSupervisorUpdate(supervisor, seen, (s) => s.assigned.some((a) => a.agentId === sam.id), 'the chat under Sam');
    expect(taken.assigned.map((a) => [a.agentId, a.conversations.map((c) => c.conversationId)])).toEqual([
      [bob.id, [unanswered]],
      [sam.id, [answered]],
    ]);

    // Each move names who had it and who has it now.
    expect(audit()).toEqual([
      { supervisor_id: sam.id, action: 'reassign', conversation_id: unanswered, agent_id: bob.id, detail: 'from Ada Park to Bob Reyes' },
      { supervisor_id: sam.id, action: 'take', conversation_id: answered, agent_id: sam.id, detail: 'from Ada Park to Sam Lead' },
    ]);
  });

  it(`lists at most ${MAX_HELD_PER_AGENT} of an agent's conversations, the longest-waiting customers first, with the total`, async () => {
    const h = await startHub({ modules: [] });
    running.push(h);
    const ada = await agentSession(h, { username: 'ada' });
    const sam = await agentSession(h, { username: 'sam', role: 'admin' });
    const adaSocket = await connect(h, ada.token);
    const supervisor = await connect(h, sam.token);
    await adaSocket.call({ type: 'setPresence', presence: 'available', capacity: { chat: 20 } });
    const now = Date.now();
    const ids: number[] = [];
    // The later the thread, the longer its customer has waited.
    for (let i = 0; i < MAX_HELD_PER_AGENT + 2; i++) ids.push(await held(h, adaSocket, `many-${i}`, now - i * 1000));
    const snapshot = await nextSupervisorUpdate(supervisor, 0, (s) => s.assigned.some((a) => a.total === MAX_HELD_PER_AGENT + 2), 'all twelve held');
    const entry = snapshot.assigned.find((a) => a.agentId === ada.id)!;
    expect(entry.conversations.map((c) => c.conversationId)).toEqual([...ids].reverse().slice(0, MAX_HELD_PER_AGENT));
    expect(snapshot.agents.find((a) => a.agentId === ada.id)!.load.chat).toBe(MAX_HELD_PER_AGENT + 2);
  });

  it('does not count an email as unanswered: its replies leave from the desktops and never pass the hub', async () => {
    const h = await startHub({ modules: [], config: { firstResponseSlaSeconds: { email: 60 } } });
    running.push(h);
    const ada = await agentSession(h, { username: 'ada' });
    const sam = await agentSession(h, { username: 'sam', role: 'supervisor' });
    const adaSocket = await connect(h, ada.token);
    const supervisor = await connect(h, sam.token);
    await adaSocket.call({ type: 'setPresence', presence: 'available', capacity: { email: 2 } });
    const { conversationId } = await adaSocket.call({
      type: 'announceEmail',
      messageId: '<held-email-1@example.com>',
      from: 'lena@example.com',
      fromName: 'Lena Brandt',
      subject: 'Invoice question',
      preview: 'The invoice shows the wrong address.',
      receivedAt: Date.now() - 3_600_000,
    });
    const offer = await adaSocket.waitForEvent('offer', (e) => e.conversation.id === conversationId);
    await adaSocket.call({ type: 'acceptOffer', offerId: offer.offerId });
    const snapshot = await nextSupervisorUpdate(supervisor, 0, (s) => s.assigned.some((a) => a.agentId === ada.id), 'the email under Ada');
    expect(snapshot.assigned).toEqual([
      { agentId: ada.id, total: 1, conversations: [{ conversationId, channel: 'email', contact: 'Lena Brandt', since: expect.any(Number), awaitingReplySince: null, sla: 'ok' }] },
    ]);
  });

  it('sends SLA crossings spread over many conversations at most once per coalescing window, the last one complete', async () => {
    const h = await startHub({ modules: [], config: { firstResponseSlaSeconds: { chat: 1 } } });
    running.push(h);
    const sam = await agentSession(h, { username: 'sam', role: 'supervisor' });
    const supervisor = await connect(h, sam.token);
    await nextSupervisorUpdate(supervisor, 0, () => true, 'the first supervisorUpdate');
    // 40 chats 10 ms apart: 80 crossings (at risk at 0.8 s, breached at 1 s) within about 0.6 s.
    for (let i = 0; i < 40; i++) {
      chat(h, `spread-${i}`, Date.now());
      await new Promise((r) => setTimeout(r, 10));
    }
    const start = Date.now();
    const seen = supervisorUpdates(supervisor).length;
    await nextSupervisorUpdate(supervisor, seen, (s) => s.queues.some((q) => q.channel === 'chat' && q.breached === 40), 'all forty breached');
    const elapsed = Math.max(Date.now() - start, 1_000);
    // Roughly one frame per window (and a couple for the arrivals), not one per crossing.
    expect(supervisorUpdates(supervisor).length - seen).toBeLessThanOrEqual(Math.ceil(elapsed / SUPERVISOR_COALESCE_MS) + 3);
  });
});
