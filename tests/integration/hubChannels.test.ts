// SMS, Messenger, Instagram and X through the real hub behind a TLS proxy: the provider stand-ins
// sign webhooks for the hub's public https URL and post them to its loopback address, agents answer
// over /agent, and what was stored is read through the hub's own services and database.
// The end-to-end agent flows shared by every channel are in hubChannelsHub.test.ts.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/shared/domain';
import type { HubConversation, HubMessage } from '../../src/shared/hub/agentProtocol';
import { ChannelStore } from '../../src/hub/channels/channelStore';
import type { ChannelsConfigInput } from '../../src/hub/channels/config';
import { login, startHub, TestAgent, type StartedHub } from '../helpers/hub';
import { startMetaStandin, startTwilioStandin, startXStandin, waitUntil, type MetaStandin, type TwilioStandin, type XStandin } from '../helpers/providerStandins';

/** Where providers reach the hub (a proxy in front of it); agents connect to the loopback address. */
const PUBLIC_URL = 'https://support.example.test';
/** A Wednesday, 15:00 UTC: inside every channel's default business hours. */
const WEDNESDAY_3PM = Date.UTC(2026, 2, 4, 15, 0);
const IN_HOURS = "Thanks for reaching out! We'll respond within 4 hours.";
const OUT_OF_HOURS = "Thanks for reaching out! Our team is away right now; we'll answer as soon as we're back.";

const standins = {} as { twilio: TwilioStandin; meta: MetaStandin; x: XStandin };
let started: StartedHub | null = null;
const agents: TestAgent[] = [];
let sequence = 0;

/** The hub's clock: real time from a chosen moment on, moved forward by tests. */
let clockOffset = 0;
const clock = {
  now: () => Date.now() + clockOffset,
  set(at: number) {
    clockOffset = at - Date.now();
  },
  advance(ms: number) {
    clockOffset += ms;
  },
};

const loopback = () => `http://127.0.0.1:${started!.port}`;
const hub = () => started!.hub;

function channelsConfig(): ChannelsConfigInput {
  const { twilio, meta, x } = standins;
  return {
    twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, fromNumber: '+14155550100', apiBaseUrl: twilio.url },
    meta: { appSecret: meta.appSecret, verifyToken: meta.verifyToken, pageAccessToken: meta.pageAccessToken, graphBaseUrl: meta.url, graphVersion: meta.graphVersion },
    x: { consumerSecret: x.consumerSecret, bearerToken: x.bearerToken, ownUserId: x.ownUserId, apiBaseUrl: x.url },
    filter: { burst: 10, perMinute: 6 },
    autoReply: { perSenderWindowMs: 3_600_000, sms: { enabled: false }, messenger: { enabled: false }, instagram: { enabled: false }, x: { enabled: false } },
  };
}

/** A hub with the product's modules at PUBLIC_URL, its clock at `at`; retries of failed deliveries come fast. */
async function startChannelsHub(channels: ChannelsConfigInput = channelsConfig(), at = WEDNESDAY_3PM): Promise<StartedHub> {
  clock.set(at);
  started = await startHub({
    now: clock.now,
    config: { publicUrl: PUBLIC_URL, offerTimeoutMs: 60_000, delivery: { baseMs: 50, maxMs: 200, maxAttempts: 5 }, channels },
  });
  return started;
}

/** An available agent signed in over loopback (the public URL is the providers' way in). */
async function connectAgent(): Promise<TestAgent> {
  const username = `ada${(sequence += 1)}`;
  const password = `pw-${username}-0123456789`;
  hub().createAgent({ username, displayName: 'Ada', password });
  const session = await login(loopback(), username, password);
  const agent = await TestAgent.connect(loopback(), session.token);
  agents.push(agent);
  await agent.call({ type: 'setPresence', presence: 'available', capacity: { sms: 5, messenger: 5, instagram: 5, x: 5 } });
  return agent;
}

