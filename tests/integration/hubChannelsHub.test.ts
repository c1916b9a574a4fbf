// SMS and social channels through the real hub: provider stand-ins post signed webhooks to the
// hub on loopback, a test agent takes the offer over the agent WebSocket and replies, and the
// reply reaches the stand-in's REST API; delivery states come back as agent events.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelsConfigInput } from '../../src/hub/channels/config';
import { agentSession, startHub, TestAgent, type StartedHub } from '../helpers/hub';
import { startMetaStandin, startTwilioStandin, startXStandin, waitUntil, type MetaStandin, type TwilioStandin, type XStandin } from '../helpers/providerStandins';

const standins = {} as { twilio: TwilioStandin; meta: MetaStandin; x: XStandin };
let started: StartedHub | null = null;
let agent: TestAgent | null = null;
let sequence = 0;

function channelsConfig(overrides: Partial<ChannelsConfigInput> = {}): ChannelsConfigInput {
  const { twilio, meta, x } = standins;
  return {
    twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, fromNumber: '+14155550100', apiBaseUrl: twilio.url },
    meta: { appSecret: meta.appSecret, verifyToken: meta.verifyToken, pageAccessToken: meta.pageAccessToken, graphBaseUrl: meta.url, graphVersion: meta.graphVersion },
    x: { consumerSecret: x.consumerSecret, bearerToken: x.bearerToken, ownUserId: x.ownUserId, apiBaseUrl: x.url },
    autoReply: { sms: { enabled: false }, messenger: { enabled: false }, instagram: { enabled: false }, x: { enabled: false } },
    ...overrides,
  };
}

/** A hub with the product's modules and one available agent connected over /agent. */
async function hubWithAgent(overrides: Partial<ChannelsConfigInput> = {}): Promise<{ hub: StartedHub; agent: TestAgent }> {
  started = await startHub({ config: { channels: channelsConfig(overrides), offerTimeoutMs: 60_000 } });
  const session = await agentSession(started, { username: `ada${(sequence += 1)}` });
  agent = await TestAgent.connect(started.url, session.token);
  await agent.call({ type: 'setPresence', presence: 'available', capacity: { sms: 5, messenger: 5, instagram: 5, x: 5 } });
  return { hub: started, agent };
}

/** Accepts the next offer for a conversation on `channel` and returns its context bundle. */
async function acceptNext(a: TestAgent, channel: string) {
  const offer = await a.waitForEvent('offer', (e) => e.conversation.channel === channel && !a.events.some((r) => r.event.type === 'assigned' && r.event.bundle.conversation.id === e.conversation.id));
  const accepted = await a.call({ type: 'acceptOffer', offerId: offer.offerId });
  return accepted.bundle;
}

const hubUrl = () => started!.url;

beforeAll(async () => {
  standins.twilio = await startTwilioStandin({ hubPublicUrl: hubUrl });
  standins.meta = await startMetaStandin({ hubPublicUrl: hubUrl });
  standins.x = await startXStandin({ hubPublicUrl: hubUrl });
});
afterAll(async () => {
  await Promise.all([standins.twilio.close(), standins.meta.close(), standins.x.close()]);
});
afterEach(async () => {
  await agent?.close();
  await started?.close();
  agent = null;
  started = null;
  for (const s of Object.values(standins)) s.reset();
});

