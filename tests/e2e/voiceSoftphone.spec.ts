// The softphone with the real @twilio/voice-sdk in Chromium, against a local stand-in of Twilio's
// signaling (tests/helpers/twilioVoiceStandin.ts) and a caller page whose RTCPeerConnection is the
// customer's phone. The workspace runs headless with its built-in hub, which mints the tokens.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import twilio from 'twilio';
import type { runHeadless as RunHeadless, HeadlessRun } from '../../src/main/headless/main';
import { startTwilioVoiceStandin, type TwilioVoiceStandin } from '../helpers/twilioVoiceStandin';

const MEDIA_ARGS = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'];
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage', ...MEDIA_ARGS],
  },
});
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const ACCOUNT_SID = `AC${'1'.repeat(32)}`;
const AUTH_TOKEN = 'standin-auth-token-0123456789abcdef';
const API_KEY_SECRET = 'standin-api-key-secret-0123456789';
const DANA_PHONE_AS_STORED = '(415) 555-0134';
const DANA_E164 = '+14155550134';

let standin: TwilioVoiceStandin;
let run: HeadlessRun;
let dataDir: string;
let dana: { customerId: number; caseId: number };

/** Dana: a phone number stored the way she typed it, an open case, an email and, later, a chat. */
function seedDana(h: HeadlessRun): { customerId: number; caseId: number } {
  const repo = h.core.repo;
  const now = Date.now();
  const hour = 3_600_000;
  const customerId = repo.insertCustomer({
    name: 'Dana Whitfield',
    company: 'Whitfield Ceramics',
    title: null,
    tier: 'premium',
    vip: true,
    healthScore: 62,
    language: 'en',
    timezone: 'America/Los_Angeles',
    preferredChannel: 'email',
    createdAt: now - 48 * hour,
    identities: [
      { kind: 'phone', platform: '', value: DANA_PHONE_AS_STORED, display: DANA_PHONE_AS_STORED, verified: false, source: 'import', firstSeenAt: now - 48 * hour, lastSeenAt: now - 48 * hour },
      { kind: 'email', platform: '', value: 'dana@whitfield.example', display: 'dana@whitfield.example', verified: true, source: 'email', firstSeenAt: now - 48 * hour, lastSeenAt: now - 48 * hour },
    ],
  });
  const caseId = repo.insertCase({
    customerId,
    subject: 'Order #4471 arrived damaged',
    status: 'open',
    priority: 'high',
    issueType: 'shipping',
    channel: 'chat',
    originChannel: 'email',
    assignedAgentId: null,
    createdAt: now - 30 * hour,
    updatedAt: now - 2 * hour,
    waitingSince: now - 2 * hour,
    firstResponseAt: null,
    slaDueAt: null,
    resolvedAt: null,
    resolutionCode: null,
    csatScore: null,
  });
  const event = (channel: 'email' | 'chat', subject: string | null, body: string, at: number) =>
    repo.insertEvent({ caseId, customerId, channel, direction: 'in', kind: 'message', authorType: 'customer', authorId: null, authorName: 'Dana Whitfield', subject, body, occurredAt: at });
  event('email', 'Order #4471 arrived damaged', 'Hi team,\nTwo of the six mugs in order #4471 arrived cracked.\nCan you send replacements before Friday?\nPhotos attached.\n\nThanks, Dana', now - 30 * hour);
  event('chat', null, 'Any news on the replacement mugs?', now - 2 * hour);
  return { customerId, caseId };
}