/** Accepts the next offer for a conversation on `channel` and returns its context bundle. */
async function acceptNext(a: TestAgent, channel: Channel) {
  const offer = await a.waitForEvent('offer', (e) => e.conversation.channel === channel && !a.events.some((r) => r.event.type === 'assigned' && r.event.bundle.conversation.id === e.conversation.id));
  return (await a.call({ type: 'acceptOffer', offerId: offer.offerId })).bundle;
}

/** The latest conversation the hub holds for this sender on this channel, as the core returns it. */
function conversationOf(channel: Channel, address: string): HubConversation | null {
  const row = hub()
    .context.db.prepare('SELECT c.id FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE c.channel = ? AND k.address = ? ORDER BY c.id DESC LIMIT 1')
    .get(channel, address) as { id: number } | undefined;
  return row ? hub().context.conversations.conversation(row.id) : null;
}

/** A conversation's messages, oldest first, as the core returns them. */
const messagesOf = (conversationId: number): HubMessage[] => hub().context.conversations.messagesAfter(conversationId, 0);
const textsOf = (conversationId: number) => messagesOf(conversationId).map((m) => m.text);

/** How many conversations and customer messages the hub stored. */
function stored(): { conversations: number; inbound: number } {
  const count = (sql: string) => (hub().context.db.prepare(sql).get() as { n: number }).n;
  return { conversations: count('SELECT count(*) AS n FROM conversations'), inbound: count("SELECT count(*) AS n FROM messages WHERE direction = 'in'") };
}

/** The channels module's own tables (archive, auto-reply memory) in the hub's database. */
const channelTables = () => new ChannelStore(hub().context.db);

/** The automatic answers the core stored in a conversation. */
const botMessages = (conversationId: number) => messagesOf(conversationId).filter((m) => m.authorType === 'bot');

beforeAll(async () => {
  const options = { hubPublicUrl: () => PUBLIC_URL, hubAddress: loopback };
  standins.twilio = await startTwilioStandin(options);
  standins.meta = await startMetaStandin(options);
  standins.x = await startXStandin(options);
});
afterAll(async () => {
  await Promise.all([standins.twilio.close(), standins.meta.close(), standins.x.close()]);
});
afterEach(async () => {
  for (const a of agents.splice(0)) await a.close();
  await started?.close();
  started = null;
  for (const s of Object.values(standins)) s.reset();
});

