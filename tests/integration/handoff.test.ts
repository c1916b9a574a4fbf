// The channel configuration's handoff rules where the product hands a conversation on, on real parts:
// a desktop with its built-in hub (the rules are the matrix that hub pushes, version 1 from its config)
// and a team hub over real sockets, each desktop on its own SQLite file. With a rule, the bundle
// arrives (the chat transcript on the email, the public context as a note, the call brief, the whole
// history of an escalation); once an admin saves a version without it, nothing is added.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createChannelConfigService } from '../../src/main/channelConfig/channelConfigService';
import { loadConfig } from '../../src/main/config';
import { createCore, type Core } from '../../src/main/core';
import { createHandoffService } from '../../src/main/handoff/handoffService';
import { createHubService, type HubService } from '../../src/main/hub/hubService';
import { createHubSwitcher } from '../../src/main/hub/hubSwitcher';
import { EncryptedFileSecretStore } from '../../src/main/secrets';
import { openDatabase, type Db } from '../../src/main/store/database';
import { MIGRATIONS } from '../../src/main/store/migrations';
import { OutboxStore } from '../../src/main/store/outboxStore';
import { Repository } from '../../src/main/store/repository';
import type { HandoffRule } from '../../src/shared/cases/handoff';
import type { ChannelMatrix } from '../../src/shared/channelConfig';
import type { RequestName, RequestOutput } from '../../src/shared/contract';
import type { Channel } from '../../src/shared/domain';
import type { ErrorInfo } from '../../src/shared/errors';
import { agentSession, startHub, TestAgent, type StartedHub } from '../helpers/hub';
import { tempDir } from '../helpers/tempDir';
import { waitFor } from '../helpers/wait';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startDesk(): Promise<Core> {
  const tmp = tempDir('omni-handoff-');
  cleanups.push(() => tmp.remove());
  const dir = path.join(tmp.dir, 'data');
  fs.mkdirSync(dir, { recursive: true });
  const config = loadConfig({ argv: ['--data-dir', dir, '--no-demo', '--no-auto-reply', '--hub-port', '0'], env: {} });
  const secrets = new EncryptedFileSecretStore({ file: path.join(dir, 'secrets.enc') });
  const switcher = createHubSwitcher(config.hub, { dataDir: config.dataDir, secrets });
  const core = createCore(config, { mode: 'headless', log: () => {}, secrets, mail: false, hub: switcher });
  cleanups.push(() => core.close());
  await core.hub.ready();
  await waitFor('the built-in hub online', () => core.hub.status().state === 'online');
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

const keptVersion = (db: Db) => (db.prepare('SELECT max(version) AS v FROM channel_config_applied').get() as { v: number | null }).v;
const without = (matrix: ChannelMatrix, drop: (r: HandoffRule) => boolean): ChannelMatrix => ({ ...structuredClone(matrix), handoff: matrix.handoff.filter((r) => !drop(r)) });

function seedCustomer(repo: Repository, name: string): number {
  const at = Date.now() - 86_400_000;
  return repo.insertCustomer({
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
    identities: [
      { kind: 'email', platform: '', value: `${name.split(' ')[0]!.toLowerCase()}@example.com`, display: `${name.split(' ')[0]!.toLowerCase()}@example.com`, verified: true, source: 'import', firstSeenAt: at, lastSeenAt: at },
      { kind: 'phone', platform: '', value: '+14155550177', display: '+1 415 555 0177', verified: false, source: 'import', firstSeenAt: at, lastSeenAt: at },
    ],
  });
}

function seedCase(repo: Repository, customerId: number, channel: Channel, subject: string): number {
  const now = Date.now();
  return repo.insertCase({ customerId, subject, status: 'open', priority: 'normal', issueType: 'other', channel, originChannel: channel, assignedAgentId: null, createdAt: now - 3_600_000, updatedAt: now, waitingSince: now, firstResponseAt: null, slaDueAt: null, resolvedAt: null, resolutionCode: null, csatScore: null });
}

function say(repo: Repository, ids: { customerId: number; caseId: number }, e: { channel: Channel; direction: 'in' | 'out'; body: string; at: number; subject?: string; metadata?: Record<string, unknown> }): number {
  return repo.insertEvent({
    caseId: ids.caseId,
    customerId: ids.customerId,
    channel: e.channel,
    direction: e.direction,
    kind: 'message',
    authorType: e.direction === 'in' ? 'customer' : 'agent',
    authorId: null,
    authorName: e.direction === 'in' ? 'Nora Lindqvist' : 'Alex Morgan',
    subject: e.subject ?? null,
    body: e.body,
    ...(e.metadata ? { metadata: e.metadata } : {}),
    occurredAt: e.at,
  });
}

interface OutgoingFile {
  filename: string;
  content_type: string;
  path: string;
}
const filesOf = (core: Core, eventId: number) => core.repo.db.prepare('SELECT filename, content_type, path FROM outgoing_attachments WHERE event_id = ?').all(eventId) as OutgoingFile[];
const payloadOf = (core: Core, eventId: number) => JSON.parse(core.repo.db.prepare('SELECT payload FROM outbox WHERE event_id = ?').pluck().get(eventId) as string) as { body: string; attachments?: Array<{ filename: string }> };

describe('the handoff rules of the built-in hub', () => {
  it('chat → email attaches the transcript, public → chat notes the context, email → phone briefs the call; a saved version without them adds nothing', async () => {
    const core = await startDesk();
    const repo = core.repo;
    // Version 1 from the built-in hub's configuration is what the desktop applies: the default rules.
    await waitFor('version 1 applied', () => keptVersion(repo.db) === 1);

    const customerId = seedCustomer(repo, 'Nora Lindqvist');
    const t0 = Date.now() - 600_000;
    const chatCase = seedCase(repo, customerId, 'chat', 'Refund for order 5521');
    const chatIds = { customerId, caseId: chatCase };
    say(repo, chatIds, { channel: 'chat', direction: 'in', body: 'My refund for order 5521 never arrived.', at: t0 });
    say(repo, chatIds, { channel: 'chat', direction: 'out', body: 'I am checking with billing now.', at: t0 + 60_000 });
    say(repo, chatIds, { channel: 'chat', direction: 'in', body: 'Please send me the details by email.', at: t0 + 120_000 });

    const xCase = seedCase(repo, customerId, 'x', 'Public mention on X');
    const xIds = { customerId, caseId: xCase };
    say(repo, xIds, { channel: 'x', direction: 'in', body: '@acme three weeks and still no refund. Terrible.', at: t0 + 30_000, metadata: { visibility: 'public' } });

    const emailCase = seedCase(repo, customerId, 'email', 'Refund for order 5521');
    say(repo, { customerId, caseId: emailCase }, { channel: 'email', direction: 'in', subject: 'Refund for order 5521', body: 'Hello,\nthe refund is still missing. Can you call me today?\n-- \nNora', at: t0 + 200_000 });

    // The composer's question: what would sending this chat case's reply by email hand over?
    expect(await value(core, 'handoffPlan', { caseId: chatCase, channel: 'email' })).toMatchObject({ from: 'chat', to: 'email', kind: 'full_transcript', rule: { from: 'chat', to: 'email', keep: 'full_transcript' }, matrixVersion: 1 });
    expect(await value(core, 'handoffPlan', { caseId: chatCase, channel: 'chat' })).toMatchObject({ kind: 'none', rule: null });

    // The email goes out with the chat transcript as a text/plain file.
    const mailed = await value(core, 'sendComposed', { caseId: chatCase, channel: 'email', body: 'Here are the refund details.', idempotencyKey: 'handoff-mail-1', subject: 'Refund for order 5521' });
    const [transcript, ...more] = filesOf(core, mailed.id);
    expect(more).toEqual([]);
    expect(transcript).toMatchObject({ filename: expect.stringMatching(new RegExp(`^chat-transcript-case-${chatCase}-\\d{4}-\\d{2}-\\d{2}\\.txt$`)), content_type: 'text/plain; charset=utf-8' });
    const text = fs.readFileSync(transcript!.path, 'utf8');
    expect(text).toMatch(new RegExp(`^Chat transcript — case ${chatCase}`));
    expect(text).toContain('Nora Lindqvist (customer): My refund for order 5521 never arrived.');
    expect(text).toContain('Alex Morgan (agent): I am checking with billing now.');
    expect(text).not.toContain('three weeks');
    expect(payloadOf(core, mailed.id).attachments).toEqual([expect.objectContaining({ filename: transcript!.filename })]);
    expect(mailed.metadata).toMatchObject({ handoff: { kind: 'full_transcript', from: 'chat', to: 'email' } });

    // A public X post answered on chat: the public context goes first, as an internal note; the reply is private.
    expect(await value(core, 'handoffPlan', { caseId: xCase, channel: 'chat' })).toMatchObject({ kind: 'public_context', visibility: 'private' });
    const dm = await value(core, 'sendComposed', { caseId: xCase, channel: 'chat', body: 'Sorry, Nora: let us sort this out here.', idempotencyKey: 'handoff-dm-1' });
    expect(dm.metadata).toMatchObject({ handoff: { kind: 'public_context', from: 'x', to: 'chat', visibility: 'private' } });
    const notes = (await value(core, 'customerTimeline', { customerId, limit: 50 })).events.filter((e) => e.caseId === xCase && e.kind === 'note');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ direction: 'internal', channel: 'chat' });
    expect(notes[0]!.body).toMatch(/^Moved from public X to private Chat\. Public context:\n.*Nora Lindqvist on X \(public\): @acme three weeks and still no refund\. Terrible\.$/);
    expect(notes[0]!.id).toBeLessThan(dm.id);

    // The screen pop's notes: the call brief of the last email (answered since by the email above, so no open questions).
    const pop = await value(core, 'screenPop', { callSid: 'CA-handoff-1', caller: '+14155550177', conversationId: null });
    expect(pop.callNotes).toMatch(/^Call brief — Nora Lindqvist\nSubject: Refund for order 5521\nLast email \([^)]+\): Hello, the refund is still missing\. Can you call me today\?\n/);

    // An outbound call from the email case starts with the same brief; from the chat case (no chat → phone rule) with none.
    expect((await value(core, 'handoffCallBrief', { caseId: emailCase })).notes).toMatch(/^Call brief — Nora Lindqvist\nSubject: Refund for order 5521\n/);
    expect((await value(core, 'handoffCallBrief', { caseId: chatCase })).notes).toBe('');

    // An admin saves a version without those three rules; the hub pushes it and the desktop follows.
    const view = await value(core, 'channelConfig', {});
    const edited = without(view.current.matrix, (r) => (r.from === 'chat' && r.to === 'email') || (r.from === 'email' && r.to === 'phone') || (r.from === 'social' && r.to === 'chat'));
    expect((await value(core, 'saveChannelConfig', { expectedVersion: view.current.version, matrix: edited })).current.changes).toEqual([
      'Handoff rule removed: chat → email (keeps the full transcript)',
      'Handoff rule removed: email → phone (produces a call brief)',
      'Handoff rule removed: social channels → chat (keeps the public context, continues in private)',
    ]);
    await waitFor('version 2 applied', () => keptVersion(repo.db) === 2);

    expect(await value(core, 'handoffPlan', { caseId: chatCase, channel: 'email' })).toMatchObject({ kind: 'none', rule: null, matrixVersion: 2 });
    const plain = await value(core, 'sendComposed', { caseId: chatCase, channel: 'email', body: 'One more detail.', idempotencyKey: 'handoff-mail-2', subject: 'Refund for order 5521' });
    expect(filesOf(core, plain.id)).toEqual([]);
    expect(payloadOf(core, plain.id).attachments).toBeUndefined();
    expect(plain.metadata['handoff']).toBeUndefined();

    const dm2 = await value(core, 'sendComposed', { caseId: xCase, channel: 'chat', body: 'Any news on your side?', idempotencyKey: 'handoff-dm-2' });
    expect(dm2.metadata['handoff']).toBeUndefined();
    const notesAfter = (await value(core, 'customerTimeline', { customerId, limit: 50 })).events.filter((e) => e.caseId === xCase && e.kind === 'note');
    expect(notesAfter).toHaveLength(1);

    const pop2 = await value(core, 'screenPop', { callSid: 'CA-handoff-2', caller: '+14155550177', conversationId: null });
    expect(pop2.callNotes).toBe('');
    expect((await value(core, 'handoffCallBrief', { caseId: emailCase })).notes).toBe('');
  });
});

