// The hub as routing authority, over real agent sockets: offers to available agents, re-offers on
// decline and timeout, the accept race, presence blocking offers, email dedupe across desktops,
// transfer, escalation, resolution with CSAT, and live collision signals.
import { afterEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/hub/services';
import type { HubConversation } from '../../src/shared/hub/agentProtocol';
import { agentSession, startHub, TestAgent, type StartedHub } from '../helpers/hub';

const running: StartedHub[] = [];
const sockets: TestAgent[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) await s.close();
  for (const h of running.splice(0)) await h.close();
});

async function hub(config: Parameters<typeof startHub>[0] = {}): Promise<StartedHub> {
  const h = await startHub({ modules: [], ...config });
  running.push(h);
  return h;
}

/** An agent signed in, connected and available. */
async function desk(h: StartedHub, username: string, extra: Parameters<typeof agentSession>[1] extends infer A ? Partial<A> : never = {}) {
  const session = await agentSession(h, { username, ...extra });
  const socket = await TestAgent.connect(h.url, session.token);
  sockets.push(socket);
  await socket.call({ type: 'setPresence', presence: 'available' });
  return { ...session, socket };
}

let providerSeq = 0;
function chat(h: StartedHub, thread: string, text = 'Hi, my order is late', extra: Partial<InboundMessage> = {}) {
  return h.hub.context.conversations.ingestInbound({
    channel: 'chat',
    providerId: `m-${++providerSeq}`,
    threadKey: thread,
    contact: { address: `visitor-${thread}`, displayName: `Visitor ${thread}` },
    text,
    receivedAt: Date.now(),
    ...extra,
  });
}

function offersOf(h: StartedHub, conversationId: number): { agent_id: number; state: string }[] {
  return h.hub.context.db.prepare('SELECT agent_id, state FROM offers WHERE conversation_id = ? ORDER BY id').all(conversationId) as { agent_id: number; state: string }[];
}