describe('SMS through Twilio', () => {
  it('a webhook with a forged, missing or wrongly keyed signature, or signed for another URL than the public one, gets 403 and nothing is stored', async () => {
    await startChannelsHub();
    const sms = { From: '+14155550123', To: '+14155550100', Body: 'hi' };
    const refused = [
      await standins.twilio.sendSms(sms, { signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=' }),
      await standins.twilio.sendSms(sms, { signature: null }),
      await standins.twilio.sendSms(sms, { signWith: 'not-the-auth-token' }),
      await standins.twilio.sendSms(sms, { signFor: loopback() }),
    ];
    for (const r of refused) {
      expect(r.status).toBe(403);
      expect(JSON.parse(r.text)).toMatchObject({ code: 'channels/bad-signature' });
    }
    expect(stored()).toEqual({ conversations: 0, inbound: 0 });
    expect(channelTables().archived()).toEqual([]);

    // Signed for the public URL and passed on by the proxy: accepted.
    const accepted = await standins.twilio.sendSms(sms);
    expect(accepted.status).toBe(200);
    expect(accepted.contentType).toContain('text/xml');
    expect(stored()).toEqual({ conversations: 1, inbound: 1 });
  });

  it('a JSON-bodied webhook is accepted only with a valid signature over the URL carrying its bodySHA256', async () => {
    await startChannelsHub();
    const body = { MessageSid: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', From: '+14155550124', To: '+14155550100', Body: 'Sent as JSON' };
    expect((await standins.twilio.sendJson('/webhooks/twilio/sms', body)).status).toBe(200);
    expect((await standins.twilio.sendJson('/webhooks/twilio/sms', { ...body, MessageSid: 'SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' }, { signWith: 'guess' })).status).toBe(403);
    const conversation = conversationOf('sms', '+14155550124');
    expect(conversation?.contact.phone).toBe('+14155550124');
    expect(textsOf(conversation!.id)).toEqual(['Sent as JSON']);
    expect(stored().inbound).toBe(1);
  });

  it('an oversized, malformed or wrongly typed body gets a clear 4xx and nothing is stored', async () => {
    await startChannelsHub();
    const big = await standins.twilio.sendSms({ From: '+14155550123', To: '+14155550100', Body: 'x'.repeat(300 * 1024) });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.text)).toEqual({ code: 'channels/body-too-large', message: expect.stringContaining('262144 bytes') });
    const noFrom = await standins.twilio.sendSms({ To: '+14155550100', Body: 'hi' } as never);
    expect(noFrom.status).toBe(400);
    expect(JSON.parse(noFrom.text)).toMatchObject({ code: 'channels/malformed-body', message: expect.stringContaining('From') });
    const noSid = await standins.twilio.sendSms({ MessageSid: undefined, From: '+14155550123', To: '+14155550100', Body: 'hi' });
    expect(noSid.status).toBe(400);
    expect(JSON.parse(noSid.text)).toMatchObject({ code: 'channels/malformed-body', message: expect.stringContaining('MessageSid') });
    const plain = await standins.twilio.sendSms({ From: '+14155550123', To: '+14155550100', Body: 'hi' }, { contentType: 'text/plain' });
    expect(plain.status).toBe(415);
    expect(JSON.parse(plain.text).code).toBe('channels/unsupported-media-type');
    const badJson = await standins.twilio.sendJson('/webhooks/twilio/sms', '{not json');
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.text).code).toBe('channels/malformed-body');
    expect(stored()).toEqual({ conversations: 0, inbound: 0 });
  });

  it("an agent's reply goes to the account's Messages API; an undelivered status callback marks it failed with Twilio's error, a forged one changes nothing", async () => {
    await startChannelsHub();
    const agent = await connectAgent();
    await standins.twilio.sendSms({ From: '+14155550123', To: '+14155550100', Body: 'Where is my parcel?' });
    const bundle = await acceptNext(agent, 'sms');
    const { message } = await agent.call({ type: 'send', idempotencyKey: 'parcel-reply-1', conversationId: bundle.conversation.id, text: 'It ships today.' });
    await agent.waitForEvent('delivery', (e) => e.messageId === message.id && e.status === 'sent');
    const [call] = standins.twilio.sent();
    expect(call!.path).toBe(`/2010-04-01/Accounts/${standins.twilio.accountSid}/Messages.json`);
    expect(call!.form).toMatchObject({ To: '+14155550123', Body: 'It ships today.', StatusCallback: `${PUBLIC_URL}/webhooks/twilio/status` });
    const sid = (call!.response!.body as { sid: string }).sid;
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);

    expect((await standins.twilio.sendStatus({ MessageSid: sid, MessageStatus: 'delivered' }, { signWith: 'guess' })).status).toBe(403);
    expect(messagesOf(bundle.conversation.id).at(-1)).toMatchObject({ id: message.id, delivery: 'sent' });

    expect((await standins.twilio.sendStatus({ MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '30003' })).status).toBe(200);
    const failed = await agent.waitForEvent('delivery', (e) => e.messageId === message.id && e.status === 'failed');
    expect(failed.detail).toBe('Twilio reports the SMS undelivered (error 30003).');
    // with its catalog key, so the agent's workspace says it in the agent's language
    expect(failed.detailText).toEqual({ key: 'smsReportedUndeliveredCode', params: { code: '30003' } });
    expect(messagesOf(bundle.conversation.id).at(-1)).toMatchObject({ delivery: 'failed', deliveryDetail: 'Twilio reports the SMS undelivered (error 30003).' });
  });

  it("a reply to a number Twilio reports unsubscribed (error 21610) fails as an opt-out, and later replies fail without calling Twilio", async () => {
    await startChannelsHub();
    const agent = await connectAgent();
    await standins.twilio.sendSms({ From: '+14155550125', To: '+14155550100', Body: 'hi' });
    const { conversation } = await acceptNext(agent, 'sms');
    standins.twilio.failNext({ status: 400, body: { code: 21610, message: 'Attempt to send to unsubscribed recipient', more_info: 'https://www.twilio.com/docs/errors/21610', status: 400 } });
    const one = await agent.call({ type: 'send', idempotencyKey: 'unsubscribed-1', conversationId: conversation.id, text: 'one' });
    const first = await agent.waitForEvent('delivery', (e) => e.messageId === one.message.id && e.status === 'failed');
    expect(first.detail).toBe('+14155550125 replied STOP; they must text START before we can write again.');
    expect(first.detailText).toEqual({ key: 'smsOptedOut', params: { address: '+14155550125' } });
    const two = await agent.call({ type: 'send', idempotencyKey: 'unsubscribed-2', conversationId: conversation.id, text: 'two' });
    const second = await agent.waitForEvent('delivery', (e) => e.messageId === two.message.id && e.status === 'failed');
    expect(second.detail).toBe(first.detail);
    expect(standins.twilio.sent()).toHaveLength(1);
  });

  it('during a Twilio outage the reply waits with the reason, and the hub sends it once Twilio answers again', async () => {
    await startChannelsHub();
    const agent = await connectAgent();
    await standins.twilio.sendSms({ From: '+14155550126', To: '+14155550100', Body: 'hi' });
    const { conversation } = await acceptNext(agent, 'sms');
    standins.twilio.failNext({ status: 503, body: { code: 20503, message: 'Service unavailable', status: 503 } });
    const { message } = await agent.call({ type: 'send', idempotencyKey: 'outage-reply-1', conversationId: conversation.id, text: 'hello' });
    const waiting = await agent.waitForEvent('delivery', (e) => e.messageId === message.id && e.status === 'stored');
    expect(waiting.detail).toContain('Service unavailable');
    // with its catalog key, so the agent's workspace says it in the agent's language (stored English unchanged)
    expect(waiting.detailText).toEqual({ key: 'smsRefusedCode', params: { reason: 'Service unavailable', code: '20503' } });
    expect(waiting.detail).toBe('Twilio refused the SMS: Service unavailable (error 20503).');
    await agent.waitForEvent('delivery', (e) => e.messageId === message.id && e.status === 'sent');
    expect(standins.twilio.sent().map((c) => [c.response!.status, c.form['Body']])).toEqual([
      [503, 'hello'],
      [201, 'hello'],
    ]);
  });
});