/** A desktop on its own SQLite file signed in to a team hub, with the channel configuration and handoff services wired as in core. */
function teamDesk(h: StartedHub, token: string, file: string) {
  const db: Db = openDatabase(file, { migrations: MIGRATIONS });
  const repo = new Repository(db);
  const agentId = repo.insertAgent({ name: 'Ada', email: 'ada@desk.example', role: 'agent', tier: 1, seniority: 'junior', skills: {}, channels: {}, languages: ['en'], capacity: {}, presence: 'available', createdAt: Date.now() });
  let apply: Parameters<typeof createHubService>[0]['onChannelConfig'] = () => undefined;
  let history: (caseId: number) => string | null = () => null;
  const hub: HubService = createHubService({
    db,
    repo,
    outbox: new OutboxStore(db),
    localAgentId: agentId,
    connection: { url: h.url, token, hubKey: 'team', embedded: false },
    emit: () => undefined,
    onChannelConfig: (v) => apply?.(v),
    escalationHistory: (caseId) => history(caseId),
    client: { backoff: { initialMs: 100, maxMs: 500 } },
  });
  const config = createChannelConfigService({ db, hub: () => hub, role: () => 'agent', emit: () => undefined, now: Date.now, log: () => undefined });
  const handoff = createHandoffService({ repo, matrix: config.current });
  apply = config.apply;
  history = handoff.escalationHistory;
  cleanups.push(async () => {
    await hub.close();
    db.close();
  });
  return { db, repo, hub };
}