describe('offers', () => {
  it('an inbound chat is offered to the available agent, who accepts and gets the whole conversation and what follows', async () => {
    let clock = 1_800_000_000_000;
    const h = await hub({ now: () => clock, config: { offerTimeoutMs: 60_000 } });
    const ada = await desk(h, 'ada');

    const ingested = chat(h, 't1', 'Where is my parcel?');
    expect(ingested.duplicate).toBe(false);
    // Committed before routing: the row is there the moment ingestInbound returns.
    expect(h.hub.context.conversations.conversation(ingested.conversationId)?.status).toBe('waiting');

    const offer = await ada.socket.waitForEvent('offer');
    expect(offer.conversation).toMatchObject({ id: ingested.conversationId, channel: 'chat', status: 'offered' });
    expect(offer.expiresAt).toBe(clock + 60_000);
    expect(offer.reasons.length).toBeGreaterThan(0);

    clock += 1_000;
    const { bundle } = await ada.socket.call({ type: 'acceptOffer', offerId: offer.offerId });
    expect(bundle.conversation).toMatchObject({ status: 'assigned', assignedAgentId: ada.id });
    expect(bundle.messages.map((m) => m.text)).toEqual(['Where is my parcel?']);
    const assigned = await ada.socket.waitForEvent('assigned');
    expect(assigned.via).toBe('accept');

    // A replay of the same provider message is stored once; a new message reaches the agent.
    expect(h.hub.context.conversations.ingestInbound({ ...inboundOf(h, ingested.messageId), providerId: `m-${providerSeq}` }).duplicate).toBe(true);
    chat(h, 't1', 'Any news?');
    const message = await ada.socket.waitForEvent('message', (e) => e.message.text === 'Any news?');
    expect(message.message).toMatchObject({ conversationId: ingested.conversationId, direction: 'in' });
  });

  it('a declined offer goes to the next agent', async () => {
    const h = await hub({ config: { offerTimeoutMs: 60_000 } });
    const ada = await desk(h, 'ada');
    const bob = await desk(h, 'bob');
    const first = chat(h, 'decline-me');
    const offered = await Promise.race([ada, bob].map((d) => d.socket.waitForEvent('offer', (e) => e.conversation.id === first.conversationId).then(() => d)));
    const other = offered === ada ? bob : ada;
    const offer = await offered.socket.waitForEvent('offer', (e) => e.conversation.id === first.conversationId);
    expect((await offered.socket.call({ type: 'declineOffer', offerId: offer.offerId })).declined).toBe(true);
    await offered.socket.waitForEvent('offerWithdrawn', (e) => e.offerId === offer.offerId && e.reason === 'declined');
    const next = await other.socket.waitForEvent('offer', (e) => e.conversation.id === first.conversationId);
    await other.socket.call({ type: 'acceptOffer', offerId: next.offerId });
    expect(offersOf(h, first.conversationId)).toEqual([
      { agent_id: offered.id, state: 'declined' },
      { agent_id: other.id, state: 'accepted' },
    ]);
  });

  it('an offer left to lapse is withdrawn and offered to the next agent', async () => {
    const h = await hub({ config: { offerTimeoutMs: 500 } });
    const ada = await desk(h, 'ada');
    const bob = await desk(h, 'bob');
    const second = chat(h, 'let-it-lapse');
    const lapsing = await Promise.race([ada, bob].map((d) => d.socket.waitForEvent('offer', (e) => e.conversation.id === second.conversationId).then(() => d)));
    const lapsed = await lapsing.socket.waitForEvent('offer', (e) => e.conversation.id === second.conversationId);
    await lapsing.socket.waitForEvent('offerWithdrawn', (e) => e.offerId === lapsed.offerId && e.reason === 'expired');
    const taker = lapsing === ada ? bob : ada;
    await taker.socket.waitForEvent('offer', (e) => e.conversation.id === second.conversationId);
    expect(offersOf(h, second.conversationId)[0]).toEqual({ agent_id: lapsing.id, state: 'expired' });
    expect(offersOf(h, second.conversationId)[1]?.agent_id).toBe(taker.id);
  });

  it('when every agent has passed, the conversation waits and is offered again in a new round; a waiting chat goes to an agent who becomes available', async () => {
    const h = await hub({ config: { offerTimeoutMs: 2_000 } });
    const ada = await desk(h, 'ada');
    const c = chat(h, 'again');
    const firstOffer = await ada.socket.waitForEvent('offer', (e) => e.conversation.id === c.conversationId);
    await ada.socket.call({ type: 'declineOffer', offerId: firstOffer.offerId });
    const secondOffer = await ada.socket.waitForEvent('offer', (e) => e.conversation.id === c.conversationId && e.offerId !== firstOffer.offerId, 15_000);
    const [declined, again] = h.hub.context.db
      .prepare('SELECT round, state FROM offers WHERE conversation_id = ? ORDER BY id')
      .all(c.conversationId) as { round: number; state: string }[];
    expect(declined!.state).toBe('declined');
    expect(again!.round).toBe(declined!.round + 1);
    await ada.socket.call({ type: 'acceptOffer', offerId: secondOffer.offerId });
    await ada.socket.call({ type: 'setPresence', presence: 'away' });

    const queued = chat(h, 'nobody-free-yet', 'hello?', { channel: 'sms', threadKey: '+15550100', contact: { address: '+15550100' } });
    const late = await agentSession(h, { username: 'late', channels: { sms: { proficiency: 4, capacity: 2 } } });
    const lateSocket = await TestAgent.connect(h.url, late.token);
    sockets.push(lateSocket);
    expect(h.hub.context.conversations.conversation(queued.conversationId)?.status).toBe('waiting');
    await lateSocket.call({ type: 'setPresence', presence: 'available' });
    await lateSocket.waitForEvent('offer', (e) => e.conversation.id === queued.conversationId);
  });

  it('two agents race to accept the same conversation and exactly one wins; the other is told it was taken', async () => {
    const h = await hub({ config: { offerTimeoutMs: 500 } });
    const ada = await desk(h, 'ada');
    const bob = await desk(h, 'bob');
    const c = chat(h, 'race');
    // Whoever is offered first lets it lapse; the other is offered it; both then accept at once.
    const firstDesk = await Promise.race([ada, bob].map((d) => d.socket.waitForEvent('offer', (e) => e.conversation.id === c.conversationId).then(() => d)));
    const secondDesk = firstDesk === ada ? bob : ada;
    const lapsed = await firstDesk.socket.waitForEvent('offer', (e) => e.conversation.id === c.conversationId);
    await firstDesk.socket.waitForEvent('offerWithdrawn', (e) => e.offerId === lapsed.offerId && e.reason === 'expired');
    const current = await secondDesk.socket.waitForEvent('offer', (e) => e.conversation.id === c.conversationId);

    const [a, b] = await Promise.all([
      firstDesk.socket.request({ type: 'acceptOffer', offerId: lapsed.offerId }),
      secondDesk.socket.request({ type: 'acceptOffer', offerId: current.offerId }),
    ]);
    const results = [
      { desk: firstDesk, r: a },
      { desk: secondDesk, r: b },
    ];
    const winners = results.filter((x) => x.r.ok);
    const losers = results.filter((x) => !x.r.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const loser = losers[0]!;
    expect(!loser.r.ok && loser.r.error.code).toBe('offer/taken');
    await loser.desk.socket.waitForEvent('offerWithdrawn', (e) => e.conversationId === c.conversationId && e.reason === 'taken');
    expect(h.hub.context.conversations.conversation(c.conversationId)).toMatchObject({ status: 'assigned', assignedAgentId: winners[0]!.desk.id });
    expect(offersOf(h, c.conversationId).filter((o) => o.state === 'accepted')).toHaveLength(1);
  });

  it('an agent on a call is not offered chats, and an open offer is withdrawn when they pick up a call', async () => {
    const h = await hub({ config: { offerTimeoutMs: 60_000 } });
    const ada = await desk(h, 'ada', { skills: { other: 5 } });
    const c = chat(h, 'call-me');
    const offer = await ada.socket.waitForEvent('offer', (e) => e.conversation.id === c.conversationId);
    const bob = await desk(h, 'bob');
    await ada.socket.call({ type: 'setPresence', presence: 'on_call' });
    await ada.socket.waitForEvent('offerWithdrawn', (e) => e.offerId === offer.offerId && e.reason === 'cancelled');
    await bob.socket.waitForEvent('offer', (e) => e.conversation.id === c.conversationId);

    const d = chat(h, 'call-me-too');
    await bob.socket.waitForEvent('offer', (e) => e.conversation.id === d.conversationId);
    expect(ada.socket.events.some((e) => e.event.type === 'offer' && e.event.conversation.id === d.conversationId)).toBe(false);
  });
});

describe('email announced by desktops', () => {
  it('the same email announced by two desktops becomes one conversation, offered to exactly one agent once', async () => {
    const h = await hub({ config: { offerTimeoutMs: 60_000 } });
    const ada = await desk(h, 'ada');
    const bob = await desk(h, 'bob');
    const mail = {
      type: 'announceEmail' as const,
      messageId: '<order-42@customer.example>',
      from: 'Pat@Customer.example',
      fromName: 'Pat',
      subject: 'Refund for order 42',
      preview: 'I would like a refund',
      receivedAt: Date.now(),
    };
    const [a, b] = await Promise.all([ada.socket.call(mail), bob.socket.call(mail)]);
    expect(a.conversationId).toBe(b.conversationId);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);

    await Promise.race([ada, bob].map((d) => d.socket.waitForEvent('offer', (e) => e.conversation.id === a.conversationId)));
    // A round trip on both sockets after the offer: anything else the hub sent would have arrived.
    await Promise.all([ada.socket.call({ type: 'ping' }), bob.socket.call({ type: 'ping' })]);
    const offers = [ada, bob].flatMap((d) => d.socket.events.filter((e) => e.event.type === 'offer' && e.event.conversation.id === a.conversationId));
    expect(offers).toHaveLength(1);
    expect(offersOf(h, a.conversationId)).toHaveLength(1);

    const later = await ada.socket.call(mail);
    expect(later).toEqual({ conversationId: a.conversationId, duplicate: true });
    const conv = h.hub.context.conversations.conversation(a.conversationId) as HubConversation;
    expect(conv).toMatchObject({ channel: 'email', emailMessageId: mail.messageId, subject: 'Refund for order 42' });
    expect(conv.contact.address).toBe('pat@customer.example');
  });
});