describe('Messenger and Instagram through Meta', () => {
  it('answers the webhook verification challenge only with the right verify token', async () => {
    await startChannelsHub();
    const ok = await standins.meta.verify({ 'hub.mode': 'subscribe', 'hub.verify_token': standins.meta.verifyToken, 'hub.challenge': '1158201444' });
    expect([ok.status, ok.text]).toEqual([200, '1158201444']);
    const wrong = await standins.meta.verify({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1158201444' });
    expect(wrong.status).toBe(403);
    expect(wrong.text).not.toContain('1158201444');
  });

  it("a Messenger reply goes to the Send API of the configured Graph version, and Meta's echo of it is not stored as a customer message", async () => {
    await startChannelsHub();
    const agent = await connectAgent();
    await standins.meta.sendDm('messenger', '6783211234', 'The app crashes on login');
    const { conversation } = await acceptNext(agent, 'messenger');
    const { message } = await agent.call({ type: 'send', idempotencyKey: 'crash-reply-1', conversationId: conversation.id, text: 'Which phone do you use?' });
    await agent.waitForEvent('delivery', (e) => e.messageId === message.id && e.status === 'sent');
    const [call] = standins.meta.sent();
    expect(call!.path).toBe(`/${standins.meta.graphVersion}/me/messages`);
    expect(call!.json).toMatchObject({ recipient: { id: '6783211234' }, message: { text: 'Which phone do you use?' } });

    const mid = (call!.response!.body as { message_id: string }).message_id;
    const echo = await standins.meta.notify({
      object: 'page',
      entry: [{ id: standins.meta.pageId, time: 1, messaging: [{ sender: { id: standins.meta.pageId }, recipient: { id: '6783211234' }, timestamp: 1, message: { mid, text: 'Which phone do you use?', is_echo: true } }] }],
    });
    expect(echo.status).toBe(200);
    expect(messagesOf(conversation.id).map((m) => [m.direction, m.text])).toEqual([
      ['in', 'The app crashes on login'],
      ['out', 'Which phone do you use?'],
    ]);
    expect(stored().inbound).toBe(1);
  });

  it('an Instagram DM is stored on the instagram channel, once even when Meta delivers it twice', async () => {
    await startChannelsHub();
    const first = await standins.meta.sendDm('instagram', '17841405555', 'Is the blue one back in stock?', 'm_ig_1');
    const replay = await standins.meta.sendDm('instagram', '17841405555', 'Is the blue one back in stock?', 'm_ig_1');
    expect([first.status, replay.status]).toEqual([200, 200]);
    const conversation = conversationOf('instagram', '17841405555');
    expect(conversation?.channel).toBe('instagram');
    expect(textsOf(conversation!.id)).toEqual(['Is the blue one back in stock?']);
    expect(stored()).toEqual({ conversations: 1, inbound: 1 });
  });

  it('a notification with a forged or missing X-Hub-Signature-256 gets 403 and nothing is stored; malformed JSON gets 400', async () => {
    await startChannelsHub();
    const body = { object: 'page', entry: [{ id: standins.meta.pageId, messaging: [{ sender: { id: '1' }, recipient: { id: standins.meta.pageId }, message: { mid: 'm_x', text: 'hi' } }] }] };
    for (const options of [{ signWith: 'guess' }, { signature: null }]) {
      const refused = await standins.meta.notify(body, options);
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.text).code).toBe('channels/bad-signature');
    }
    const bad = await standins.meta.notify('{"object": "page", "entry": [', {});
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).code).toBe('channels/malformed-body');
    expect(stored()).toEqual({ conversations: 0, inbound: 0 });
  });

  it("an Instagram comment opens a public-complaint ticket; the account's own comments on its media do not", async () => {
    await startChannelsHub();
    const comment = (fromId: string, id: string) => ({
      object: 'instagram',
      entry: [{ id: standins.meta.instagramId, time: 1, changes: [{ field: 'comments', value: { id, text: 'Still waiting for my refund', from: { id: fromId, username: 'sam' }, media: { id: '1790' } } }] }],
    });
    expect((await standins.meta.notify(comment('5551234', 'c1'))).status).toBe(200);
    expect((await standins.meta.notify(comment(standins.meta.instagramId, 'c2'))).status).toBe(200);
    const conversation = conversationOf('instagram', '5551234');
    expect(conversation).toMatchObject({ channel: 'instagram', isPublic: true, subject: 'Public comment on Instagram' });
    expect(textsOf(conversation!.id)).toEqual(['Still waiting for my refund']);
    expect(stored()).toEqual({ conversations: 1, inbound: 1 });
  });
});

