// The softphone's server side on real parts: the hub mints Twilio access tokens (checked as Twilio
// would, by their HS256 signature and grants), the desktop fetches them through its hub connection,
// and the screen pop finds callers on a real SQLite file by every stored way of writing a number,
// with one indexed lookup, a provisional profile for strangers and its merge into the real customer.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config';
import { createCore, type Core } from '../../src/main/core';
import { createHubSwitcher } from '../../src/main/hub/hubSwitcher';
import { EncryptedFileSecretStore } from '../../src/main/secrets';
import type { RequestName, RequestOutput } from '../../src/shared/contract';
import type { ErrorInfo } from '../../src/shared/errors';
import { agentSession, startHub, TestAgent } from '../helpers/hub';
import { startTwilioStandin } from '../helpers/providerStandins';
import { tempDir } from '../helpers/tempDir';

const ACCOUNT_SID = `AC${'a'.repeat(32)}`;
const API_KEY_SID = `SK${'b'.repeat(32)}`;
const API_KEY_SECRET = 'integration-api-key-secret-0123';
const TWIML_APP_SID = `AP${'c'.repeat(32)}`;
const VOICE_CONFIG = {
  channels: { twilio: { accountSid: ACCOUNT_SID, authToken: 'integration-auth-token' } },
  voice: { credentials: { apiKeySid: API_KEY_SID, apiKeySecret: API_KEY_SECRET, twimlAppSid: TWIML_APP_SID, tokenTtlSeconds: 600 } },
};

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The claims of a Twilio access token, after checking its HS256 signature with the API key secret (as Twilio does). */
function verified(token: string): Record<string, unknown> & { grants: { identity: string; voice: { incoming: { allow: boolean }; outgoing: { application_sid: string } } }; exp: number; iat?: number; iss: string; sub: string } {
  const [head, body, sig] = token.split('.');
  const expected = crypto.createHmac('sha256', API_KEY_SECRET).update(`${head}.${body}`).digest('base64url');
  expect(sig).toBe(expected);
  expect(JSON.parse(Buffer.from(head!, 'base64url').toString())).toMatchObject({ alg: 'HS256', cty: 'twilio-fpa;v=1' });
  return JSON.parse(Buffer.from(body!, 'base64url').toString()) as ReturnType<typeof verified>;
}