describe('handing over', () => {
  it('a transfer to an agent brings the bundle and the handoff note; a transfer to a queue is offered to someone else', async () => {
    const h = await hub({ config: { offerTimeoutMs: 60_000 } });
    const ada = await desk(h, 'ada');
    const c = chat(h, 'handover', 'My card was charged twice');
    const offer = await ada.socket.waitForEvent('offer', (e) => e.conversation.id === c.conversationId);
    await ada.socket.call({ type: 'acceptOffer', offerId: offer.offerId });
    const bob = await desk(h, 'bob');

    await ada.socket.call({ type: 'transfer', conversationId: c.conversationId, to: { agentId: bob.id }, note: 'Refund already requested' });
    const inBob = await bob.socket.waitForEvent('assigned', (e) => e.bundle.conversation.id === c.conversationId);
    expect(inBob.via).toBe('transfer');
    expect(inBob.bundle.handoffNote).toBe('Refund already requested');
    expect(inBob.bundle.messages.map((m) => m.text)).toEqual(['My card was charged twice']);
    await ada.socket.waitForEvent('unassigned', (e) => e.conversationId === c.conversationId);
    // Ada no longer holds it.
    const refused = await ada.socket.request({ type: 'send', idempotencyKey: 'ada-after-transfer-1', conversationId: c.conversationId, text: 'hi' });
    expect(!refused.ok && refused.error.code).toBe('conversation/not-yours');

    await bob.socket.call({ type: 'transfer', conversationId: c.conversationId, to: { queue: 'chat' } });
    await bob.socket.waitForEvent('unassigned', (e) => e.conversationId === c.conversationId);
    const back = await ada.socket.waitForEvent('offer', (e) => e.conversation.id === c.conversationId && e.offerId !== offer.offerId);
    const { bundle } = await ada.socket.call({ type: 'acceptOffer', offerId: back.offerId });
    expect(bundle.handoffNote).toBe('Refund already requested');
  });

  it('an escalation hands the whole context and the reason to a senior agent', async () => {
    const h = await hub({ config: { offerTimeoutMs: 60_000 } });
    const ada = await desk(h, 'ada', { seniority: 'junior' });
    const c = chat(h, 'escalate', 'I want to cancel my enterprise contract');
    const offer = await ada.socket.waitForEvent('offer', (e) => e.conversation.id === c.conversationId);
    await ada.socket.call({ type: 'acceptOffer', offerId: offer.offerId });
    await ada.socket.call({ type: 'send', idempotencyKey: 'ada-reply-escalate-1', conversationId: c.conversationId, text: 'Let me get someone senior.' });
    await ada.socket.call({ type: 'send', idempotencyKey: 'ada-note-escalate-1', conversationId: c.conversationId, text: 'Angry, 3rd contact', internal: true });
    const sue = await desk(h, 'sue', { seniority: 'senior' });

    const result = await ada.socket.call({ type: 'escalate', conversationId: c.conversationId, reason: 'Contract cancellation needs a senior' });
    expect(result.escalatedTo).toBe(sue.id);
    const got = await sue.socket.waitForEvent('assigned', (e) => e.bundle.conversation.id === c.conversationId);
    expect(got.via).toBe('escalation');
    expect(got.bundle.escalationReason).toBe('Contract cancellation needs a senior');
    expect(got.bundle.messages.map((m) => [m.direction, m.text])).toEqual([
      ['in', 'I want to cancel my enterprise contract'],
      ['out', 'Let me get someone senior.'],
      ['internal', 'Angry, 3rd contact'],
    ]);
    await ada.socket.waitForEvent('unassigned', (e) => e.conversationId === c.conversationId);
  });

  it('resolving tells the channel modules (the widget then asks for a rating) and the rating reaches the agent', async () => {
    const h = await hub({ config: { offerTimeoutMs: 60_000 } });
    const resolved: number[] = [];
    h.hub.context.conversations.observe({ resolved: (conv) => resolved.push(conv.id) });
    const ada = await desk(h, 'ada');
    const c = chat(h, 'resolve-me');
    const offer = await ada.socket.waitForEvent('offer', (e) => e.conversation.id === c.conversationId);
    await ada.socket.call({ type: 'acceptOffer', offerId: offer.offerId });
    expect(await ada.socket.call({ type: 'resolve', conversationId: c.conversationId })).toEqual({ resolved: true });
    expect(resolved).toEqual([c.conversationId]);
    await ada.socket.waitForEvent('resolved', (e) => e.conversationId === c.conversationId);

    h.hub.context.conversations.recordCsat(c.conversationId, 5, 'Quick and kind');
    const csat = await ada.socket.waitForEvent('csat');
    expect(csat).toMatchObject({ conversationId: c.conversationId, rating: 5, comment: 'Quick and kind' });
    expect(() => h.hub.context.conversations.recordCsat(c.conversationId, 9, null)).toThrow(expect.objectContaining({ code: 'csat/invalid' }));
  });
});