describe('X DMs through the Account Activity API', () => {
  it('answers the CRC challenge with the HMAC of the token', async () => {
    await startChannelsHub();
    const reply = await standins.x.crc('9b4507b3-8f4c-4b9b');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toEqual({ response_token: `sha256=${createHmac('sha256', standins.x.consumerSecret).update('9b4507b3-8f4c-4b9b').digest('base64')}` });
  });

  it("a DM opens a conversation with the sender's user id and name; X's copies of our own DMs are not stored", async () => {
    await startChannelsHub();
    expect((await standins.x.sendDm('2244994945', 'My account got locked', undefined, 'Lee')).status).toBe(200);
    expect((await standins.x.sendDm(standins.x.ownUserId, 'an echo of our own reply')).status).toBe(200);
    const conversation = conversationOf('x', '2244994945');
    expect(conversation?.contact.displayName).toBe('Lee');
    expect(textsOf(conversation!.id)).toEqual(['My account got locked']);
    expect(stored()).toEqual({ conversations: 1, inbound: 1 });
  });

  it('an event with a forged signature gets 403 and nothing is stored; a replayed event is stored once', async () => {
    await startChannelsHub();
    const body = { for_user_id: standins.x.ownUserId, direct_message_events: [{ type: 'message_create', id: '1', message_create: { sender_id: '5', message_data: { text: 'x' } } }] };
    const forged = await standins.x.notify(body, { signWith: 'guess' });
    expect([forged.status, JSON.parse(forged.text).code]).toEqual([403, 'channels/bad-signature']);
    expect(stored()).toEqual({ conversations: 0, inbound: 0 });
    await standins.x.sendDm('77', 'again', '1700000000000000001');
    await standins.x.sendDm('77', 'again', '1700000000000000001');
    expect(stored()).toEqual({ conversations: 1, inbound: 1 });
  });

  it('a mention opens a public-complaint ticket with an acknowledgment draft, answered by DM; tweets not mentioning us are ignored', async () => {
    await startChannelsHub();
    const agent = await connectAgent();
    await standins.x.notify({
      for_user_id: standins.x.ownUserId,
      tweet_create_events: [
        { id_str: '1850000000000000001', text: '@acme_help my order is a week late', user: { id_str: '3141', name: 'Robin', screen_name: 'robin' }, entities: { user_mentions: [{ id_str: standins.x.ownUserId, screen_name: 'acme_help' }] } },
        { id_str: '1850000000000000002', text: 'unrelated tweet', user: { id_str: '3142', screen_name: 'other' }, entities: { user_mentions: [] } },
      ],
    });
    const bundle = await acceptNext(agent, 'x');
    expect(bundle.conversation).toMatchObject({ isPublic: true, subject: 'Public mention on X', contact: { address: '3141', displayName: 'Robin' } });
    expect(bundle.suggestedReply).toBe("Sorry to hear that, Robin. We've sent you a private message so we can sort this out.");
    expect(stored()).toEqual({ conversations: 1, inbound: 1 });
    await agent.call({ type: 'send', idempotencyKey: 'mention-reply-1', conversationId: bundle.conversation.id, text: 'Sorry Robin, checking now.' });
    const dm = await waitUntil('the DM to the author of the mention', () => standins.x.sent()[0]);
    expect([dm.path, dm.json]).toEqual(['/2/dm_conversations/with/3141/messages', { text: 'Sorry Robin, checking now.' }]);
  });
});

