// Phone calls through the real hub: the Twilio stand-in posts signed voice webhooks to the hub on
// loopback exactly as Twilio does, the TwiML answers are parsed as XML, test agents connected over
// /agent are rung, hear of calls through `call` events and control calls, and the stand-in records
// the REST calls the hub makes. Voicemail transcriptions are e-mailed to a real SMTP server.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DOMParser } from '@xmldom/xmldom';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HubConfigInput } from '../../src/hub/config';
import { agentSession, startHub, TestAgent, type StartedHub } from '../helpers/hub';
import { startTwilioStandin, waitUntil, type TwilioStandin } from '../helpers/providerStandins';
import { startSmtp, type SmtpPeer } from '../helpers/smtpServer';

// Wednesday 25 November 2026, 10:00 in New York (the phone line's default hours are 08:00–18:00 there).
const OPEN_AT = Date.UTC(2026, 10, 25, 15, 0);
const CLOSED_AT = Date.UTC(2026, 10, 26, 3, 0);
const LINE = '+14155550100';

let twilio: TwilioStandin;
let smtp: SmtpPeer;
let started: StartedHub | null = null;
const agents: TestAgent[] = [];
let sequence = 0;

const sid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

function parse(text: string): Element {
  const doc = new DOMParser().parseFromString(text, 'text/xml');
  const root = doc.documentElement;
  if (!root || root.tagName !== 'Response') throw new Error(`Not TwiML: ${text}`);
  return root;
}
const tags = (el: Element, name: string): Element[] => Array.from(el.getElementsByTagName(name));
const one = (el: Element, name: string): Element => {
  const found = tags(el, name);
  if (found.length !== 1) throw new Error(`Expected one <${name}>, found ${found.length} in ${el.toString()}`);
  return found[0]!;
};
const params = (client: Element) => Object.fromEntries(tags(client, 'Parameter').map((p) => [p.getAttribute('name'), p.getAttribute('value')]));

/** The hub's own row of a call, read from its SQLite file (a second, read-only connection). */
function callRow(hub: StartedHub, callSid: string): Record<string, unknown> {
  const db = new Database(path.join(hub.dataDir, 'hub.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT status, outcome, duration_sec AS durationSec, other_leg_sid AS otherLegSid, conference, answered_by AS answeredBy, conversation_id AS conversationId FROM voice_calls WHERE call_sid = ?').get(callSid) as Record<string, unknown>;
  } finally {
    db.close();
  }
}

async function startVoiceHub(voice: HubConfigInput['voice'] = {}, at = OPEN_AT): Promise<StartedHub> {
  const t0 = Date.now();
  started = await startHub({
    now: () => at + (Date.now() - t0),
    config: {
      offerTimeoutMs: 60_000,
      channels: { twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, fromNumber: LINE, apiBaseUrl: twilio.url }, autoReply: { sms: { enabled: false } } },
      voice: { credentials: { callerId: LINE }, ...voice },
    },
  });
  return started;
}

async function connectAgent(hub: StartedHub, extra: Partial<Parameters<typeof agentSession>[1]> = {}): Promise<{ id: number; agent: TestAgent }> {
  const session = await agentSession(hub, { username: `agent${(sequence += 1)}`, ...extra });
  const agent = await TestAgent.connect(hub.url, session.token);
  agents.push(agent);
  await agent.call({ type: 'setPresence', presence: 'available', capacity: { phone: 1, sms: 5 } });
  return { id: session.id, agent };
}

async function incoming(callSid: string, from: string) {
  const reply = await twilio.sendVoice('/voice/incoming', { CallSid: callSid, From: from, To: LINE, CallStatus: 'ringing', Direction: 'inbound' });
  expect(reply.status, reply.text).toBe(200);
  expect(reply.contentType).toContain('text/xml');
  return parse(reply.text);
}

async function voicePost(path: string, fields: Record<string, string>) {
  const reply = await twilio.sendVoice(path, fields);
  expect(reply.status, reply.text).toBe(200);
  return parse(reply.text);
}