test.beforeAll(async () => {
  const bundle = path.resolve('dist/main/headless.js');
  if (!fs.existsSync(bundle)) throw new Error('dist/main/headless.js is missing: run `npm run build` before the end-to-end tests.');
  standin = await startTwilioVoiceStandin({ apiKeySecret: API_KEY_SECRET, firstTtlSeconds: 12 });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omni-voice-e2e-'));
  fs.mkdirSync(path.join(dataDir, 'hub'), { recursive: true });
  fs.writeFileSync(
    path.join(dataDir, 'hub', 'hub.config.json'),
    JSON.stringify({
      channels: { twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, fromNumber: '+14155550100', apiBaseUrl: standin.url } },
      voice: { credentials: { apiKeySid: `SK${'2'.repeat(32)}`, apiKeySecret: API_KEY_SECRET, twimlAppSid: `AP${'3'.repeat(32)}`, callerId: '+14155550100', tokenTtlSeconds: 3600 }, hours: { id: 'phone-line', timeZone: 'UTC', weekly: '24/7' } },
    }),
  );
  fs.writeFileSync(
    path.join(dataDir, 'omni-desk.config.json'),
    JSON.stringify({
      demo: { customers: 20, conversations: 40, events: 200 },
      voice: { signalingHost: standin.host, insecureSignaling: true, wrapUpSeconds: 3, watchdog: { checkEveryMs: 500, stuckAfterMs: 3_000, staleAfterMs: 600_000 } },
    }),
  );
  const { runHeadless } = (await import(pathToFileURL(bundle).href)) as { runHeadless: typeof RunHeadless };
  run = await runHeadless(['--port', '0', '--hub-port', '0', '--data-dir', dataDir], {});
  standin.setStatusCallback({ url: `${run.hub!.connection.url}/voice/status`, authToken: AUTH_TOKEN, accountSid: ACCOUNT_SID });
  dana = seedDana(run);
});

test.afterAll(async () => {
  await run?.stop();
  await standin?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Phones {
  context: BrowserContext;
  agent: Page;
  caller: Page;
  identity: string;
}

/** The agent's workspace (RTCPeerConnections kept for their stats) and the caller's phone page. */
async function openPhones(browser: Browser): Promise<Phones> {
  const context = await browser.newContext({ permissions: ['microphone'] });
  await context.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const list: RTCPeerConnection[] = [];
    (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections = list;
    window.RTCPeerConnection = class extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        list.push(this);
      }
    } as typeof RTCPeerConnection;
    // DTMF goes in-band (RFC 4733 over RTP) where the browser can: the tones handed to the sender are recorded.
    const tones: string[] = [];
    (window as unknown as { dtmfTones: string[] }).dtmfTones = tones;
    const insert = RTCDTMFSender.prototype.insertDTMF;
    RTCDTMFSender.prototype.insertDTMF = function (this: RTCDTMFSender, t: string, ...rest: [number?, number?]) {
      tones.push(t);
      return insert.call(this, t, ...rest);
    };
  });
  const agent = await context.newPage();
  await agent.goto(run.server.url);
  await expect(agent.getByRole('region', { name: 'Softphone' }).getByText('Ready for calls')).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => standin.registered().length, { message: 'the Device registers with the stand-in' }).toBeGreaterThan(0);
  const identity = standin.registered()[0]!;
  const caller = await context.newPage();
  await caller.goto(standin.callerPageUrl);
  await expect(caller.locator('#state')).toHaveText('ready');
  return { context, agent, caller, identity };
}

/** RTP audio bytes of the agent's live peer connection. */
async function agentRtp(agent: Page): Promise<{ received: number; sent: number }> {
  return agent.evaluate(async () => {
    let received = 0;
    let sent = 0;
    for (const pc of (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s: { type: string; kind?: string; bytesReceived?: number; bytesSent?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') received += s.bytesReceived ?? 0;
        if (s.type === 'outbound-rtp' && s.kind === 'audio') sent += s.bytesSent ?? 0;
      });
    }
    return { received, sent };
  });
}

async function callerRtp(caller: Page): Promise<{ received: number; sent: number }> {
  return caller.evaluate(() => (window as unknown as { rtpBytes: () => Promise<{ received: number; sent: number }> }).rtpBytes());
}

/** Audio flows both ways: bytes received keep growing on both peers. */
async function expectTwoWayAudio(p: Phones): Promise<void> {
  const a0 = await agentRtp(p.agent);
  const c0 = await callerRtp(p.caller);
  await expect.poll(async () => (await agentRtp(p.agent)).received - a0.received, { message: 'the agent hears the caller', timeout: 15_000 }).toBeGreaterThan(2_000);
  await expect.poll(async () => (await callerRtp(p.caller)).received - c0.received, { message: 'the caller hears the agent', timeout: 15_000 }).toBeGreaterThan(2_000);
}