describe('SMS through the hub', () => {
  it('a text is offered to the agent with the E.164 contact; the reply reaches Twilio and the status callback reaches the agent', async () => {
    const { agent: a } = await hubWithAgent();
    const inbound = await standins.twilio.sendSms({ From: '+1 415 555 0123', To: '+14155550100', Body: 'My order never arrived' });
    expect([inbound.status, inbound.text]).toEqual([200, '<?xml version="1.0" encoding="UTF-8"?><Response/>']);
    expect(inbound.contentType).toContain('text/xml');
    const bundle = await acceptNext(a, 'sms');
    expect(bundle.conversation.contact).toMatchObject({ address: '+14155550123', phone: '+14155550123' });
    expect(bundle.messages.map((m) => m.text)).toEqual(['My order never arrived']);

    const sent = await a.call({ type: 'send', idempotencyKey: 'reply-sms-1', conversationId: bundle.conversation.id, text: 'It ships today.' });
    const call = await waitUntil('the SMS at the Twilio stand-in', () => standins.twilio.sent()[0]);
    expect(call.form).toMatchObject({ To: '+14155550123', From: '+14155550100', Body: 'It ships today.', StatusCallback: `${started!.url}/webhooks/twilio/status` });
    await a.waitForEvent('delivery', (e) => e.messageId === sent.message.id && e.status === 'sent');

    const sid = (call.response!.body as { sid: string }).sid;
    expect((await standins.twilio.sendStatus({ MessageSid: sid, MessageStatus: 'delivered', To: '+14155550123' })).status).toBe(200);
    await a.waitForEvent('delivery', (e) => e.messageId === sent.message.id && e.status === 'delivered');
    const forged = await standins.twilio.sendStatus({ MessageSid: sid, MessageStatus: 'failed' }, { signWith: 'guess' });
    expect(forged.status).toBe(403);
  });

  it('a forged signature gets 403 and nothing is stored or offered; a replayed MessageSid is stored once', async () => {
    const { agent: a } = await hubWithAgent();
    const forged = await standins.twilio.sendSms({ From: '+14155550123', To: '+14155550100', Body: 'forged' }, { signWith: 'guess' });
    expect(forged.status).toBe(403);
    const fields = { MessageSid: 'SM0123456789abcdef0123456789abcdef', From: '+14155550123', To: '+14155550100', Body: 'Hello?' };
    expect((await standins.twilio.sendSms(fields)).status).toBe(200);
    expect((await standins.twilio.sendSms(fields)).status).toBe(200);
    const bundle = await acceptNext(a, 'sms');
    expect(bundle.messages.map((m) => m.text)).toEqual(['Hello?']);
    expect(a.events.filter((e) => e.event.type === 'offer')).toHaveLength(1);
  });

  it('after STOP (in any case) the reply fails with the reason; after START it is delivered', async () => {
    const { agent: a } = await hubWithAgent();
    await standins.twilio.sendSms({ From: '+14155550123', To: '+14155550100', Body: 'I need help' });
    const bundle = await acceptNext(a, 'sms');
    await standins.twilio.sendSms({ From: '+14155550123', To: '+14155550100', Body: 'stop' });
    const refused = await a.call({ type: 'send', idempotencyKey: 'after-stop', conversationId: bundle.conversation.id, text: 'Still there?' });
    const failed = await a.waitForEvent('delivery', (e) => e.messageId === refused.message.id && e.status === 'failed');
    expect(failed.detail).toBe('+14155550123 replied STOP; they must text START before we can write again.');
    expect(failed.detailText).toEqual({ key: 'smsOptedOut', params: { address: '+14155550123' } });
    expect(standins.twilio.sent()).toHaveLength(0);

    await standins.twilio.sendSms({ From: '+14155550123', To: '+14155550100', Body: 'START' });
    const ok = await a.call({ type: 'send', idempotencyKey: 'after-start', conversationId: bundle.conversation.id, text: 'Welcome back.' });
    await a.waitForEvent('delivery', (e) => e.messageId === ok.message.id && e.status === 'sent');
    expect(standins.twilio.sent().map((c) => c.form['Body'])).toEqual(['Welcome back.']);
  });
});