beforeAll(async () => {
  twilio = await startTwilioStandin({ hubPublicUrl: () => started!.url });
  smtp = await startSmtp({ deliver: async () => {} });
});
afterAll(async () => {
  await twilio.close();
  await smtp.stop();
});
afterEach(async () => {
  for (const a of agents.splice(0)) await a.close();
  await started?.close();
  started = null;
  twilio.reset();
});

describe('incoming calls: routing outcomes', () => {
  it("rings the available agent's softphone with the agreed parameters, and signed status callbacks build one call record", async () => {
    const hub = await startVoiceHub({ ivr: { enabled: false } });
    const { id, agent } = await connectAgent(hub);
    // A forged incoming call is refused before anything is written: nobody is rung.
    const forgedCall = await twilio.sendVoice('/voice/incoming', { CallSid: sid('CA'), From: '+14155550123', To: LINE }, { signWith: 'guess' });
    expect(forgedCall.status).toBe(403);
    const callSid = sid('CA');
    const twiml = await incoming(callSid, '(415) 555-0123');

    const dial = one(twiml, 'Dial');
    expect(dial.getAttribute('action')).toBe(`${hub.url}/voice/dialed?agent=${id}`);
    const client = one(dial, 'Client');
    expect(one(client, 'Identity').textContent).toBe(`agent-${id}`);
    expect(client.getAttribute('statusCallback')).toBe(`${hub.url}/voice/status`);
    const assigned = await agent.waitForEvent('assigned', (e) => e.bundle.conversation.channel === 'phone');
    expect(agent.events.filter((e) => e.event.type === 'assigned')).toHaveLength(1);
    expect(params(client)).toEqual({ caller: '+14155550123', customerId: String(assigned.bundle.conversation.contact.id), conversationId: String(assigned.bundle.conversation.id) });
    await agent.waitForEvent('call', (e) => e.callSid === callSid && e.status === 'ringing' && e.direction === 'in' && e.from === '+14155550123');

    const leg = sid('CA');
    const child = { CallSid: leg, ParentCallSid: callSid, From: '+14155550123', To: `client:agent-${id}`, Direction: 'outbound-dial' };
    await voicePost('/voice/status', { ...child, CallStatus: 'in-progress' });
    await agent.waitForEvent('call', (e) => e.callSid === callSid && e.status === 'in-progress' && e.answeredByAgentId === id);
    await voicePost('/voice/status', { ...child, CallStatus: 'completed', CallDuration: '42' });
    const done = await agent.waitForEvent('call', (e) => e.callSid === callSid && e.status === 'completed');
    expect(done).toMatchObject({ answeredByAgentId: id, durationSec: 42, outcome: 'answered', conversationId: assigned.bundle.conversation.id });

    // A forged callback is refused and changes nothing; a late "ringing" does not step back.
    const before = agent.events.length;
    const forged = await twilio.sendVoice('/voice/status', { ...child, CallStatus: 'failed' }, { signWith: 'not-the-auth-token' });
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.text)).toMatchObject({ code: 'channels/bad-signature' });
    const unsigned = await twilio.sendVoice('/voice/status', { ...child, CallStatus: 'failed' }, { signature: null });
    expect(unsigned.status).toBe(403);
    await voicePost('/voice/status', { ...child, CallStatus: 'ringing' });
    await agent.call({ type: 'ping' });
    expect(agent.events.slice(before).filter((e) => e.event.type === 'call')).toEqual([]);

    // The ended call's conversation stays open for notes, but the line is free: the next call rings this agent, not the queue.
    const next = await incoming(sid('CA'), '+14155550123');
    expect(one(one(next, 'Dial'), 'Identity').textContent, 'the same caller again rings their agent').toBe(`agent-${id}`);
    const other = await incoming(sid('CA'), '+14155550125');
    expect(tags(other, 'Enqueue'), 'while that call rings, the line is busy').toHaveLength(1);

  });

  it("with call recording on, an answered call's recording reaches the agent's call record (not a voicemail)", async () => {
    const hub = await startVoiceHub({ ivr: { enabled: false }, recordCalls: true });
    const { id, agent } = await connectAgent(hub);
    const callSid = sid('CA');
    const dial = one(await incoming(callSid, '+14155550124'), 'Dial');
    expect(dial.getAttribute('record')).toBe('record-from-answer-dual');
    const callback = dial.getAttribute('recordingStatusCallback')!;
    expect(callback).toBe(`${hub.url}/voice/recording?kind=call`);
    await voicePost('/voice/status', { CallSid: sid('CA'), ParentCallSid: callSid, CallStatus: 'in-progress', From: '+14155550124', To: `client:agent-${id}` });
    const recordingUrl = `https://api.twilio.com/2010-04-01/Accounts/${twilio.accountSid}/Recordings/RE0001`;
    await voicePost(callback.slice(hub.url.length), { CallSid: callSid, RecordingSid: sid('RE'), RecordingUrl: recordingUrl, RecordingStatus: 'completed', RecordingDuration: '30' });
    const recorded = await agent.waitForEvent('call', (e) => e.callSid === callSid && e.recordingUrl === recordingUrl);
    expect(recorded).toMatchObject({ status: 'in-progress', answeredByAgentId: id, outcome: null });
    expect(agent.events.some((e) => e.event.type === 'voicemail' || (e.event.type === 'message' && e.event.message.attachments.length > 0))).toBe(false);
  });

  it('a VIP caller rings the senior agent, not the junior one who is just as free', async () => {
    const hub = await startVoiceHub({ ivr: { enabled: false }, vipNumbers: ['+14155550177'] });
    await connectAgent(hub, { seniority: 'junior' });
    const senior = await connectAgent(hub, { seniority: 'senior' });
    const twiml = await incoming(sid('CA'), '+1 415 555 0177');
    expect(one(twiml, 'Identity').textContent).toBe(`agent-${senior.id}`);
    const assigned = await senior.agent.waitForEvent('assigned');
    expect(assigned.bundle.conversation.vip).toBe(true);
  });

  it('nobody free: the call is queued with hold music and its position, and leaves the queue for the agent who becomes free', async () => {
    const hub = await startVoiceHub({ ivr: { enabled: false }, queue: { name: 'support', holdMusicUrl: 'https://music.example/hold.mp3' } });
    const session = await agentSession(hub, { username: 'later' });
    const callSid = sid('CA');
    const twiml = await incoming(callSid, '+14155550155');
    const enqueue = one(twiml, 'Enqueue');
    expect(enqueue.textContent).toBe('support');
    expect(enqueue.getAttribute('waitUrl')).toBe(`${hub.url}/voice/wait`);
    expect(enqueue.getAttribute('action')).toBe(`${hub.url}/voice/queued`);

    const wait = await voicePost('/voice/wait', { CallSid: callSid, QueuePosition: '3', QueueTime: '12', QueueSid: sid('QU') });
    expect(one(wait, 'Say').textContent).toBe('You are number 3 in line. Thank you for waiting.');
    expect(one(wait, 'Play').textContent).toBe('https://music.example/hold.mp3');

    const agent = await TestAgent.connect(hub.url, session.token);
    agents.push(agent);
    await agent.call({ type: 'setPresence', presence: 'available', capacity: { phone: 1 } });
    // The routing authority offers the waiting call; the next turn of the wait loop leaves the queue for whoever has it.
    const offer = await agent.waitForEvent('offer', (e) => e.conversation.channel === 'phone');
    await agent.call({ type: 'acceptOffer', offerId: offer.offerId });
    const leave = await voicePost('/voice/wait', { CallSid: callSid, QueuePosition: '1', QueueTime: '40' });
    expect(tags(leave, 'Leave')).toHaveLength(1);
    const dequeued = await voicePost('/voice/queued', { CallSid: callSid, QueueResult: 'leave', QueueTime: '41' });
    expect(one(dequeued, 'Identity').textContent).toBe(`agent-${session.id}`);
    await agent.waitForEvent('call', (e) => e.callSid === callSid && e.status === 'ringing');
  });

  it('a caller who waited longer than the queue allows leaves it for voicemail', async () => {
    await startVoiceHub({ ivr: { enabled: false }, queue: { maxWaitSeconds: 60 } });
    const callSid = sid('CA');
    expect(tags(await incoming(callSid, '+14155550156'), 'Enqueue')).toHaveLength(1);
    expect(tags(await voicePost('/voice/wait', { CallSid: callSid, QueuePosition: '1', QueueTime: '30' }), 'Play')).toHaveLength(1);
    expect(tags(await voicePost('/voice/wait', { CallSid: callSid, QueuePosition: '1', QueueTime: '61' }), 'Leave')).toHaveLength(1);
    const left = await voicePost('/voice/queued', { CallSid: callSid, QueueResult: 'leave', QueueTime: '61' });
    expect(one(left, 'Say').textContent).toContain('leave a message');
    expect(tags(left, 'Record')).toHaveLength(1);
  });

  it('after hours the caller gets voicemail; the recording becomes a ticket in the queue and the transcription is e-mailed', async () => {
    const hub = await startVoiceHub(
      { voicemail: { supportAddress: 'support@omni.test', fromAddress: 'voicemail@omni.test' }, smtp: { host: smtp.host, port: smtp.port, tls: 'none' } },
      CLOSED_AT,
    );
    const callSid = sid('CA');
    const twiml = await incoming(callSid, '+14155550166');
    expect(one(twiml, 'Say').textContent).toContain('Our office is closed');
    const record = one(twiml, 'Record');
    expect(record.getAttribute('transcribe')).toBe('true');
    expect(record.getAttribute('transcribeCallback')).toBe(`${hub.url}/voice/transcription`);
    expect(record.getAttribute('recordingStatusCallback')).toBe(`${hub.url}/voice/recording`);
    expect(tags(twiml, 'Dial')).toHaveLength(0);

    const recordingSid = sid('RE');
    const recordingUrl = `https://api.twilio.com/2010-04-01/Accounts/${twilio.accountSid}/Recordings/${recordingSid}`;
    await voicePost('/voice/recording', { CallSid: callSid, RecordingSid: recordingSid, RecordingUrl: recordingUrl, RecordingStatus: 'completed', RecordingDuration: '17' });
    // A replayed callback is stored once.
    await voicePost('/voice/recording', { CallSid: callSid, RecordingSid: recordingSid, RecordingUrl: recordingUrl, RecordingStatus: 'completed', RecordingDuration: '17' });
    await voicePost('/voice/transcription', { CallSid: callSid, TranscriptionStatus: 'completed', TranscriptionText: 'Hi, my router keeps rebooting, please call me back.', RecordingUrl: recordingUrl });

    const mail = await waitUntil('the voicemail e-mail', () => smtp.received.find((m) => m.envelope.to.includes('support@omni.test')));
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toMatch(/^Voicemail from \+14155550166 \[hub conversation \d+\]$/);
    expect(parsed.text).toContain('left a voicemail (17 s)');
    expect(parsed.text).toContain('Transcription:\nHi, my router keeps rebooting, please call me back.');
    expect(parsed.text).toContain(`Recording: ${recordingUrl}.mp3`);

    // The voicemail ticket is offered like any other conversation, with the recording and the transcription.
    const { agent } = await connectAgent(hub);
    const offer = await agent.waitForEvent('offer', (e) => e.conversation.channel === 'phone');
    const { bundle } = await agent.call({ type: 'acceptOffer', offerId: offer.offerId });
    const voicemail = bundle.messages.find((m) => m.attachments.some((a) => a.contentType === 'audio/mpeg'));
    expect(voicemail?.attachments[0]?.url).toBe(`${recordingUrl}.mp3`);
    expect(voicemail?.text).toContain('Voicemail (17 s)');
    expect(bundle.messages.filter((m) => m.attachments.length > 0)).toHaveLength(1);
    expect(bundle.messages.find((m) => m.direction === 'internal')?.text).toBe('Voicemail transcription: Hi, my router keeps rebooting, please call me back.');
  });

  it('a call the agent does not answer goes to voicemail and back to the queue', async () => {
    const hub = await startVoiceHub({ ivr: { enabled: false } });
    const { id, agent } = await connectAgent(hub);
    const callSid = sid('CA');
    await incoming(callSid, '+14155550144');
    const assigned = await agent.waitForEvent('assigned');
    const missed = await voicePost(`/voice/dialed?agent=${id}`, { CallSid: callSid, DialCallStatus: 'no-answer', DialCallSid: sid('CA') });
    expect(one(missed, 'Say').textContent).toContain('leave a message');
    expect(tags(missed, 'Record')).toHaveLength(1);
    await agent.waitForEvent('unassigned', (e) => e.conversationId === assigned.bundle.conversation.id);
    await agent.waitForEvent('call', (e) => e.callSid === callSid && e.outcome === 'no-answer');
  });

  it('a call to a hub without a Twilio account is refused with a sentence naming the settings', async () => {
    started = await startHub({});
    const res = await fetch(`${started.url}/voice/incoming`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'CallSid=CA1' });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'voice/not-configured', message: expect.stringContaining('channels.twilio.accountSid') });
  });
});