describe('a provider that cannot be reached', () => {
  it("the reply waits with the provider's keyed sentence (Twilio, Meta and X), the network error as a raw param", async () => {
    // A port nothing listens on: every send is refused before it reaches a provider.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const nowhere = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const config = channelsConfig();
    await startChannelsHub({ ...config, twilio: { ...config.twilio, apiBaseUrl: nowhere }, meta: { ...config.meta, graphBaseUrl: nowhere }, x: { ...config.x, apiBaseUrl: nowhere } });
    const agent = await connectAgent();
    await standins.twilio.sendSms({ From: '+14155550127', To: '+14155550100', Body: 'hi' });
    await standins.meta.sendDm('messenger', '6783211299', 'hello');
    await standins.x.sendDm('2244994999', 'hey');
    for (const [channel, key, english] of [
      ['sms', 'smsUnreachable', 'Twilio could not be reached: '],
      ['messenger', 'metaUnreachable', "Meta's Graph API could not be reached: "],
      ['x', 'xUnreachable', "X's API could not be reached: "],
    ] as const) {
      const { conversation } = await acceptNext(agent, channel);
      const { message } = await agent.call({ type: 'send', idempotencyKey: `unreachable-${channel}`, conversationId: conversation.id, text: 'hello' });
      const waiting = await agent.waitForEvent('delivery', (e) => e.messageId === message.id && e.status === 'stored');
      expect(waiting.detail?.startsWith(english), waiting.detail ?? '').toBe(true);
      expect(waiting.detailText).toEqual({ key, params: { error: expect.any(String) } });
      expect(waiting.detail).toBe(`${english}${String(waiting.detailText?.params['error'])}.`);
    }
  });
});