const direct = { transport: 'direct' } as const;
let providerSeq = 0;
const chat = (h: StartedHub, thread: string, text: string) =>
  h.hub.context.conversations.ingestInbound({ channel: 'chat', providerId: `handoff-${++providerSeq}`, threadKey: thread, contact: { address: `visitor-${thread}`, displayName: 'Nora Lindqvist' }, text, receivedAt: Date.now() });

describe('an escalation through a team hub', () => {
  it('carries the whole history the desktop holds while the any → escalation rule exists, and only the reason once it is removed', async () => {
    const dir = tempDir('omni-handoff-team-');
    cleanups.push(() => dir.remove());
    const h = await startHub({ modules: [], config: { offerTimeoutMs: 60_000 } });
    cleanups.push(() => h.close());
    const ada = await agentSession(h, { username: 'ada', seniority: 'junior' });
    const root = await agentSession(h, { username: 'root', displayName: 'Rita Root', role: 'admin' });
    const desk = teamDesk(h, ada.token, path.join(dir.dir, 'ada.sqlite'));
    await desk.hub.ready();
    await waitFor('the desktop online', () => desk.hub.status().state === 'online');
    await waitFor('version 1 applied', () => keptVersion(desk.db) === 1);
    await desk.hub.handlers.setPresence({ presence: 'available' }, direct);

    // Sue is senior: away while the chat is offered (it goes to Ada), available when Ada escalates.
    const sueSession = await agentSession(h, { username: 'sue', seniority: 'senior' });
    const sue = await TestAgent.connect(h.url, sueSession.token);
    cleanups.push(() => sue.close());

    const escalate = async (thread: string, text: string, withEmail: string | null) => {
      await sue.call({ type: 'setPresence', presence: 'away' });
      const c = chat(h, thread, text);
      const offer = await waitFor('the offer on the desktop', async () => (await desk.hub.handlers.hubOffers({}, direct)).offers.find((o) => o.conversationId === c.conversationId));
      const placed = await desk.hub.handlers.acceptOffer({ offerId: offer.offerId }, direct);
      // The customer's email lives only on this desktop (the hub never saw it): part of the whole history.
      await sue.call({ type: 'setPresence', presence: 'available' });
      if (withEmail) say(desk.repo, placed, { channel: 'email', direction: 'in', subject: 'Invoice 88', body: withEmail, at: Date.now() - 1_000 });
      return { conversationId: c.conversationId, result: await desk.hub.handlers.escalateCase({ caseId: placed.caseId, reason: 'Cancellation needs a senior' }, direct) };
    };

    const first = await escalate('esc-1', 'I want to cancel my contract.', 'Invoice 88 charges me twice.');
    expect(first.result.escalatedTo).toBe(sueSession.id);
    const got = await sue.waitForEvent('assigned', (e) => e.bundle.conversation.id === first.conversationId);
    expect(got.via).toBe('escalation');
    expect(got.bundle.escalationReason).toBe('Cancellation needs a senior');
    expect(got.bundle.handoffNote).toMatch(/^Whole history \(handoff rule any → escalation\):\n/);
    expect(got.bundle.handoffNote).toContain('Chat message — Nora Lindqvist: I want to cancel my contract.');
    expect(got.bundle.handoffNote).toContain('Email message — Nora Lindqvist: Invoice 88 charges me twice.');

    // An admin removes the rule; the hub pushes the version and both sides follow it.
    const rootSocket = await TestAgent.connect(h.url, root.token);
    cleanups.push(() => rootSocket.close());
    const view = await rootSocket.call({ type: 'channelConfig' });
    await rootSocket.call({ type: 'saveChannelConfig', expectedVersion: view.current.version, matrix: without(view.current.matrix, (r) => r.to === 'escalation') });
    await waitFor('version 2 applied', () => keptVersion(desk.db) === 2);

    const second = await escalate('esc-2', 'Cancel it, please.', 'Invoice 91 too.');
    expect(second.result.escalatedTo).toBe(sueSession.id);
    const plain = await sue.waitForEvent('assigned', (e) => e.bundle.conversation.id === second.conversationId);
    expect(plain.bundle.escalationReason).toBe('Cancellation needs a senior');
    expect(plain.bundle.handoffNote).toBeNull();
  });
});