describe('the IVR', () => {
  it('reads its menu from configuration and sends the chosen issue type to the routing engine', async () => {
    const hub = await startVoiceHub();
    const billing = await connectAgent(hub, { skills: { billing: 5, technical: 1 } });
    const technical = await connectAgent(hub, { skills: { technical: 5, billing: 1 } });

    const first = sid('CA');
    const menu = await incoming(first, '+14155550111');
    const gather = one(menu, 'Gather');
    expect(gather.getAttribute('input')).toBe('dtmf speech');
    expect(gather.getAttribute('action')).toBe(`${hub.url}/voice/menu`);
    const said = tags(gather, 'Say').map((s) => s.textContent);
    expect(said).toContain('For billing, press 1 or say billing.');
    // No open case: no note option.
    expect(said.some((s) => s?.includes('note'))).toBe(false);
    expect(one(menu, 'Redirect').textContent).toBe(`${hub.url}/voice/menu?choice=none`);

    const pressed = await voicePost('/voice/menu', { CallSid: first, From: '+14155550111', To: LINE, Digits: '2' });
    expect(one(pressed, 'Identity').textContent).toBe(`agent-${technical.id}`);
    expect(params(one(pressed, 'Client'))['issueType']).toBe('technical');
    const t = await technical.agent.waitForEvent('assigned');
    expect(t.bundle.conversation.issueType).toBe('technical');

    const second = sid('CA');
    await incoming(second, '+14155550112');
    const spoken = await voicePost('/voice/menu', { CallSid: second, From: '+14155550112', To: LINE, SpeechResult: 'I have a question about my bill.' });
    expect(one(spoken, 'Identity').textContent).toBe(`agent-${billing.id}`);
    expect((await billing.agent.waitForEvent('assigned')).bundle.conversation.issueType).toBe('billing');
  });

  it('0 reaches an agent without an issue type; silence does too', async () => {
    const hub = await startVoiceHub({
      ivr: { options: [{ key: '0', words: ['agent'], action: 'agent', prompt: 'Press 0 for an agent.' }, { key: '1', action: 'route', issueType: 'shipping', prompt: 'Press 1 for shipping.' }] },
    });
    const { id } = await connectAgent(hub);
    const callSid = sid('CA');
    const menu = await incoming(callSid, '+14155550113');
    expect(tags(one(menu, 'Gather'), 'Say').map((s) => s.textContent)).toEqual(['Thank you for calling.', 'Press 0 for an agent.', 'Press 1 for shipping.']);
    const zero = await voicePost('/voice/menu', { CallSid: callSid, From: '+14155550113', To: LINE, Digits: '0' });
    expect(one(zero, 'Identity').textContent).toBe(`agent-${id}`);
    expect(params(one(zero, 'Client'))['issueType']).toBeUndefined();

    const next = await connectAgent(hub);
    const quiet = sid('CA');
    await incoming(quiet, '+14155550114');
    const silence = await voicePost('/voice/menu?choice=none', { CallSid: quiet, From: '+14155550114', To: LINE });
    expect(one(silence, 'Identity').textContent).toBe(`agent-${next.id}`);
  });

  it('a caller with an open case hears its status and leaves a note on it', async () => {
    const hub = await startVoiceHub();
    const { agent } = await connectAgent(hub);
    await twilio.sendSms({ From: '+14155550188', To: LINE, Body: 'Refund for order 5512' });
    const offer = await agent.waitForEvent('offer', (e) => e.conversation.channel === 'sms');
    await agent.call({ type: 'acceptOffer', offerId: offer.offerId });

    const callSid = sid('CA');
    const menu = await incoming(callSid, '+1 (415) 555-0188');
    const said = tags(one(menu, 'Gather'), 'Say').map((s) => s.textContent);
    expect(said).toContain('Your case about Refund for order 5512 is being handled by one of our agents.');
    expect(said).toContain('To leave a note on your open case, press 9 or say note.');

    const note = await voicePost('/voice/menu', { CallSid: callSid, From: '+14155550188', To: LINE, Digits: '9' });
    const gather = one(note, 'Gather');
    expect(gather.getAttribute('input')).toBe('speech');
    const action = gather.getAttribute('action')!;
    expect(action).toBe(`${hub.url}/voice/note?conversation=${offer.conversation.id}`);
    const thanks = await voicePost(action.slice(hub.url.length), { CallSid: callSid, From: '+14155550188', To: LINE, SpeechResult: 'I sent the parcel back on Monday' });
    expect(one(thanks, 'Say').textContent).toBe('Thank you, your note was added to your case.');
    const message = await agent.waitForEvent('message', (e) => e.message.direction === 'internal');
    expect(message.message).toMatchObject({ conversationId: offer.conversation.id, text: 'Note left by the caller by phone: "I sent the parcel back on Monday"' });

    // Another number cannot leave a note on that case through the same URL.
    const other = await voicePost(action.slice(hub.url.length), { CallSid: sid('CA'), From: '+14155550199', To: LINE, SpeechResult: 'spoofed' });
    expect(one(other, 'Say').textContent).toContain('no longer open');
  });
});

