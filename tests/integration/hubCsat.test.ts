// CSAT through a real hub: the signed rating link of an email survey (GET shows the form and records
// nothing, POST records, a forged or expired token is refused with a sentence, a second answer
// updates the first), and the SMS survey answered with a text "5!" over a signed Twilio webhook
// (recorded, thanked, no conversation opened), while any other reply is an ordinary message.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentSession, startHub, TestAgent, type StartedHub } from '../helpers/hub';
import { startMetaStandin, startTwilioStandin, waitUntil, type MetaStandin, type TwilioStandin } from '../helpers/providerStandins';

const DAY = 24 * 3_600_000;
let started: StartedHub | null = null;
let agent: TestAgent | null = null;
let twilio: TwilioStandin;
let meta: MetaStandin;
let clock = Date.now();
const now = () => clock;
let sequence = 0;

async function hubWithAgent(config: Record<string, unknown> = {}): Promise<{ hub: StartedHub; agent: TestAgent }> {
  clock = Date.now();
  started = await startHub({ now, config: { offerTimeoutMs: 60_000, sessionTtlMs: 90 * DAY, ...config } });
  const session = await agentSession(started, { username: `cara${(sequence += 1)}` });
  agent = await TestAgent.connect(started.url, session.token);
  const presence = await agent.request({ type: 'setPresence', presence: 'available', capacity: { email: 5, sms: 5 } });
  expect(presence.ok).toBe(true);
  return { hub: started, agent };
}

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** An announced customer email, accepted and resolved by the agent: the conversation id. */
async function resolvedEmail(a: TestAgent, from: string, subject: string): Promise<number> {
  const announced = await ok(a.request({ type: 'announceEmail', messageId: `<${subject.replace(/\W+/g, '-')}-${sequence}@customer.example>`, from, fromName: 'Priya', subject, preview: subject, receivedAt: now() }));
  const offer = await a.waitForEvent('offer', (e) => e.conversation.id === announced.conversationId);
  await ok(a.request({ type: 'acceptOffer', offerId: offer.offerId }));
  expect((await ok(a.request({ type: 'resolve', conversationId: announced.conversationId }))).resolved).toBe(true);
  return announced.conversationId;
}

function postRating(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(), redirect: 'manual' });
}

beforeAll(async () => {
  twilio = await startTwilioStandin({ hubPublicUrl: () => started!.url });
  meta = await startMetaStandin({ hubPublicUrl: () => started!.url });
});
afterAll(async () => {
  await twilio.close();
  await meta.close();
});
afterEach(async () => {
  await agent?.close();
  await started?.close();
  agent = null;
  started = null;
  twilio.reset();
  meta.reset();
});