describe('an escalation from a desktop that sends no history', () => {
  it('gets the hub’s own messages of the conversation as the whole history', async () => {
    const h = await startHub({ modules: [], config: { offerTimeoutMs: 60_000 } });
    cleanups.push(() => h.close());
    const adaSession = await agentSession(h, { username: 'ada', seniority: 'junior' });
    const ada = await TestAgent.connect(h.url, adaSession.token);
    cleanups.push(() => ada.close());
    await ada.call({ type: 'setPresence', presence: 'available' });
    const c = chat(h, 'esc-hub', 'My router reboots every hour.');
    const offer = await ada.waitForEvent('offer', (e) => e.conversation.id === c.conversationId);
    await ada.call({ type: 'acceptOffer', offerId: offer.offerId });
    await ada.call({ type: 'send', idempotencyKey: 'ada-esc-hub-1', conversationId: c.conversationId, text: 'Let me get a specialist.' });
    const sueSession = await agentSession(h, { username: 'sue', seniority: 'senior' });
    const sue = await TestAgent.connect(h.url, sueSession.token);
    cleanups.push(() => sue.close());
    await sue.call({ type: 'setPresence', presence: 'available' });

    await ada.call({ type: 'escalate', conversationId: c.conversationId, reason: 'Hardware fault' });
    const got = await sue.waitForEvent('assigned', (e) => e.bundle.conversation.id === c.conversationId);
    const note = got.bundle.handoffNote ?? '';
    expect(note).toMatch(/^Whole history \(handoff rule any → escalation\):\n/);
    expect(note.split('\n').slice(1).map((l) => l.replace(/^\[[^\]]+\] /, ''))).toEqual(['Chat message — Nora Lindqvist: My router reboots every hour.', 'Chat message — ada: Let me get a specialist.']);
  });
});