describe('the hub mints the softphone token', () => {
  it('signs a VoiceGrant for agent-<id> with incoming calls and the TwiML App, and a later one expires later', async () => {
    const hub = await startHub({ config: VOICE_CONFIG });
    cleanups.push(() => hub.close());
    const session = await agentSession(hub, { username: 'maya' });
    const agent = await TestAgent.connect(hub.url, session.token);
    cleanups.push(() => agent.close());

    const first = await agent.call({ type: 'voiceToken' });
    expect(first.identity).toBe(`agent-${session.id}`);
    const claims = verified(first.token);
    expect(claims.iss).toBe(API_KEY_SID);
    expect(claims.sub).toBe(ACCOUNT_SID);
    expect(claims.grants.identity).toBe(`agent-${session.id}`);
    expect(claims.grants.voice.incoming.allow).toBe(true);
    expect(claims.grants.voice.outgoing.application_sid).toBe(TWIML_APP_SID);
    expect(first.expiresAt).toBe(claims.exp * 1000);
    expect(first.expiresAt - Date.now()).toBeGreaterThan(590_000);

    // The refresh the softphone makes on tokenWillExpire: a new token with a later expiry.
    await new Promise((r) => setTimeout(r, 1_100));
    const second = await agent.call({ type: 'voiceToken' });
    expect(second.token).not.toBe(first.token);
    expect(verified(second.token).exp).toBeGreaterThan(claims.exp);
  });

  it('refuses without the API key or TwiML App, naming the settings to fill in', async () => {
    const hub = await startHub();
    cleanups.push(() => hub.close());
    const session = await agentSession(hub, { username: 'sam' });
    const agent = await TestAgent.connect(hub.url, session.token);
    cleanups.push(() => agent.close());
    const r = await agent.request({ type: 'voiceToken' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('voice/not-configured');
    expect(!r.ok && r.error.message).toMatch(/channels\.twilio\.accountSid.*voice\.credentials\.apiKeySid.*voice\.credentials\.twimlAppSid/);
  });
});

async function startDesk(hubConfig: Record<string, unknown> = {}): Promise<Core> {
  const tmp = tempDir('omni-voice-');
  cleanups.push(() => tmp.remove());
  const dir = path.join(tmp.dir, 'data');
  fs.mkdirSync(path.join(dir, 'hub'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'hub', 'hub.config.json'), JSON.stringify({ ...VOICE_CONFIG, ...hubConfig }));
  const config = loadConfig({ argv: ['--data-dir', dir, '--no-demo', '--no-auto-reply', '--hub-port', '0'], env: {} });
  const secrets = new EncryptedFileSecretStore({ file: path.join(dir, 'secrets.enc') });
  const switcher = createHubSwitcher(config.hub, { dataDir: config.dataDir, secrets });
  const core = createCore(config, { mode: 'headless', log: () => {}, secrets, mail: false, hub: switcher });
  cleanups.push(() => core.close());
  await core.hub.ready();
  const until = Date.now() + 15_000;
  while (core.hub.status().state !== 'online') {
    if (Date.now() > until) throw new Error('the desktop did not connect to its hub');
    await new Promise((r) => setTimeout(r, 25));
  }
  return core;
}

async function call<K extends RequestName>(core: Core, method: K, input: unknown): Promise<{ ok: true; value: RequestOutput<K> } | { ok: false; error: ErrorInfo }> {
  return (await core.dispatch(method, input, { transport: 'direct' })) as { ok: true; value: RequestOutput<K> } | { ok: false; error: ErrorInfo };
}
async function value<K extends RequestName>(core: Core, method: K, input: unknown): Promise<RequestOutput<K>> {
  const r = await call(core, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

function customer(core: Core, name: string, phone: string): number {
  const at = Date.now() - 86_400_000;
  return core.repo.insertCustomer({
    name,
    company: null,
    title: null,
    tier: 'standard',
    vip: false,
    healthScore: null,
    language: null,
    timezone: null,
    preferredChannel: null,
    createdAt: at,
    identities: [{ kind: 'phone', platform: '', value: phone, display: phone, verified: false, source: 'import', firstSeenAt: at, lastSeenAt: at }],
  });
}

describe('the desktop softphone requests', () => {
  it('fetches the token through the hub connection; hold says plainly that the hub has no call control yet', async () => {
    const core = await startDesk();
    const token = await value(core, 'voiceToken', {});
    expect(token.identity).toMatch(/^agent-\d+$/);
    expect(verified(token.token).grants.identity).toBe(token.identity);
    const setup = await value(core, 'voiceSetup', {});
    expect(setup).toMatchObject({ available: true, signalingHost: null, insecureSignaling: false, wrapUpSeconds: 30, defaultRegion: 'US' });

    const hold = await call(core, 'callControl', { callSid: `CA${'d'.repeat(32)}`, action: 'hold' });
    // This call does not exist at Twilio (and this hub may not offer call control): refused with a sentence either way.
    expect(hold.ok).toBe(false);
    expect(!hold.ok && hold.error.code).toMatch(/^(voice\/unavailable|hub\/refused)$/);
    expect(!hold.ok && hold.error.message).toMatch(/\w+ \w+ \w+/);
    const bad = await call(core, 'callControl', { callSid: 'not-a-sid', action: 'hold' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'rpc/invalid-input' } });
  });

  it('transfers a live call through the hub: a number is read in the softphone region, Twilio gets the REST calls; a bad number never leaves the desktop', async () => {
    let hubUrl = '';
    const twilio = await startTwilioStandin({ hubPublicUrl: () => hubUrl });
    cleanups.push(() => twilio.close());
    const core = await startDesk({ channels: { twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, fromNumber: '+14155550100', apiBaseUrl: twilio.url } } });
    hubUrl = core.hub.connection!.url;
    const { identity } = await value(core, 'voiceToken', {});
    const callSid = `CA${'e'.repeat(32)}`;
    // Twilio reports the call ringing this agent's softphone: the hub records it as theirs.
    const reported = await twilio.sendVoice('/voice/status', { CallSid: callSid, CallStatus: 'in-progress', Direction: 'inbound', From: '+14155550133', To: `client:${identity}` });
    expect(reported.status).toBeLessThan(300);

    const bad = await call(core, 'transferCall', { callSid, to: { number: 'call me maybe' }, mode: 'cold' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-identifier' } });
    expect(twilio.voiceCalls()).toHaveLength(0);

    const warm = await value(core, 'transferCall', { callSid, to: { number: '(415) 555-0900' }, mode: 'warm' });
    expect(warm).toEqual({ callSid, mode: 'warm', conference: `transfer-${callSid}` });
    expect(twilio.voiceCalls().map((c) => c.form['To'])).toContain('+14155550900');
  });

  it('pops the right customer for every stored way of writing a number, by one indexed lookup', async () => {
    const core = await startDesk();
    const stored = ['(415) 555-0101', '415-555-0102', '+1 415 555 0103', '415/555/0104', '1 415 555 0105', '415.555.0106', '+1-415-555-0107', '4155550108'];
    const ids = stored.map((raw, i) => customer(core, `Customer ${i + 1}`, raw));
    for (const [i, id] of ids.entries()) {
      const pop = await value(core, 'screenPop', { callSid: `CA${i}`, caller: `+1415555010${i + 1}`, conversationId: null });
      expect(pop).toMatchObject({ matchedBy: 'phone', provisional: false, customer: { id }, caller: { e164: `+1415555010${i + 1}` } });
    }
    const plan = core.repo.db.prepare(`EXPLAIN QUERY PLAN SELECT i.customer_id AS id FROM identities i WHERE i.kind = 'phone' AND i.platform = '' AND i.value = ?`).all('+14155550101') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/SEARCH i USING (COVERING )?INDEX sqlite_autoindex_identities_1/);
  });

  it('briefs the agent: open case, last message per channel newest first, the call brief of the last email in the notes', async () => {
    const core = await startDesk();
    const id = customer(core, 'Dana Whitfield', '(415) 555-0134');
    const now = Date.now();
    const caseId = core.repo.insertCase({ customerId: id, subject: 'Order #4471 arrived damaged', status: 'open', priority: 'high', issueType: 'shipping', channel: 'email', originChannel: 'email', assignedAgentId: null, createdAt: now - 9e6, updatedAt: now, waitingSince: now, firstResponseAt: null, slaDueAt: null, resolvedAt: null, resolutionCode: null, csatScore: null });
    const msg = (channel: 'email' | 'sms' | 'chat', subject: string | null, body: string, at: number) =>
      core.repo.insertEvent({ caseId, customerId: id, channel, direction: 'in', kind: 'message', authorType: 'customer', authorId: null, authorName: 'Dana', subject, body, occurredAt: at });
    msg('email', 'Old question', 'An older email.', now - 9e6);
    msg('email', 'Order #4471 arrived damaged', 'Hello,\nTwo mugs arrived cracked.\nMy card 4111 1111 1111 1111 was charged twice.', now - 5e6);
    msg('sms', null, 'Sent photos by email', now - 3e6);
    msg('chat', null, 'Any news?', now - 1e6);
    const pop = await value(core, 'screenPop', { callSid: 'CA1', caller: '+14155550134', conversationId: null });
    expect(pop.openCase).toMatchObject({ id: caseId, subject: 'Order #4471 arrived damaged' });
    expect(pop.lastContacts.map((c) => c.channel)).toEqual(['chat', 'sms', 'email']);
    expect(pop.lastContacts[2]).toMatchObject({ subject: 'Order #4471 arrived damaged', at: now - 5e6 });
    // The channel configuration's email → phone rule: the call brief of the last email.
    expect(pop.callNotes.startsWith('Call brief — Dana Whitfield\nSubject: Order #4471 arrived damaged\nLast email (')).toBe(true);
    expect(pop.callNotes).toContain('Two mugs arrived cracked. My card');
    // The brief is masked like the timeline: the card number never reaches the workspace.
    expect(pop.callNotes).not.toContain('4111 1111 1111 1111');
    expect(pop.activeChat).toBeNull();
  });

  it('gives an unknown caller a provisional profile that the next call finds, and merges it into the right customer', async () => {
    const core = await startDesk();
    const first = await value(core, 'screenPop', { callSid: 'CA1', caller: '+44 20 7946 0958', conversationId: null });
    expect(first).toMatchObject({ matchedBy: 'provisional', provisional: true, caller: { e164: '+442079460958' } });
    expect(first.customer.name).toBe('Caller +44 20 7946 0958');
    const again = await value(core, 'screenPop', { callSid: 'CA2', caller: '0044 20 7946 0958', conversationId: null });
    expect(again).toMatchObject({ matchedBy: 'phone', provisional: true, customer: { id: first.customer.id } });

    const known = core.repo.insertCustomer({ name: 'Priya Natarajan', company: null, title: null, tier: 'enterprise', vip: false, healthScore: null, language: null, timezone: null, preferredChannel: 'email', createdAt: Date.now(), identities: [{ kind: 'email', platform: '', value: 'priya@example.com', display: 'priya@example.com', verified: true, source: 'email', firstSeenAt: 1, lastSeenAt: 1 }] });
    const notes = await value(core, 'saveCallNotes', { callSid: 'CA2', customerId: first.customer.id, caseId: null, body: 'Asked about the invoice.' });
    expect(notes).toMatchObject({ kind: 'note', channel: 'phone', direction: 'internal' });
    const merged = await value(core, 'mergeCaller', { provisionalId: first.customer.id, intoCustomerId: known });
    expect(merged).toEqual({ customerId: known, moved: { identities: 1, cases: 0, events: 1 } });
    const after = await value(core, 'screenPop', { callSid: 'CA3', caller: '+442079460958', conversationId: null });
    expect(after).toMatchObject({ matchedBy: 'phone', provisional: false, customer: { id: known, name: 'Priya Natarajan' } });

    const twice = await call(core, 'mergeCaller', { provisionalId: first.customer.id, intoCustomerId: known });
    expect(twice).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
