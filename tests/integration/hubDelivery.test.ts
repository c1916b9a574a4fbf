// Outgoing delivery and durability over real sockets and real SQLite files: a retried send is stored
// and delivered once, transient failures retry with backoff, deliveries survive a restart, and an
// agent that reconnects gets every event it missed once, in order.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelSender, DeliveryOutcome, OutboundMessage } from '../../src/hub/services';
import { say } from '../../src/shared/serverErrors';
import { readStoredText } from '../../src/shared/storedSentence';
import { agentSession, startHub, TestAgent, type StartedHub } from '../helpers/hub';
import { tempDir } from '../helpers/tempDir';

const running: StartedHub[] = [];
const sockets: TestAgent[] = [];
const dirs: { remove(): void }[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) await s.close();
  for (const h of running.splice(0)) await h.close();
  for (const d of dirs.splice(0)) d.remove();
});

async function hub(options: Parameters<typeof startHub>[0] = {}): Promise<StartedHub> {
  const h = await startHub({ modules: [], ...options, config: { offerTimeoutMs: 60_000, delivery: { baseMs: 50, maxMs: 200, maxAttempts: 5 }, ...options.config } });
  running.push(h);
  return h;
}

/** A channel module's sender as tests need it: records every call and answers from a script. */
function recordingSender(channels: ChannelSender['channels'], answers: (DeliveryOutcome | Error)[] = []): ChannelSender & { calls: OutboundMessage[] } {
  const calls: OutboundMessage[] = [];
  return {
    channels,
    calls,
    async deliver(out) {
      calls.push(out);
      const answer = answers.shift() ?? { status: 'delivered', providerId: `SM${out.message.id}` };
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

async function connect(h: StartedHub, token: string, resumeAfter = 0): Promise<TestAgent> {
  const socket = await TestAgent.connect(h.url, token, resumeAfter);
  sockets.push(socket);
  return socket;
}

/** An agent holding one SMS conversation. */
async function holding(h: StartedHub, username = 'ada') {
  const session = await agentSession(h, { username });
  const socket = await connect(h, session.token);
  await socket.call({ type: 'setPresence', presence: 'available' });
  const inbound = h.hub.context.conversations.ingestInbound({
    channel: 'sms',
    providerId: `SMin-${username}`,
    threadKey: '+15550123',
    contact: { address: '+15550123' },
    text: 'Is my order shipped?',
    receivedAt: Date.now(),
  });
  const offer = await socket.waitForEvent('offer', (e) => e.conversation.id === inbound.conversationId);
  await socket.call({ type: 'acceptOffer', offerId: offer.offerId });
  return { ...session, socket, conversationId: inbound.conversationId };
}

describe('sending', () => {
  it('a send retried with the same idempotency key is stored and delivered once', async () => {
    const h = await hub();
    const sender = recordingSender(['sms']);
    h.hub.context.conversations.registerSender(sender);
    const ada = await holding(h);
    const send = { type: 'send' as const, idempotencyKey: 'desk-1:reply-0001', conversationId: ada.conversationId, text: 'Yes, it left today.' };

    const [first, concurrent] = await Promise.all([ada.socket.call(send), ada.socket.call(send)]);
    const retried = await ada.socket.call(send);
    expect(first.duplicate).toBe(false);
    expect(concurrent).toEqual({ message: expect.objectContaining({ id: first.message.id }), duplicate: true });
    expect(retried.duplicate).toBe(true);
    expect(retried.message.id).toBe(first.message.id);

    const delivered = await ada.socket.waitForEvent('delivery', (e) => e.messageId === first.message.id && e.status === 'delivered');
    expect(delivered.idempotencyKey).toBe('desk-1:reply-0001');
    // One more round trip: a second delivery would have been attempted by now.
    await ada.socket.call({ type: 'ping' });
    expect(sender.calls).toHaveLength(1);
    expect(sender.calls[0]!.message.text).toBe('Yes, it left today.');
    expect(sender.calls[0]!.conversation.contact.address).toBe('+15550123');
    const rows = h.hub.context.db.prepare("SELECT COUNT(*) AS n FROM messages WHERE idempotency_key = 'desk-1:reply-0001'").get() as { n: number };
    expect(rows.n).toBe(1);

    const reused = await ada.socket.request({ ...send, conversationId: ada.conversationId + 1000 });
    expect(!reused.ok && reused.error.code).toBe('send/key-reused');

    // The provider's status callback finds the message by the id the sender returned.
    expect(h.hub.context.conversations.updateDeliveryByProviderId('sms', `SM${first.message.id}`, 'read')).toBe(true);
    await ada.socket.waitForEvent('delivery', (e) => e.messageId === first.message.id && e.status === 'read');
    expect(h.hub.context.conversations.updateDeliveryByProviderId('sms', 'SM-unknown', 'read')).toBe(false);
  });

  it('transient failures are retried with backoff until delivered, and replies of a conversation keep their order', async () => {
    const h = await hub();
    const sender = recordingSender(['sms'], [new Error('socket hang up'), { status: 'failed', retry: true, detail: 'Twilio answered 503' }]);
    h.hub.context.conversations.registerSender(sender);
    const ada = await holding(h);
    const one = await ada.socket.call({ type: 'send', idempotencyKey: 'order-0001', conversationId: ada.conversationId, text: 'one' });
    const two = await ada.socket.call({ type: 'send', idempotencyKey: 'order-0002', conversationId: ada.conversationId, text: 'two' });

    await ada.socket.waitForEvent('delivery', (e) => e.messageId === two.message.id && e.status === 'delivered');
    expect(sender.calls.map((c) => c.message.text)).toEqual(['one', 'one', 'one', 'two']);
    const retrying = ada.socket.events.filter((e) => e.event.type === 'delivery' && e.event.messageId === one.message.id).map((e) => e.event);
    expect(retrying.map((e) => (e.type === 'delivery' ? e.status : ''))).toEqual(['stored', 'stored', 'delivered']);
    // A sender that throws is said with its catalog key (the workspace translates it), the error as a raw param.
    expect(retrying[0]).toMatchObject({ detail: 'The SMS sender failed: socket hang up', detailText: { key: 'deliverySenderFailed', params: { channel: 'sms', error: 'socket hang up' } } });
    const row = h.hub.context.db.prepare('SELECT attempts, next_attempt_at, delivery FROM messages WHERE id = ?').get(one.message.id);
    expect(row).toEqual({ attempts: 3, next_attempt_at: null, delivery: 'delivered' });
  });

  it('a permanent failure is reported with its reason and not retried', async () => {
    const h = await hub();
    const sender = recordingSender(['sms'], [{ status: 'failed', detail: 'The number opted out (STOP).' }]);
    h.hub.context.conversations.registerSender(sender);
    const ada = await holding(h);
    const sent = await ada.socket.call({ type: 'send', idempotencyKey: 'stop-0001', conversationId: ada.conversationId, text: 'hello' });
    const failed = await ada.socket.waitForEvent('delivery', (e) => e.messageId === sent.message.id && e.status === 'failed');
    expect(failed.detail).toBe('The number opted out (STOP).');
    await ada.socket.call({ type: 'ping' });
    expect(sender.calls).toHaveLength(1);
  });

  it('a delivery given up on after its attempts keeps the keyed reason inside the gave-up sentence, in the row and the agent event', async () => {
    const h = await hub();
    const refused = say('smsRefused', { reason: 'Service unavailable' });
    const sender = recordingSender(['sms'], Array.from({ length: 5 }, () => ({ status: 'failed' as const, retry: true, detail: refused })));
    h.hub.context.conversations.registerSender(sender);
    const ada = await holding(h);
    const sent = await ada.socket.call({ type: 'send', idempotencyKey: 'gaveup-0001', conversationId: ada.conversationId, text: 'hello' });
    const failed = await ada.socket.waitForEvent('delivery', (e) => e.messageId === sent.message.id && e.status === 'failed');
    expect(sender.calls).toHaveLength(5);
    const gaveUp = {
      key: 'deliveryGaveUp',
      params: { reason: 'Twilio refused the SMS: Service unavailable.', attempts: 5 },
      nested: { reason: { key: 'smsRefused', params: { reason: 'Service unavailable' } } },
    };
    // The English sentence as before, and its key with the provider's keyed reason nested in it.
    expect(failed.detail).toBe('Twilio refused the SMS: Service unavailable. (gave up after 5 attempts)');
    expect(failed.detailText).toEqual(gaveUp);
    const row = h.hub.context.db.prepare('SELECT delivery_detail FROM messages WHERE id = ?').get(sent.message.id) as { delivery_detail: string };
    expect(readStoredText(row.delivery_detail)).toEqual({ message: failed.detail, text: gaveUp });
    // The message as the hub answers a send of the same key again (what the desktop's outbox reads) carries the key too.
    const again = await ada.socket.call({ type: 'send', idempotencyKey: 'gaveup-0001', conversationId: ada.conversationId, text: 'hello' });
    expect(again).toMatchObject({ duplicate: true, message: { delivery: 'failed', deliveryDetail: failed.detail, deliveryDetailText: gaveUp } });
  });

  it('a delivery given up on without a reason says so with keys', async () => {
    const h = await hub({ config: { delivery: { baseMs: 10, maxMs: 10, maxAttempts: 2 } } });
    const sender = recordingSender(['sms'], [{ status: 'failed', retry: true }, { status: 'failed', retry: true }]);
    h.hub.context.conversations.registerSender(sender);
    const ada = await holding(h);
    const sent = await ada.socket.call({ type: 'send', idempotencyKey: 'gaveup-0002', conversationId: ada.conversationId, text: 'hello' });
    const failed = await ada.socket.waitForEvent('delivery', (e) => e.messageId === sent.message.id && e.status === 'failed');
    expect(failed.detail).toBe('Delivery failed (gave up after 2 attempts)');
    expect(failed.detailText).toEqual({ key: 'deliveryGaveUp', params: { reason: 'Delivery failed', attempts: 2 }, nested: { reason: { key: 'deliveryFailedNoReason', params: {} } } });
  });

  it('internal notes and email replies are stored but never handed to a channel sender; the customer side never sees notes', async () => {
    const h = await hub();
    const sender = recordingSender(['sms', 'email']);
    h.hub.context.conversations.registerSender(sender);
    const ada = await holding(h);
    await ada.socket.call({ type: 'send', idempotencyKey: 'note-0001', conversationId: ada.conversationId, text: 'VIP, be nice', internal: true });
    const reply = await ada.socket.call({ type: 'send', idempotencyKey: 'reply-0001', conversationId: ada.conversationId, text: 'On its way' });
    await ada.socket.waitForEvent('delivery', (e) => e.messageId === reply.message.id && e.status === 'delivered');
    expect(sender.calls.map((c) => c.message.text)).toEqual(['On its way']);
    expect(h.hub.context.conversations.messagesAfter(ada.conversationId, 0).map((m) => m.text)).toEqual(['Is my order shipped?', 'On its way']);

    const mail = await ada.socket.call({
      type: 'announceEmail',
      messageId: '<m1@customer.example>',
      from: 'pat@customer.example',
      fromName: null,
      subject: 'Invoice',
      preview: 'Where is my invoice?',
      receivedAt: Date.now(),
    });
    const offer = await ada.socket.waitForEvent('offer', (e) => e.conversation.id === mail.conversationId);
    await ada.socket.call({ type: 'acceptOffer', offerId: offer.offerId });
    const emailReply = await ada.socket.call({ type: 'send', idempotencyKey: 'email-reply-0001', conversationId: mail.conversationId, text: 'Attached.' });
    expect(emailReply.message.delivery).toBe('stored');
    await ada.socket.call({ type: 'ping' });
    expect(sender.calls.map((c) => c.message.text)).toEqual(['On its way']);
    const row = h.hub.context.db.prepare('SELECT next_attempt_at FROM messages WHERE id = ?').get(emailReply.message.id) as { next_attempt_at: number | null };
    expect(row.next_attempt_at).toBeNull();
  });
});

describe('durability', () => {
  it('an inbound message and a pending delivery survive closing and reopening the hub; the delivery then happens once', async () => {
    const dir = tempDir('omni-hub-restart-');
    dirs.push(dir);
    const first = await hub({ dataDir: dir.dir });
    // No SMS sender yet: the reply stays pending in the database.
    const ada = await holding(first);
    const reply = await ada.socket.call({ type: 'send', idempotencyKey: 'restart-0001', conversationId: ada.conversationId, text: 'Sorry for the wait' });
    const inbound = first.hub.context.conversations.ingestInbound({
      channel: 'sms',
      providerId: 'SM-after-reply',
      threadKey: '+15550123',
      contact: { address: '+15550123' },
      text: 'Thanks!',
      receivedAt: Date.now(),
    });
    await ada.socket.waitForEvent('message', (e) => e.message.id === inbound.messageId);
    const seenBefore = ada.socket.lastSeq;
    await ada.socket.close();
    await first.hub.close();
    running.splice(running.indexOf(first), 1);

    const second = await hub({ dataDir: dir.dir });
    const sender = recordingSender(['sms']);
    second.hub.context.conversations.registerSender(sender);
    const messages = second.hub.context.conversations.messagesAfter(ada.conversationId, 0).map((m) => [m.text, m.delivery]);
    expect(messages).toEqual([
      ['Is my order shipped?', null],
      ['Sorry for the wait', expect.stringMatching(/stored|sent|delivered/)],
      ['Thanks!', null],
    ]);
    // The same replay is still refused after the restart.
    expect(second.hub.context.conversations.ingestInbound({ channel: 'sms', providerId: 'SM-after-reply', threadKey: '+15550123', contact: { address: '+15550123' }, text: 'Thanks!', receivedAt: Date.now() }).duplicate).toBe(true);

    const again = await connect(second, ada.token, seenBefore);
    const delivered = await again.waitForEvent('delivery', (e) => e.messageId === reply.message.id && e.status === 'delivered');
    expect(delivered.seq).toBe(seenBefore + 1);
    await again.call({ type: 'ping' });
    expect(sender.calls.map((c) => c.message.id)).toEqual([reply.message.id]);
  });

  it('an agent that reconnects gets what happened while it was away once, in order, then live events', async () => {
    const h = await hub();
    const ada = await holding(h);
    await ada.socket.call({ type: 'ping' });
    const before = ada.socket.events.map((e) => e.seq);
    expect(before).toEqual(before.map((_, i) => i + 1));
    const resumeAfter = ada.socket.lastSeq;
    await ada.socket.drop();

    for (const text of ['first while away', 'second while away', 'third while away']) {
      h.hub.context.conversations.ingestInbound({ channel: 'sms', providerId: `SM-${text}`, threadKey: '+15550123', contact: { address: '+15550123' }, text, receivedAt: Date.now() });
    }
    const back = await connect(h, ada.token, resumeAfter);
    const replayed = back.events.map((e) => ({ seq: e.seq, text: e.event.type === 'message' ? e.event.message.text : e.event.type }));
    expect(replayed).toEqual([
      { seq: resumeAfter + 1, text: 'first while away' },
      { seq: resumeAfter + 2, text: 'second while away' },
      { seq: resumeAfter + 3, text: 'third while away' },
    ]);
    expect(back.frames.findIndex((f) => f.t === 'caughtUp')).toBe(back.frames.length - 1);

    h.hub.context.conversations.ingestInbound({ channel: 'sms', providerId: 'SM-live', threadKey: '+15550123', contact: { address: '+15550123' }, text: 'live again', receivedAt: Date.now() });
    const live = await back.waitForEvent('message', (e) => e.message.text === 'live again');
    expect(live.seq).toBe(resumeAfter + 4);

    // A desktop that lost its cache starts from 0 and gets the whole stream, numbered the same.
    const fresh = await connect(h, ada.token, 0);
    expect(fresh.events.map((e) => e.seq)).toEqual(Array.from({ length: resumeAfter + 4 }, (_, i) => i + 1));
    expect(new Set(back.events.map((e) => e.seq)).size).toBe(back.events.length);
  });
});