test('a call rings, pops the caller with her cross-channel context, is answered with audio both ways and hung up into wrap-up', async ({ browser }) => {
  const p = await openPhones(browser);
  try {
    // The token is renewed on tokenWillExpire (the stand-in reported a 12 s lifetime): a second, newer token arrives.
    await expect.poll(() => new Set(standin.tokens).size, { message: 'the Device presents a refreshed token', timeout: 20_000 }).toBeGreaterThan(1);

    const call = await standin.ring(p.identity, DANA_E164, { caller: DANA_E164 });
    const pop = p.agent.getByRole('alert', { name: 'Incoming call' });
    await expect(pop).toBeVisible();
    await expect(pop.getByText('Dana Whitfield', { exact: true })).toBeVisible();
    await expect(pop.getByText('Whitfield Ceramics')).toBeVisible();
    await expect(pop.getByText(/Customer previously contacted via chat at \d{1,2}:\d{2}\s?[AP]M/)).toBeVisible();
    await expect(pop.getByRole('button', { name: /#\d+ Order #4471 arrived damaged/ })).toBeVisible();
    await expect(pop.getByText(/Two of the six mugs in order #4471 arrived cracked/).first()).toBeVisible();
    const notes = pop.getByRole('textbox', { name: 'Call notes' });
    await expect(notes).toHaveValue(/^Call brief — Dana Whitfield\nSubject: Order #4471 arrived damaged\nLast email \([^)]+\): .*Two of the six mugs in order #4471 arrived cracked\./);
    fs.mkdirSync('test-results', { recursive: true });
    await p.agent.screenshot({ path: 'test-results/voice-screen-pop.png' });

    await pop.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => call.status, { message: 'the SDK sends its answer' }).toBe('in-progress');
    const live = p.agent.getByRole('region', { name: 'Current call' });
    await expect(live.getByText('Connected')).toBeVisible();
    await expectTwoWayAudio(p);
    await expect(p.agent.getByLabel('Status')).toHaveValue('on_call');
    await expect(live.getByLabel('Call duration')).toHaveText(/0:0[1-9]|0:[1-5]\d/);

    // Hold goes through the hub; without the hub's call control the agent is told so and the call goes on.
    await live.getByRole('button', { name: 'Hold' }).click();
    const holdError = p.agent.getByRole('region', { name: 'Softphone' }).getByRole('alert').filter({ hasText: /hold|Hold/ });
    const held = live.getByRole('button', { name: 'Resume' });
    await expect(holdError.or(held)).toBeVisible();

    await live.getByRole('button', { name: 'Keypad' }).click();
    await live.getByRole('button', { name: 'Tone 5' }).click();
    // In-band on the call's RTP sender, or as a signaling `dtmf` frame where the browser has no DTMF sender.
    await expect.poll(async () => call.digits + (await p.agent.evaluate(() => (window as unknown as { dtmfTones: string[] }).dtmfTones.join('')))).toBe('5');

    const liveNotes = live.getByRole('textbox', { name: 'Call notes' });
    await expect(liveNotes).toHaveValue(/^Call brief — Dana Whitfield\nSubject: Order #4471/);
    await liveNotes.fill('Replacement mugs promised by Friday.');
    await live.getByRole('button', { name: 'Save notes' }).click();
    await expect(live.getByRole('button', { name: 'Notes saved' })).toBeVisible();
    await p.agent.screenshot({ path: 'test-results/voice-live-call.png' });

    await live.getByRole('button', { name: 'Hang up' }).click();
    await expect.poll(() => call.endedBy).toBe('agent');
    expect(call.status).toBe('completed');
    await expect(live).toBeHidden();
    await expect(p.agent.getByText(/Wrap-up: 0:0\d left/)).toBeVisible();
    await expect(p.agent.getByLabel('Status')).toHaveValue('wrap_up');
    // The configured 3 s of wrap-up, then offers come again.
    await expect(p.agent.getByLabel('Status')).toHaveValue('available', { timeout: 10_000 });

    // The notes are on Dana's timeline.
    const timeline = await run.core.dispatch('customerTimeline', { customerId: dana.customerId }, { transport: 'direct' });
    expect(timeline.ok && (timeline.value as { events: Array<{ body: string }> }).events.some((e) => e.body === 'Replacement mugs promised by Friday.')).toBe(true);
  } finally {
    await p.context.close();
  }
});

test('an unknown caller gets a provisional profile, and the caller hanging up before the answer clears the pop', async ({ browser }) => {
  const p = await openPhones(browser);
  try {
    const call = await standin.ring(p.identity, '+442079460958', { caller: '+442079460958' });
    const pop = p.agent.getByRole('alert', { name: 'Incoming call' });
    await expect(pop.getByText('New caller (provisional profile)')).toBeVisible();
    await expect(pop.getByText('Caller +44 20 7946 0958')).toBeVisible();
    standin.hangUpFromCaller(call.callSid);
    await expect(pop).toBeHidden();
  } finally {
    await p.context.close();
  }
});

// The desktop app holds a global shortcut while a call rings; pressing it (in any application)
// reaches the workspace as callAnswerRequested, which the shell sends and this test sends the same way.
test('the global answer shortcut answers the ringing call', async ({ browser }) => {
  const p = await openPhones(browser);
  try {
    const call = await standin.ring(p.identity, '+442079460959', { caller: '+442079460959' });
    await expect(p.agent.getByRole('alert', { name: 'Incoming call' })).toBeVisible();
    run.core.emit('callAnswerRequested', { source: 'shortcut' });
    await expect.poll(() => call.status, { message: 'the SDK sends its answer' }).toBe('in-progress');
    const live = p.agent.getByRole('region', { name: 'Current call' });
    await expect(live.getByText('Connected')).toBeVisible();
    // Pressed again with nothing ringing, it does nothing.
    run.core.emit('callAnswerRequested', { source: 'shortcut' });
    await live.getByRole('button', { name: 'Hang up' }).click();
    await expect.poll(() => call.status).toBe('completed');
  } finally {
    await p.context.close();
  }
});

test('outgoing calls from the dial pad and from a tel: link ring, are answered and logged', async ({ browser }) => {
  const p = await openPhones(browser);
  try {
    const phone = p.agent.getByRole('region', { name: 'Softphone' });
    await phone.getByRole('button', { name: 'Dial pad' }).click();
    const pad = phone.getByRole('form', { name: 'Dial pad' });
    await pad.getByLabel('Number to call').fill('415-555-0199');
    await pad.getByRole('button', { name: 'Call' }).click();
    const first = await standin.waitForOutgoing();
    expect(first.to).toBe('+14155550199');
    const live = p.agent.getByRole('region', { name: 'Current call' });
    await expect(live.getByText('Connected')).toBeVisible();
    await expectTwoWayAudio(p);
    await live.getByRole('button', { name: 'Hang up' }).click();
    await expect.poll(() => first.status).toBe('completed');
    await expect(live).toBeHidden();
    await p.agent.getByRole('button', { name: 'Ready now' }).click();

    // Dana's profile: her number, stored as she wrote it, is a tel: link.
    await p.agent.getByRole('listbox', { name: 'Queue' }).getByRole('option', { name: /^Chat Dana Whitfield/ }).click();
    const profile = p.agent.getByRole('complementary', { name: 'Customer profile' });
    await profile.getByRole('link', { name: DANA_PHONE_AS_STORED }).click();
    await expect.poll(async () => (await standin.waitForOutgoing()).to).toBe(DANA_E164);
    await expect(live.getByText('Connected')).toBeVisible();
    await live.getByRole('button', { name: 'Hang up' }).click();
    const second = standin.calls.filter((c) => c.direction === 'out').at(-1)!;
    await expect.poll(() => second.status).toBe('completed');
    expect(second.answeredAt).not.toBeNull();
    // Logged: the hub's status callbacks put the outgoing call on Dana's timeline, found by her number.
    await expect
      .poll(async () => {
        const r = await run.core.dispatch('customerTimeline', { customerId: dana.customerId }, { transport: 'direct' });
        const events = r.ok ? (r.value as { events: Array<{ kind: string; direction: string; metadata: Record<string, unknown> }> }).events : [];
        return events.find((e) => e.kind === 'call' && e.metadata.callSid === second.callSid)?.direction ?? null;
      }, { message: 'the outgoing call is on the timeline', timeout: 15_000 })
      .toBe('out');
  } finally {
    await p.context.close();
  }
});

test('a dropped signaling socket during a call resumes the call; dropped while idle, the watchdog restores the registration', async ({ browser }) => {
  const p = await openPhones(browser);
  try {
    const call = await standin.ring(p.identity, DANA_E164, { caller: DANA_E164 });
    await p.agent.getByRole('alert', { name: 'Incoming call' }).getByRole('button', { name: 'Accept' }).click();
    const live = p.agent.getByRole('region', { name: 'Current call' });
    await expect(live.getByText('Connected')).toBeVisible();

    const before = standin.registerCount(p.identity);
    standin.dropSockets();
    await expect.poll(() => standin.registerCount(p.identity), { message: 'the Device registers again after the drop', timeout: 20_000 }).toBeGreaterThan(before);
    await expect(live.getByText('Connected')).toBeVisible({ timeout: 15_000 });
    await expectTwoWayAudio(p);
    await live.getByRole('button', { name: 'Hang up' }).click();
    await expect.poll(() => call.status).toBe('completed');
    await p.agent.getByRole('button', { name: 'Ready now' }).click();

    // Idle: the socket drops and the SDK's own re-register is lost (no answer): the Device sits in
    // "registering" and calls would ring nowhere, until the watchdog rebuilds it.
    await expect(p.agent.getByText('Ready for calls')).toBeVisible();
    const idleBefore = standin.registerCount(p.identity);
    standin.ignoreRegisters(1);
    standin.dropSockets();
    await expect(p.agent.getByText('Registering the phone…').or(p.agent.getByText('Phone not registered'))).toBeVisible({ timeout: 10_000 });
    await expect.poll(() => standin.registerCount(p.identity), { message: 'the watchdog registers again', timeout: 20_000 }).toBeGreaterThan(idleBefore + 1);
    await expect(p.agent.getByText('Ready for calls')).toBeVisible({ timeout: 20_000 });
    expect(standin.isRegistered(p.identity)).toBe(true);

    const again = await standin.ring(p.identity, DANA_E164, { caller: DANA_E164 });
    await expect(p.agent.getByRole('alert', { name: 'Incoming call' }).getByText('Dana Whitfield', { exact: true })).toBeVisible();
    standin.hangUpFromCaller(again.callSid);
  } finally {
    await p.context.close();
  }
});

test('an agent in an SMS conversation with the caller, and busy, gets the pop with that context and offers a callback in one click', async ({ browser }) => {
  // Dana texts the support number (a signed Twilio webhook to the hub); the agent takes the conversation.
  const hubUrl = run.hub!.connection.url;
  const fields = { MessageSid: 'SM0123456789abcdef0123456789abcdef', AccountSid: ACCOUNT_SID, From: DANA_E164, To: '+14155550100', Body: 'Can I call about the mugs?', NumMedia: '0', ApiVersion: '2010-04-01' };
  const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${hubUrl}/webhooks/twilio/sms`, fields);
  const sms = await fetch(`${hubUrl}/webhooks/twilio/sms`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature }, body: new URLSearchParams(fields).toString() });
  expect(sms.status).toBe(200);
  const p = await openPhones(browser);
  try {
    const offer = p.agent.getByRole('region', { name: 'Offered conversations' }).getByRole('article').filter({ hasText: 'Can I call about the mugs?' });
    await offer.getByRole('button', { name: /Accept/ }).click();
    await expect(offer).toBeHidden();
    await p.agent.getByLabel('Status').selectOption('busy');
    await expect(p.agent.getByLabel('Status')).toHaveValue('busy');

    await standin.ring(p.identity, DANA_E164, { caller: DANA_E164 });
    const pop = p.agent.getByRole('alert', { name: 'Incoming call' });
    await expect(pop.getByText(/You are already talking with this customer on SMS \(case #\d+\)/)).toBeVisible();
    await expect(pop.getByText('Dana Whitfield', { exact: true })).toBeVisible();
    await pop.getByRole('button', { name: 'Offer a callback in the chat' }).click();
    await expect(pop).toBeHidden();
    await expect
      .poll(async () => {
        const r = await run.core.dispatch('customerTimeline', { customerId: dana.customerId }, { transport: 'direct' });
        const events = r.ok ? (r.value as { events: Array<{ channel: string; direction: string; body: string }> }).events : [];
        return events.some((e) => e.channel === 'sms' && e.direction === 'out' && e.body.includes('will call you back at +1 415 555 0134'));
      }, { message: 'the callback offer is sent in the SMS conversation' })
      .toBe(true);
  } finally {
    await p.agent.getByLabel('Status').selectOption('available').catch(() => undefined);
    await p.context.close();
  }
});

/** axe over the softphone strip: no serious or critical violations. */
async function expectAccessibleSoftphone(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).include('.softphone').analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map((v) => `[${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}`).join('\n')}`).join('\n');
  expect(serious.map((v) => v.id), `${what}:\n${report}`).toEqual([]);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`the incoming pop, the live call and the dial pad have no serious accessibility violations (${scheme} theme)`, async ({ browser }) => {
    const p = await openPhones(browser);
    try {
      await p.agent.emulateMedia({ colorScheme: scheme });
      await p.agent.bringToFront();
      const call = await standin.ring(p.identity, DANA_E164, { caller: DANA_E164 });
      const pop = p.agent.getByRole('alert', { name: 'Incoming call' });
      await expect(pop.getByRole('textbox', { name: 'Call notes' })).toHaveValue(/Call brief/);
      await p.agent.screenshot({ path: `test-results/voice-pop-${scheme}.png` });
      await expectAccessibleSoftphone(p.agent, `incoming pop (${scheme})`);
      await pop.getByRole('button', { name: 'Accept' }).click();
      const live = p.agent.getByRole('region', { name: 'Current call' });
      await expect(live.getByText('Connected')).toBeVisible();
      await live.getByRole('button', { name: 'Keypad' }).click();
      await live.getByRole('button', { name: 'Transfer…' }).click();
      const transfer = live.getByRole('form', { name: 'Transfer the call' });
      await expect(transfer.getByLabel('Transfer to').getByRole('option', { name: 'The phone queue' })).toHaveCount(1);
      await expect(transfer.getByRole('radio', { name: /Warm/ })).toBeVisible();
      const phone = p.agent.getByRole('region', { name: 'Softphone' });
      await phone.getByText('Audio', { exact: true }).click();
      // Chromium can route audio (setSinkId): ringtone and call outputs are offered apart, with the fake devices.
      await expect(phone.getByLabel('Ringtone output')).toBeEnabled();
      await expect(phone.getByLabel('Call audio output')).toBeEnabled();
      await expect(phone.getByLabel('Call audio output').getByRole('option', { name: 'Fake Audio Output 1' })).toHaveCount(1);
      await p.agent.screenshot({ path: `test-results/voice-call-${scheme}.png` });
      await expectAccessibleSoftphone(p.agent, `live call (${scheme})`);
      await live.getByRole('button', { name: 'Hang up' }).click();
      await expect.poll(() => call.status).toBe('completed');
      await p.agent.getByRole('button', { name: 'Dial pad' }).click();
      await expect(p.agent.getByRole('form', { name: 'Dial pad' })).toBeVisible();
      await expectAccessibleSoftphone(p.agent, `wrap-up and dial pad (${scheme})`);
      // Wrap-up lasts 3 s here; on a slow machine the checks above may outlast it.
      const ready = p.agent.getByRole('button', { name: 'Ready now' });
      if (await ready.isVisible()) await ready.click();
    } finally {
      await p.context.close();
    }
  });
}

// The whole path: the hub's /voice/incoming routes the call, the stand-in's signed status callbacks
// reach /voice/status, the `call` event lands as one timeline row with its duration.
test('a hung-up call is logged on the customer timeline with its duration', async ({ browser }) => {
  // The earlier tests' calls left open phone conversations on this agent: they do not keep the line
  // busy. Calls they left ringing end the way Twilio ends them (the caller gives up).
  await standin.endAllCalls();
  const p = await openPhones(browser);
  if ((await p.agent.getByLabel('Status').inputValue()) !== 'available') await p.agent.getByLabel('Status').selectOption('available');
  try {
    // As Twilio does it: /voice/incoming picks the agent and dials their client with the caller's parameters.
    const { call: routed, twiml } = await standin.ringThroughHub(DANA_E164);
    expect(routed, `the hub's TwiML dials this agent: ${twiml}`).not.toBeNull();
    const call = routed!;
    await p.agent.getByRole('alert', { name: 'Incoming call' }).getByRole('button', { name: 'Accept' }).click();
    const live = p.agent.getByRole('region', { name: 'Current call' });
    await expect(live.getByText('Connected')).toBeVisible();
    await p.agent.waitForTimeout(2_500);
    await live.getByRole('button', { name: 'Hang up' }).click();
    await expect.poll(() => call.status).toBe('completed');
    await expect
      .poll(async () => {
        const r = await run.core.dispatch('customerTimeline', { customerId: dana.customerId }, { transport: 'direct' });
        const events = r.ok ? (r.value as { events: Array<{ kind: string; metadata: Record<string, unknown> }>; }).events : [];
        return events.find((e) => e.kind === 'call' && e.metadata.callSid === call.parentSid)?.metadata.durationSec ?? null;
      }, { message: 'the call is on the timeline with its duration', timeout: 15_000 })
      .toBeGreaterThanOrEqual(2);
  } finally {
    await p.context.close();
  }
});

async function callRowOf(callSid: string): Promise<Record<string, unknown> | null> {
  const r = await run.core.dispatch('customerTimeline', { customerId: dana.customerId }, { transport: 'direct' });
  const events = r.ok ? (r.value as { events: Array<{ kind: string; body: string; metadata: Record<string, unknown> }> }).events : [];
  const row = events.find((e) => e.kind === 'call' && e.metadata.callSid === callSid);
  return row ? { body: row.body, ...row.metadata } : null;
}

// Hold through the hub with Twilio's REST API (the stand-in): the caller moves into a hold room and
// Twilio ends the agent's leg; the workspace keeps the call, the timer runs on, Resume rings the
// softphone back and it picks up on its own; the row on the timeline is one call spanning the hold.
test('hold keeps the call: resume rings the softphone back and it picks up by itself, and a caller hanging up on hold ends it', async ({ browser }) => {
  const p = await openPhones(browser);
  try {
    // The previous test's page closed during its wrap-up: the agent says they are ready.
    if ((await p.agent.getByLabel('Status').inputValue()) !== 'available') await p.agent.getByLabel('Status').selectOption('available');
    await expect(p.agent.getByLabel('Status')).toHaveValue('available');
    const { call: routed, twiml } = await standin.ringThroughHub(DANA_E164);
    expect(routed, `the hub's TwiML dials this agent: ${twiml}`).not.toBeNull();
    const leg = routed!;
    const callerCall = standin.calls.find((c) => c.callSid === leg.parentSid)!;
    await p.agent.getByRole('alert', { name: 'Incoming call' }).getByRole('button', { name: 'Accept' }).click();
    const live = p.agent.getByRole('region', { name: 'Current call' });
    await expect(live.getByText('Connected')).toBeVisible();
    await live.getByRole('textbox', { name: 'Call notes' }).fill('Asked about the replacement mugs.');
    await p.agent.waitForTimeout(1_200);

    await live.getByRole('button', { name: 'Hold' }).click();
    await expect(live.getByText('On hold')).toBeVisible();
    await expect(live.getByRole('button', { name: 'Resume' })).toBeEnabled();
    // Twilio ended the agent's leg; the caller's call goes on, and so does the workspace's.
    await expect.poll(() => leg.status).toBe('completed');
    expect(callerCall.endedAt).toBeNull();
    expect(standin.rest.at(-1)!.form['Twiml']).toContain(`hold-${callerCall.callSid}`);
    await expect(p.agent.getByLabel('Status')).toHaveValue('on_call');
    await expect(p.agent.getByText(/Wrap-up/)).toBeHidden();
    const heldAt = await live.getByLabel('Call duration').textContent();

    await live.getByRole('button', { name: 'Resume' }).click();
    // The hub adds the agent back to the hold room; the softphone takes that call without a pop.
    await expect(live.getByText('Connected')).toBeVisible();
    await expect(p.agent.getByRole('alert', { name: 'Incoming call' })).toBeHidden();
    const resumed = standin.calls.find((c) => c.joins === callerCall.callSid)!;
    expect(resumed.params['resume']).toBe(leg.callSid);
    await expect.poll(() => resumed.status).toBe('in-progress');
    await expectTwoWayAudio(p);
    // The timer runs from the first answer, and the notes are still there.
    await expect.poll(async () => (await live.getByLabel('Call duration').textContent()) ?? '').not.toBe(heldAt);
    await expect(live.getByRole('textbox', { name: 'Call notes' })).toHaveValue(/Asked about the replacement mugs\./);

    // A second hold, and the caller gives up waiting.
    await live.getByRole('button', { name: 'Hold' }).click();
    await expect(live.getByText('On hold')).toBeVisible();
    await expect.poll(() => resumed.status).toBe('completed');
    standin.hangUpFromCaller(callerCall.callSid);
    await expect(live).toBeHidden({ timeout: 15_000 });
    await expect(p.agent.getByLabel('Status')).toHaveValue('wrap_up');
    await expect
      .poll(() => callRowOf(callerCall.callSid), { message: 'one call row, ended on hold, spanning the whole call', timeout: 15_000 })
      .toMatchObject({ status: 'completed', outcome: 'caller hung up on hold', durationSec: expect.any(Number) });
    expect(standin.calls.filter((c) => c.joins === callerCall.callSid || c.parentSid === callerCall.callSid)).toHaveLength(2);
  } finally {
    await p.context.close();
  }
});