describe('spam, bots and rate limits', () => {
  it('messages beyond the per-sender limit are archived with their payload and still answered 200; a minute later the sender gets through again', async () => {
    await startChannelsHub({ ...channelsConfig(), filter: { burst: 3, perMinute: 1 } });
    const replies = [];
    for (let i = 1; i <= 5; i += 1) replies.push(await standins.twilio.sendSms({ From: '+14155550177', To: '+14155550100', Body: `message ${i}` }));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const conversation = conversationOf('sms', '+14155550177')!;
    expect(textsOf(conversation.id)).toEqual(['message 1', 'message 2', 'message 3']);
    const archived = channelTables().archived({ channel: 'sms' });
    expect(archived.map((a) => [a.reason, a.sender, JSON.parse(a.payload).Body])).toEqual([
      ['rate-limit', '+14155550177', 'message 4'],
      ['rate-limit', '+14155550177', 'message 5'],
    ]);

    clock.advance(60_000);
    await standins.twilio.sendSms({ From: '+14155550177', To: '+14155550100', Body: 'message 6' });
    expect(textsOf(conversation.id)).toEqual(['message 1', 'message 2', 'message 3', 'message 6']);
  });

  it('spam text and automated senders are archived with the reason; other senders are unaffected', async () => {
    await startChannelsHub();
    await standins.meta.sendDm('messenger', '4001', 'Get FREE followers now, click here to claim your prize');
    await standins.twilio.sendSms({ From: '87654', To: '+14155550100', Body: 'Your code is 1234' });
    await standins.meta.sendDm('messenger', '4002', 'My parcel is late');
    expect(channelTables().archived().map((a) => [a.channel, a.reason, a.sender])).toEqual([
      ['messenger', 'spam', '4001'],
      ['sms', 'bot', '87654'],
    ]);
    expect(conversationOf('messenger', '4002')).not.toBeNull();
    expect(stored()).toEqual({ conversations: 1, inbound: 1 });
  });
});