describe('collision', () => {
  it('agents viewing the same conversation see who else is there, typing or holding a draft; nothing of it is stored', async () => {
    const h = await hub({ config: { offerTimeoutMs: 60_000 } });
    const typing: boolean[] = [];
    h.hub.context.conversations.observe({ agentTyping: (_id, _name, t) => typing.push(t) });
    const ada = await desk(h, 'ada');
    const c = chat(h, 'collide');
    const offer = await ada.socket.waitForEvent('offer', (e) => e.conversation.id === c.conversationId);
    await ada.socket.call({ type: 'acceptOffer', offerId: offer.offerId });
    const sam = await desk(h, 'sam', { role: 'supervisor' });

    await ada.socket.call({ type: 'viewing', conversationId: c.conversationId });
    await sam.socket.call({ type: 'viewing', conversationId: c.conversationId });
    await ada.socket.until(() => ada.socket.collisions.some((u) => u.viewers.length === 2), 10_000, 'both viewers');

    await ada.socket.call({ type: 'typing', conversationId: c.conversationId, typing: true, drafting: true });
    await sam.socket.until(
      () => sam.socket.collisions.some((u) => u.viewers.some((v) => v.agentId === ada.id && v.typing && v.drafting)),
      10_000,
      'ada drafting',
    );
    expect(typing).toEqual([true]);

    await ada.socket.close();
    await sam.socket.until(() => sam.socket.collisions.at(-1)?.viewers.map((v) => v.agentId).join() === String(sam.id), 10_000, 'ada gone');
    const stored = h.hub.context.db.prepare("SELECT COUNT(*) AS n FROM agent_events WHERE payload LIKE '%collision%'").get() as { n: number };
    expect(stored.n).toBe(0);
  });
});

function inboundOf(h: StartedHub, messageId: number): InboundMessage {
  const row = h.hub.context.db
    .prepare('SELECT m.channel, m.provider_id, v.thread_key, c.address, m.text, m.created_at FROM messages m JOIN conversations v ON v.id = m.conversation_id JOIN contacts c ON c.id = v.contact_id WHERE m.id = ?')
    .get(messageId) as { channel: 'chat'; provider_id: string; thread_key: string; address: string; text: string; created_at: number };
  return { channel: row.channel, providerId: row.provider_id, threadKey: row.thread_key, contact: { address: row.address }, text: row.text, receivedAt: row.created_at };
}
