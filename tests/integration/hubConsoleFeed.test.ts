// What the live console needs from the supervisor feed, over real sockets with a real SQLite hub:
// the longest-waiting conversations with their SLA state (to take or give away), and channel
// outages: a provider failing deliveries in a row marks its channel down (with its backup channel),
// the next delivery that goes through clears it.
import { afterEach, describe, expect, it } from 'vitest';
import { OUTAGE_AFTER_FAILURES } from '../../src/hub/core/channelHealth';
import { say } from '../../src/shared/serverErrors';
import { agentSession, hubTestKit, nextSupervisorUpdate, startHub, supervisorUpdates } from '../helpers/hub';

const kit = hubTestKit();
const { running, connect } = kit;
afterEach(kit.cleanUp);

const updates = supervisorUpdates;

const nextUpdate = nextSupervisorUpdate;

describe('the live console feed', () => {
  it('lists waiting conversations oldest first with who wrote and their SLA state', async () => {
    const T = 1_800_000_000_000;
    let clock = T;
    const h = await startHub({ modules: [], now: () => clock, config: { firstResponseSlaSeconds: { chat: 10, sms: 100 } } });
    running.push(h);
    const sam = await agentSession(h, { username: 'sam', role: 'supervisor' });
    const supervisor = await connect(h, sam.token);
    await nextUpdate(supervisor, 0, () => true, 'the first update');
    const ingest = (channel: 'chat' | 'sms', id: string, name: string | null, at: number) =>
      h.hub.context.conversations.ingestInbound({
        channel,
        providerId: id,
        threadKey: id,
        contact: { address: channel === 'sms' ? '+15550100' + id.length : `visitor-${id}`, ...(name ? { displayName: name } : {}) },
        text: 'Hello?',
        receivedAt: at,
      });
    const old = ingest('chat', 'w1', 'Grace Hopper', T);
    clock = T + 9_000;
    const newer = ingest('sms', 'w22', null, T + 9_000);
    const seen = updates(supervisor).length;
    const both = await nextUpdate(supervisor, seen, (s) => s.waiting.length === 2, 'two waiting');
    expect(both.at).toBe(T + 9_000);
    // The chat is at 90% of its 10 s SLA: at risk; the SMS just arrived.
    expect(both.waiting).toEqual([
      { conversationId: old.conversationId, channel: 'chat', contact: 'Grace Hopper', subject: 'Hello?', waitingSince: T, sla: 'atRisk' },
      { conversationId: newer.conversationId, channel: 'sms', contact: '+155501003', subject: 'Hello?', waitingSince: T + 9_000, sla: 'ok' },
    ]);
    clock = T + 11_000;
    const breached = await nextUpdate(supervisor, seen, (s) => s.waiting.some((w) => w.sla === 'breached'), 'the chat breached');
    expect(breached.waiting.map((w) => [w.conversationId, w.sla])).toEqual([
      [old.conversationId, 'breached'],
      [newer.conversationId, 'ok'],
    ]);
    // Taken: it leaves the list.
    await supervisor.call({ type: 'supervisorTake', conversationId: old.conversationId });
    const after = await nextUpdate(supervisor, seen, (s) => s.waiting.length === 1, 'one left waiting');
    expect(after.waiting[0]!.conversationId).toBe(newer.conversationId);
  });

  it('marks a channel down after failed deliveries in a row, names its backup (and the keyed reason), and clears it on the next success', async () => {
    const h = await startHub({ modules: [], config: { delivery: { baseMs: 20, maxMs: 40, maxAttempts: 20 } } });
    running.push(h);
    let providerUp = false;
    const attempts: string[] = [];
    h.hub.context.conversations.registerSender({
      channels: ['sms'],
      deliver: ({ message }) => {
        attempts.push(message.text);
        return Promise.resolve(providerUp ? { status: 'delivered' as const } : { status: 'failed' as const, retry: true, detail: say('smsUnreachable', { error: 'connect ECONNREFUSED' }) });
      },
    });
    const ada = await agentSession(h, { username: 'ada' });
    const sam = await agentSession(h, { username: 'sam', role: 'supervisor' });
    const agent = await connect(h, ada.token);
    const supervisor = await connect(h, sam.token);
    await agent.call({ type: 'setPresence', presence: 'available', capacity: { sms: 2 } });
    const conv = h.hub.context.conversations.ingestInbound({ channel: 'sms', providerId: 'SM1', threadKey: '+15550111', contact: { address: '+15550111' }, text: 'Order?', receivedAt: Date.now() });
    const offer = await agent.waitForEvent('offer', (e) => e.conversation.id === conv.conversationId);
    await agent.call({ type: 'acceptOffer', offerId: offer.offerId });
    const seen = updates(supervisor).length;
    const before = Date.now();
    await agent.call({ type: 'send', idempotencyKey: 'outage-reply-1', conversationId: conv.conversationId, text: 'It ships today.' });

    const down = await nextUpdate(supervisor, seen, (s) => s.outages.length > 0, 'SMS marked down');
    expect(attempts.length).toBeGreaterThanOrEqual(OUTAGE_AFTER_FAILURES);
    // The provider's sentence in English, and its catalog key: the console shows it in the supervisor's language.
    expect(down.outages).toEqual([
      { channel: 'sms', since: expect.any(Number), detail: 'Twilio could not be reached: connect ECONNREFUSED.', detailText: { key: 'smsUnreachable', params: { error: 'connect ECONNREFUSED' } }, backup: 'email' },
    ]);
    expect(down.outages[0]!.since).toBeGreaterThanOrEqual(before);
    // The reply is not lost: it waits for the next attempt.
    expect(h.hub.context.db.prepare('SELECT delivery FROM messages WHERE idempotency_key = ?').get('outage-reply-1')).toEqual({ delivery: 'stored' });
    // Meanwhile routing knows: a new SMS conversation is settled on the backup channel.
    const second = h.hub.context.conversations.ingestInbound({ channel: 'sms', providerId: 'SM2', threadKey: '+15550112', contact: { address: '+15550112' }, text: 'Hello?', receivedAt: Date.now() });
    const rerouted = await agent.waitForEvent('offer', (e) => e.conversation.id === second.conversationId);
    expect(rerouted.reasons).toContain('outage: sms → email');

    providerUp = true;
    const up = await nextUpdate(supervisor, seen, (s) => s.outages.length === 0 && updates(supervisor).indexOf(s) > updates(supervisor).indexOf(down), 'SMS up again');
    expect(up.outages).toEqual([]);
    expect(h.hub.context.db.prepare('SELECT delivery FROM messages WHERE idempotency_key = ?').get('outage-reply-1')).toEqual({ delivery: 'delivered' });
  });
});