describe('outbound calls and call control', () => {
  it("an agent's outbound call dials the number with the configured caller id and is logged for that agent", async () => {
    const hub = await startVoiceHub();
    const { id, agent } = await connectAgent(hub);
    const callSid = sid('CA');
    const twiml = await voicePost('/voice/outbound', { CallSid: callSid, From: `client:agent-${id}`, To: '(415) 555-0122', Direction: 'inbound' });
    const dial = one(twiml, 'Dial');
    expect(dial.getAttribute('callerId')).toBe(LINE);
    expect(one(dial, 'Number').textContent).toBe('+14155550122');
    const ringing = await agent.waitForEvent('call', (e) => e.callSid === callSid);
    expect(ringing).toMatchObject({ direction: 'out', to: '+14155550122', status: 'ringing' });
    const leg = sid('CA');
    await voicePost('/voice/status', { CallSid: leg, ParentCallSid: callSid, CallStatus: 'completed', CallDuration: '65', From: LINE, To: '+14155550122' });
    const done = await agent.waitForEvent('call', (e) => e.callSid === callSid && e.status === 'completed');
    expect(done.durationSec).toBe(65);

    const refused = await voicePost('/voice/outbound', { CallSid: sid('CA'), From: 'client:agent-999', To: '+14155550122' });
    expect(one(refused, 'Say').textContent).toContain('not signed in');
  });

  it('a held call stays one call: the agent leg Twilio drops is not its end, the agent is rung back to resume, and the talk time spans the hold', async () => {
    const hub = await startVoiceHub({ ivr: { enabled: false } });
    const { id, agent } = await connectAgent(hub);
    const callSid = sid('CA');
    await incoming(callSid, '+14155550144');
    const leg = sid('CA');
    await voicePost('/voice/status', { CallSid: leg, ParentCallSid: callSid, CallStatus: 'in-progress', From: '+14155550144', To: `client:agent-${id}` });
    await agent.waitForEvent('call', (e) => e.callSid === callSid && e.status === 'in-progress');

    await agent.call({ type: 'callControl', callSid: leg, action: 'hold' });
    // Twilio ends the softphone's leg as the caller moves into the hold room.
    await voicePost('/voice/status', { CallSid: leg, ParentCallSid: callSid, CallStatus: 'completed', CallDuration: '20', From: '+14155550144', To: `client:agent-${id}` });
    await agent.waitForEvent('call', (e) => e.callSid === callSid && e.outcome === 'on hold');
    expect(callRow(hub, callSid)).toMatchObject({ status: 'in-progress', outcome: 'on hold', durationSec: null });

    await agent.call({ type: 'callControl', callSid: leg, action: 'unhold' });
    const resume = twilio.voiceCalls().at(-1)!;
    const conversationId = callRow(hub, callSid).conversationId;
    expect(resume.form['To']).toBe(`client:agent-${id}?resume=${leg}&conversationId=${conversationId}`);
    expect(resume.form['StatusCallback']).toMatch(new RegExp(`/voice/status\\?call=${callSid}$`));
    const resumed = String(callRow(hub, callSid).otherLegSid);
    expect(resumed).toMatch(/^CA[0-9a-f]{32}$/);
    expect(resumed).not.toBe(leg);

    // The rung-back leg reports to the status URL with the hub's mark; it and the caller's leg end the call.
    const statusOf = `/voice/status?call=${callSid}`;
    await voicePost(statusOf, { CallSid: resumed, CallStatus: 'in-progress', From: LINE, To: `client:agent-${id}` });
    await voicePost(statusOf, { CallSid: resumed, CallStatus: 'completed', CallDuration: '30', From: LINE, To: `client:agent-${id}` });
    await voicePost('/voice/status', { CallSid: callSid, CallStatus: 'completed', CallDuration: '95', From: '+14155550144', To: LINE });
    await agent.waitForEvent('call', (e) => e.callSid === callSid && e.status === 'completed' && e.durationSec === 95);
    expect(callRow(hub, callSid)).toMatchObject({ status: 'completed', outcome: 'answered', durationSec: 95, answeredBy: id });
  });

  it('a caller who hangs up on hold ends the call with that outcome', async () => {
    const hub = await startVoiceHub({ ivr: { enabled: false } });
    const { id, agent } = await connectAgent(hub);
    const callSid = sid('CA');
    await incoming(callSid, '+14155550145');
    const leg = sid('CA');
    await voicePost('/voice/status', { CallSid: leg, ParentCallSid: callSid, CallStatus: 'in-progress', From: '+14155550145', To: `client:agent-${id}` });
    await agent.call({ type: 'callControl', callSid: leg, action: 'hold' });
    await voicePost('/voice/status', { CallSid: leg, ParentCallSid: callSid, CallStatus: 'completed', CallDuration: '12', From: '+14155550145', To: `client:agent-${id}` });
    await voicePost('/voice/status', { CallSid: callSid, CallStatus: 'completed', CallDuration: '40', From: '+14155550145', To: LINE });
    const done = await agent.waitForEvent('call', (e) => e.callSid === callSid && e.status === 'completed');
    expect(done).toMatchObject({ outcome: 'caller hung up on hold', durationSec: 40 });
  });

  it('a hold Twilio refuses leaves the call as it was', async () => {
    const hub = await startVoiceHub({ ivr: { enabled: false } });
    const { id, agent } = await connectAgent(hub);
    const callSid = sid('CA');
    await incoming(callSid, '+14155550146');
    const leg = sid('CA');
    await voicePost('/voice/status', { CallSid: leg, ParentCallSid: callSid, CallStatus: 'in-progress', From: '+14155550146', To: `client:agent-${id}` });
    twilio.failNext({ status: 404, body: { code: 20404, message: 'The requested resource was not found', status: 404 } });
    const refused = await agent.request({ type: 'callControl', callSid: leg, action: 'hold' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'voice/twilio-refused' } });
    expect(callRow(hub, callSid)).toMatchObject({ status: 'in-progress', outcome: null, conference: null });
  });

  it('hold, cold transfer and warm transfer are REST calls to Twilio, and only the agent on the call may make them', async () => {
    const hub = await startVoiceHub({ ivr: { enabled: false }, queue: { holdMusicUrl: 'https://music.example/hold.mp3' } });
    const first = await connectAgent(hub);
    const second = await connectAgent(hub);
    const callSid = sid('CA');
    const twiml = await incoming(callSid, '+14155550133');
    const rung = Number(one(twiml, 'Identity').textContent!.replace('agent-', ''));
    const [mine, other] = rung === first.id ? [first, second] : [second, first];
    const leg = sid('CA');
    await voicePost('/voice/status', { CallSid: leg, ParentCallSid: callSid, CallStatus: 'in-progress', From: '+14155550133', To: `client:agent-${mine.id}` });

    const denied = await other.agent.request({ type: 'callControl', callSid, action: 'hold' });
    expect(denied).toMatchObject({ ok: false, error: { code: 'voice/not-your-call' } });
    expect(twilio.voiceCalls()).toHaveLength(0);

    // The softphone knows its own leg's SID; the hub updates the caller's leg.
    expect(await mine.agent.call({ type: 'callControl', callSid: leg, action: 'hold' })).toEqual({ callSid: leg, action: 'hold' });
    const hold = twilio.voiceCalls()[0]!;
    expect(hold.path).toBe(`/2010-04-01/Accounts/${twilio.accountSid}/Calls/${callSid}.json`);
    const conference = one(parse(hold.form['Twiml']!), 'Conference');
    expect(conference.textContent).toBe(`hold-${callSid}`);
    expect(conference.getAttribute('waitUrl')).toBe('https://music.example/hold.mp3');

    await mine.agent.call({ type: 'callControl', callSid, action: 'unhold' });
    const resume = twilio.voiceCalls()[1]!;
    expect(resume.path).toBe(`/2010-04-01/Accounts/${twilio.accountSid}/Conferences/hold-${callSid}/Participants.json`);
    expect(resume.form).toMatchObject({ To: expect.stringMatching(new RegExp(`^client:agent-${mine.id}\\?resume=${callSid}`)), From: LINE });

    const warm = await mine.agent.call({ type: 'transferCall', callSid, to: { number: '+14155550900' }, mode: 'warm' });
    expect(warm.conference).toBe(`transfer-${callSid}`);
    const [move, self, target] = twilio.voiceCalls().slice(2);
    expect(one(parse(move!.form['Twiml']!), 'Conference').textContent).toBe(`transfer-${callSid}`);
    expect(self!.form).toMatchObject({ To: `client:agent-${mine.id}`, Label: 'transferring agent' });
    expect(target!.form).toMatchObject({ To: '+14155550900', From: LINE, Label: 'transfer target' });

    const cold = await mine.agent.call({ type: 'transferCall', callSid, to: { agentId: other.id }, mode: 'cold' });
    expect(cold).toEqual({ callSid, mode: 'cold', conference: null });
    const moved = twilio.voiceCalls()[5]!;
    expect(one(parse(moved.form['Twiml']!), 'Identity').textContent).toBe(`agent-${other.id}`);
    const handed = await other.agent.waitForEvent('assigned', (e) => e.via === 'transfer');
    expect(handed.bundle.conversation.contact.address).toBe('+14155550133');
    await other.agent.waitForEvent('call', (e) => e.callSid === callSid && e.status === 'ringing');

    // Twilio refusing is a clear error, not a silent success.
    twilio.failNext({ status: 404, body: { code: 20404, message: 'The requested resource was not found', status: 404 } });
    const failed = await other.agent.request({ type: 'callControl', callSid, action: 'hangup' });
    expect(failed).toMatchObject({ ok: false, error: { code: 'voice/twilio-refused', message: expect.stringContaining('20404') } });
  });
});