describe('auto-responders', () => {
  const withAutoReply = (): ChannelsConfigInput => ({
    ...channelsConfig(),
    autoReply: {
      perSenderWindowMs: 3_600_000,
      sms: { hours: { id: 'office', timeZone: 'UTC', weekly: { mon: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }] } } },
      messenger: {},
      instagram: { enabled: false },
      x: {},
    },
  });

  it("answers once per sender per window with the in-hours text, as a bot message whose delivery Twilio's callbacks update; after the window it answers again", async () => {
    await startChannelsHub(withAutoReply());
    await standins.twilio.sendSms({ From: '+14155550188', To: '+14155550100', Body: 'first' });
    await standins.twilio.sendSms({ From: '+14155550188', To: '+14155550100', Body: 'second' });
    const conversation = conversationOf('sms', '+14155550188')!;
    expect(messagesOf(conversation.id).map((m) => [m.authorType, m.text])).toEqual([
      ['customer', 'first'],
      ['bot', IN_HOURS],
      ['customer', 'second'],
    ]);
    const [answer] = botMessages(conversation.id);
    await waitUntil('the answer sent', () => botMessages(conversation.id)[0]!.delivery === 'sent');
    expect(standins.twilio.sent().map((c) => [c.form['To'], c.form['Body']])).toEqual([['+14155550188', IN_HOURS]]);
    expect(channelTables().lastAutoReply('sms', '+14155550188')).toMatchObject({ conversationId: conversation.id, text: IN_HOURS, status: 'stored' });

    const sid = (standins.twilio.sent()[0]!.response!.body as { sid: string }).sid;
    expect((await standins.twilio.sendStatus({ MessageSid: sid, MessageStatus: 'delivered' })).status).toBe(200);
    expect(messagesOf(conversation.id).find((m) => m.id === answer!.id)?.delivery).toBe('delivered');

    clock.advance(3_600_001);
    await standins.twilio.sendSms({ From: '+14155550188', To: '+14155550100', Body: 'third, later' });
    expect(botMessages(conversation.id)).toHaveLength(2);
    await waitUntil('the second answer sent', () => botMessages(conversation.id)[1]!.delivery === 'sent');
    expect(standins.twilio.sent()).toHaveLength(2);
  });

  it('outside business hours the outside-hours text is sent', async () => {
    await startChannelsHub(withAutoReply(), Date.UTC(2026, 2, 4, 22, 0)); // Wednesday 22:00 UTC, after 17:00
    await standins.twilio.sendSms({ From: '+14155550189', To: '+14155550100', Body: 'late question' });
    const conversation = conversationOf('sms', '+14155550189')!;
    await waitUntil('the answer sent', () => botMessages(conversation.id)[0]?.delivery === 'sent');
    expect(standins.twilio.sent().map((c) => c.form['Body'])).toEqual([OUT_OF_HOURS]);
  });

  it('never answers filtered traffic, opt-out keywords, public posts or a channel with auto-replies off', async () => {
    await startChannelsHub(withAutoReply());
    await standins.meta.sendDm('messenger', '5001', 'Cheap crypto investment signals, click here to claim');
    await standins.twilio.sendSms({ From: '+14155550190', To: '+14155550100', Body: 'STOP' });
    await standins.meta.sendDm('instagram', '5002', 'hello');
    await standins.x.notify({
      for_user_id: standins.x.ownUserId,
      tweet_create_events: [{ id_str: '1', text: '@us broken', user: { id_str: '5003' }, entities: { user_mentions: [{ id_str: standins.x.ownUserId }] } }],
    });
    // The answer is stored with the customer's message, before the webhook is acknowledged.
    const bots = () => (hub().context.db.prepare("SELECT count(*) AS n FROM messages WHERE author_type = 'bot'").get() as { n: number }).n;
    expect(bots()).toBe(0);
    expect(stored().conversations).toBe(3);

    await standins.x.sendDm('5004', 'a real question');
    const conversation = conversationOf('x', '5004')!;
    await waitUntil('the answer sent', () => botMessages(conversation.id)[0]?.delivery === 'sent');
    expect(bots()).toBe(1);
    expect([...standins.twilio.sent(), ...standins.meta.sent(), ...standins.x.sent()].map((c) => [c.path, (c.json as { text?: string } | null)?.text])).toEqual([
      ['/2/dm_conversations/with/5004/messages', IN_HOURS],
    ]);
  });
});

describe('a provider without credentials', () => {
  it('answers 503 naming the settings to set, while the configured provider works', async () => {
    const { meta, autoReply } = channelsConfig();
    await startChannelsHub({ meta, autoReply });
    const sms = await standins.twilio.sendSms({ From: '+14155550123', To: '+14155550100', Body: 'hi' });
    expect(sms.status).toBe(503);
    expect(JSON.parse(sms.text)).toEqual({
      code: 'channels/not-configured',
      message: 'SMS (Twilio) is not set up on this hub; set channels.twilio.accountSid, channels.twilio.authToken, channels.twilio.fromNumber.',
    });
    expect((await standins.x.crc('t')).status).toBe(503);
    expect((await standins.meta.sendDm('messenger', '1', 'works')).status).toBe(200);
    expect(stored()).toEqual({ conversations: 1, inbound: 1 });
  });
});