describe('social channels through the hub', () => {
  it('a Messenger DM, an Instagram DM and an X DM each reach the agent, and each reply reaches its provider', async () => {
    const { agent: a } = await hubWithAgent();
    await standins.meta.sendDm('messenger', '6783211234', 'The app crashes');
    const messenger = await acceptNext(a, 'messenger');
    await standins.meta.sendDm('instagram', '17841405555', 'Blue one in stock?');
    const instagram = await acceptNext(a, 'instagram');
    await standins.x.sendDm('2244994945', 'Account locked', undefined, 'Lee');
    const x = await acceptNext(a, 'x');
    expect([messenger.conversation.contact.address, instagram.conversation.contact.address, x.conversation.contact.address]).toEqual(['6783211234', '17841405555', '2244994945']);

    await a.call({ type: 'send', idempotencyKey: 'reply-messenger-1', conversationId: messenger.conversation.id, text: 'Which phone?' });
    await a.call({ type: 'send', idempotencyKey: 'reply-instagram-1', conversationId: instagram.conversation.id, text: 'Yes, since Monday.' });
    await a.call({ type: 'send', idempotencyKey: 'reply-x-dm-1', conversationId: x.conversation.id, text: 'Unlocked.' });
    await waitUntil('both Graph sends', () => standins.meta.sent().length === 2);
    const graph = standins.meta.sent().map((c) => c.json as { recipient: { id: string }; message: { text: string } });
    expect(graph.map((g) => [g.recipient.id, g.message.text]).sort()).toEqual([
      ['17841405555', 'Yes, since Monday.'],
      ['6783211234', 'Which phone?'],
    ]);
    const dm = await waitUntil('the X DM send', () => standins.x.sent()[0]);
    expect([dm.path, dm.json]).toEqual(['/2/dm_conversations/with/2244994945/messages', { text: 'Unlocked.' }]);
  });

  it('a public comment becomes a public ticket whose bundle carries the acknowledgment draft', async () => {
    const { agent: a } = await hubWithAgent();
    await standins.meta.notify({
      object: 'page',
      entry: [{ id: standins.meta.pageId, time: 1, changes: [{ field: 'feed', value: { item: 'comment', verb: 'add', comment_id: '123_456', post_id: '123_1', message: 'Nobody answers!', from: { id: '998877', name: 'Dana' } } }] }],
    });
    const bundle = await acceptNext(a, 'messenger');
    expect(bundle.conversation).toMatchObject({ isPublic: true, subject: 'Public comment on Facebook' });
    expect(bundle.suggestedReply).toBe("Sorry to hear that, Dana. We've sent you a private message so we can sort this out.");
    await a.call({ type: 'send', idempotencyKey: 'reply-public-1', conversationId: bundle.conversation.id, text: 'Hi Dana, looking into it.' });
    const call = await waitUntil('the private reply', () => standins.meta.sent()[0]);
    expect(call.json).toMatchObject({ recipient: { comment_id: '123_456' } });
  });
});

describe('filtering and auto-replies through the hub', () => {
  it('a spam burst beyond the rate limit is archived and never offered', async () => {
    const { hub, agent: a } = await hubWithAgent({ filter: { burst: 2, perMinute: 1 } });
    for (let i = 1; i <= 4; i += 1) expect((await standins.twilio.sendSms({ From: '+14155550177', To: '+14155550100', Body: `burst ${i}` })).status).toBe(200);
    const bundle = await acceptNext(a, 'sms');
    expect(bundle.messages.map((m) => m.text)).toEqual(['burst 1', 'burst 2']);
    const archived = hub.hub.context.db.prepare('SELECT reason, payload FROM channel_archive ORDER BY id').all() as Array<{ reason: string; payload: string }>;
    expect(archived.map((r) => [r.reason, JSON.parse(r.payload).Body])).toEqual([
      ['rate-limit', 'burst 3'],
      ['rate-limit', 'burst 4'],
    ]);
  });

  it('a first DM gets an automatic answer the agent sees in the conversation as a bot message; it reaches Messenger exactly once', async () => {
    const { hub, agent: a } = await hubWithAgent({ autoReply: { messenger: {}, sms: { enabled: false }, instagram: { enabled: false }, x: { enabled: false } } });
    await standins.meta.sendDm('messenger', '7001', 'first');
    await standins.meta.sendDm('messenger', '7001', 'second');
    const bundle = await acceptNext(a, 'messenger');
    const answerText = "Thanks for reaching out! We'll respond within 4 hours.";
    expect(bundle.messages.map((m) => [m.direction, m.authorType, m.text])).toEqual([
      ['in', 'customer', 'first'],
      ['out', 'bot', answerText],
      ['in', 'customer', 'second'],
    ]);
    const answer = bundle.messages[1]!;
    const call = await waitUntil('the automatic answer at the Meta stand-in', () => standins.meta.sent()[0]);
    expect(call.json).toMatchObject({ recipient: { id: '7001' }, message: { text: answerText } });

    // The hub delivers a conversation's messages in order: once the agent's reply has reached Meta,
    // every earlier answer has been sent, so the list below is final.
    const reply = await a.call({ type: 'send', idempotencyKey: 'reply-after-auto-1', conversationId: bundle.conversation.id, text: 'Hi, Ada here.' });
    await a.waitForEvent('delivery', (e) => e.messageId === reply.message.id && e.status === 'sent');
    expect(standins.meta.sent().map((c) => (c.json as { message: { text: string } }).message.text)).toEqual([answerText, 'Hi, Ada here.']);
    const stored = hub.hub.context.conversations.messagesAfter(bundle.conversation.id, 0);
    expect(stored.filter((m) => m.authorType === 'bot').map((m) => [m.id, m.delivery])).toEqual([[answer.id, 'sent']]);
  });
});