describe('the email survey link', () => {
  it('opening the link shows the form with the clicked score and records nothing; sending it records the rating and comment; a second answer updates it', async () => {
    const { agent: a } = await hubWithAgent();
    const conversationId = await resolvedEmail(a, 'priya@customer.example', 'Parcel late');
    const link = await ok(a.request({ type: 'csatSurvey', conversationId }));
    expect(link.url).toMatch(new RegExp(`^${started!.url}/csat/\\d+\\.[0-9a-z]+\\.[A-Za-z0-9_-]{43}$`));
    expect(link.expiresAt).toBe(now() + 30 * DAY);

    // What a mail scanner or a click does: GET. A form, score 4 preselected, nothing recorded.
    const page = await fetch(`${link.url}?score=4`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('About: Parcel late');
    expect(html).toMatch(/value="4" required checked/);
    expect(html).not.toMatch(/value="[1235]" required checked/);
    expect(html).not.toContain('<script');
    const styles = await fetch(`${started!.url}/csat/assets/csat.css`);
    expect([styles.status, styles.headers.get('content-type')]).toEqual([200, 'text/css; charset=utf-8']);
    await new Promise((r) => setTimeout(r, 100));
    expect(a.events.filter((e) => e.event.type === 'csat')).toHaveLength(0);

    const sent = await postRating(link.url!, { rating: '4', comment: 'Quick answer, thanks' });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('Your rating was saved: 4 out of 5.');
    expect(await a.waitForEvent('csat', (e) => e.conversationId === conversationId)).toMatchObject({ rating: 4, comment: 'Quick answer, thanks' });

    // Opened again: the current rating is shown and can be changed.
    expect(await (await fetch(link.url!)).text()).toContain('You rated this conversation 4 out of 5.');
    const changed = await postRating(link.url!, { rating: '2', comment: '' });
    expect(await changed.text()).toContain('Your rating was updated: 2 out of 5.');
    expect(await a.waitForEvent('csat', (e) => e.rating === 2)).toMatchObject({ conversationId, comment: null });

    // Rated: no second link for this conversation.
    expect(await ok(a.request({ type: 'csatSurvey', conversationId }))).toEqual({ url: null, expiresAt: null, reason: 'The customer already rated this conversation.' });
  });

  it('a forged or altered token gets 403 and an expired one 410, each with a sentence, and nothing is recorded', async () => {
    const { hub, agent: a } = await hubWithAgent();
    const conversationId = await resolvedEmail(a, 'lee@customer.example', 'Wrong size');
    const link = (await ok(a.request({ type: 'csatSurvey', conversationId }))).url!;
    const token = link.slice(link.lastIndexOf('/') + 1);
    const [id, expiry, sig] = token.split('.') as [string, string, string];

    const altered = `${hub.url}/csat/${id}.${expiry}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    const longer = `${hub.url}/csat/${id}.${(parseInt(expiry, 36) + DAY).toString(36)}.${sig}`;
    const otherSurvey = `${hub.url}/csat/${Number(id) + 1}.${expiry}.${sig}`;
    for (const url of [altered, longer, otherSurvey, `${hub.url}/csat/not-a-token`]) {
      const get = await fetch(`${url}?score=5`);
      expect(get.status, url).toBe(403);
      expect(await get.text()).toContain('This rating link is not valid');
      const post = await postRating(url, { rating: '5' });
      expect(post.status, url).toBe(403);
    }

    clock += 31 * DAY;
    const expired = await fetch(`${link}?score=5`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('This rating link has expired, so nothing was recorded.');
    expect((await postRating(link, { rating: '5' })).status).toBe(410);

    await new Promise((r) => setTimeout(r, 100));
    expect(a.events.filter((e) => e.event.type === 'csat')).toHaveLength(0);
    expect(hub.hub.context.db.prepare('SELECT count(*) AS n FROM csat').get()).toEqual({ n: 0 });
  });

  it('a rating outside 1–5 is refused on the page with a sentence; a customer asked recently gets no second link', async () => {
    const { agent: a } = await hubWithAgent({ csat: { quietDays: 7 } });
    const first = await resolvedEmail(a, 'sam@customer.example', 'Refund');
    const link = (await ok(a.request({ type: 'csatSurvey', conversationId: first }))).url!;
    const bad = await postRating(link, { rating: '9' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Choose a rating from 1 to 5, then send it.');

    const second = await resolvedEmail(a, 'sam@customer.example', 'Another refund');
    expect((await ok(a.request({ type: 'csatSurvey', conversationId: second }))).reason).toBe('The customer was asked for a rating within the last 7 days.');
    clock += 8 * DAY;
    expect((await ok(a.request({ type: 'csatSurvey', conversationId: second }))).url).toMatch(/\/csat\//);
  });
});

describe('the SMS survey', () => {
  const channels = () => ({
    twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, fromNumber: '+14155550100', apiBaseUrl: twilio.url },
    autoReply: { sms: { enabled: false } },
  });

  async function resolvedSms(a: TestAgent, from: string): Promise<number> {
    await twilio.sendSms({ From: from, To: '+14155550100', Body: 'My order never arrived' });
    const offer = await a.waitForEvent('offer', (e) => e.conversation.channel === 'sms');
    await ok(a.request({ type: 'acceptOffer', offerId: offer.offerId }));
    await ok(a.request({ type: 'resolve', conversationId: offer.conversation.id }));
    return offer.conversation.id;
  }

  it('on resolve the question goes out by SMS; a reply "5!" is the rating, thanked, and opens no conversation; a retried webhook counts once', async () => {
    const { hub, agent: a } = await hubWithAgent({ channels: channels() });
    const conversationId = await resolvedSms(a, '+14155550123');
    const question = await waitUntil('the survey SMS at Twilio', () => twilio.sent()[0]);
    expect(question.form).toMatchObject({ To: '+14155550123', Body: 'How did we do? Reply with a number from 1 (poor) to 5 (great).' });

    const reply = { MessageSid: 'SM5555555555555555555555555555aaaa', From: '+14155550123', To: '+14155550100', Body: ' 5! ' };
    expect((await twilio.sendSms(reply)).status).toBe(200);
    expect(await a.waitForEvent('csat', (e) => e.conversationId === conversationId)).toMatchObject({ rating: 5, comment: null });
    const thanks = await waitUntil('the thank-you SMS', () => twilio.sent()[1]);
    expect(thanks.form).toMatchObject({ To: '+14155550123', Body: 'Thank you for your rating!' });

    // The provider retries the same webhook: one rating, one thank-you.
    expect((await twilio.sendSms(reply)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(a.events.filter((e) => e.event.type === 'csat')).toHaveLength(1);
    expect(twilio.sent()).toHaveLength(2);
    // No customer message was stored and the conversation stays resolved: nothing to offer or reopen.
    const customerTexts = a.events.flatMap((e) => (e.event.type === 'message' && e.event.message.direction === 'in' ? [e.event.message.text] : []));
    expect(customerTexts).toEqual([]);
    expect(hub.hub.context.conversations.conversation(conversationId)?.status).toBe('resolved');
    expect(a.events.filter((e) => e.event.type === 'offer')).toHaveLength(1);
  });

  it('a reply that is not just a score is an ordinary message: it reopens the conversation and reaches the agent', async () => {
    const { hub, agent: a } = await hubWithAgent({ channels: channels() });
    const conversationId = await resolvedSms(a, '+14155550124');
    await waitUntil('the survey SMS at Twilio', () => twilio.sent()[0]);
    await twilio.sendSms({ From: '+14155550124', To: '+14155550100', Body: '5 items are still missing' });
    // The conversation reopens and is routed again, with the message in it.
    const first = a.events.flatMap((r) => (r.event.type === 'offer' ? [r.event.offerId] : []))[0];
    const again = await a.waitForEvent('offer', (e) => e.conversation.id === conversationId && e.offerId !== first);
    expect(hub.hub.context.conversations.conversation(conversationId)?.status).not.toBe('resolved');
    const bundle = (await ok(a.request({ type: 'acceptOffer', offerId: again.offerId }))).bundle;
    expect(bundle.messages.filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(['My order never arrived', '5 items are still missing']);
    expect(a.events.filter((e) => e.event.type === 'csat')).toHaveLength(0);

    // After that, a digit is a message too: the conversation is no longer resolved.
    await twilio.sendSms({ From: '+14155550124', To: '+14155550100', Body: '4' });
    await a.waitForEvent('message', (e) => e.message.direction === 'in' && e.message.text === '4');
    expect(a.events.filter((e) => e.event.type === 'csat')).toHaveLength(0);
  });

  it('on Messenger the same: the question goes out through the Send API and a reply "five" is the rating; a channel turned off is not asked', async () => {
    const { agent: a } = await hubWithAgent({
      channels: {
        meta: { appSecret: meta.appSecret, verifyToken: meta.verifyToken, pageAccessToken: meta.pageAccessToken, graphBaseUrl: meta.url, graphVersion: meta.graphVersion },
        autoReply: { messenger: { enabled: false }, instagram: { enabled: false } },
      },
      csat: { instagram: { enabled: false } },
    });
    await ok(a.request({ type: 'setPresence', presence: 'available', capacity: { messenger: 5, instagram: 5 } }));
    await meta.sendDm('messenger', '6783211234', 'The app crashes');
    const offer = await a.waitForEvent('offer', (e) => e.conversation.channel === 'messenger');
    await ok(a.request({ type: 'acceptOffer', offerId: offer.offerId }));
    await ok(a.request({ type: 'resolve', conversationId: offer.conversation.id }));
    const question = await waitUntil('the survey at the Send API', () => meta.sent()[0]);
    expect(question.json).toMatchObject({ recipient: { id: '6783211234' }, message: { text: 'How did we do? Reply with a number from 1 (poor) to 5 (great).' } });
    await meta.sendDm('messenger', '6783211234', 'five');
    expect(await a.waitForEvent('csat', (e) => e.conversationId === offer.conversation.id)).toMatchObject({ rating: 5 });

    await meta.sendDm('instagram', '17841405555', 'Blue one in stock?');
    const insta = await a.waitForEvent('offer', (e) => e.conversation.channel === 'instagram');
    await ok(a.request({ type: 'acceptOffer', offerId: insta.offerId }));
    await ok(a.request({ type: 'resolve', conversationId: insta.conversation.id }));
    await waitUntil('the Messenger thank-you', () => meta.sent()[1]);
    await new Promise((r) => setTimeout(r, 300));
    expect(meta.sent().map((c) => (c.json as { recipient: { id: string } }).recipient.id)).toEqual(['6783211234', '6783211234']);
  });
});
