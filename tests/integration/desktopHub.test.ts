// The desktop against a real hub over real sockets: an offered chat is accepted and lands in the
// local store with its history; replies written while the hub is down go out once each, in order,
// after it is back; a reply whose answer was lost in a crash is stored once; the event stream
// resumes without gap or duplicate; two desktops racing for one conversation get one case.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { AttachmentStore } from '../../src/main/email/attachmentStore';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedHub } from '../../src/main/hub/embeddedHub';
import { createHubService, type HubService } from '../../src/main/hub/hubService';
import { openDatabase, type Db } from '../../src/main/store/database';
import { MIGRATIONS } from '../../src/main/store/migrations';
import { OutboxStore } from '../../src/main/store/outboxStore';
import { Repository } from '../../src/main/store/repository';
import type { Agent } from '../../src/shared/domain';
import type { OutboundMessage } from '../../src/hub/services';
import { agentSession, startHub, TestAgent, type StartedHub } from '../helpers/hub';
import { tempDir } from '../helpers/tempDir';
import { waitFor } from '../helpers/wait';

const migrations = MIGRATIONS;
const HUB_KEY = 'team';

interface Desk {
  db: Db;
  repo: Repository;
  outbox: OutboxStore;
  agent: Agent;
  service: HubService;
  events: Array<{ name: string; payload: unknown }>;
  file: string;
  /** Starts a new service on the same file (a desktop restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function hubAt(dataDir: string, port = 0, offerTimeoutMs = 60_000): Promise<StartedHub> {
  const started = await startHub({ dataDir, config: { port, offerTimeoutMs } });
  return started;
}

/** A channel sender on the hub that records what reaches the customer. */
function recordChat(started: StartedHub): OutboundMessage[] {
  const sent: OutboundMessage[] = [];
  started.hub.context.conversations.registerSender({
    channels: ['chat'],
    deliver: (out) => {
      sent.push(out);
      return Promise.resolve({ status: 'delivered' });
    },
  });
  return sent;
}

function openDesk(url: string, token: string, name: string, file?: string, extra: { readAttachment?: (sha256: string) => Promise<Buffer | null> } = {}): Desk {
  const tmp = file ? null : tempDir('omni-deskhub-');
  const dbFile = file ?? path.join(tmp!.dir, 'desk.sqlite');
  const db = openDatabase(dbFile, { migrations });
  const repo = new Repository(db);
  const outbox = new OutboxStore(db);
  const existing = repo.firstAgentWithRole('agent');
  const agentId =
    existing ??
    repo.insertAgent({ name, email: `${name.toLowerCase()}@desk.example`, role: 'agent', tier: 1, seniority: 'mid', skills: {}, channels: {}, languages: ['en'], capacity: {}, presence: 'available', createdAt: Date.now() });
  const agent = repo.agentById(agentId);
  const events: Desk['events'] = [];
  const make = () =>
    createHubService({
      db,
      repo,
      outbox,
      localAgentId: agentId,
      connection: { url, token, hubKey: HUB_KEY, embedded: false },
      emit: (n, payload) => events.push({ name: n, payload }),
      client: { backoff: { initialMs: 100, maxMs: 800 }, requestTimeoutMs: 10_000 },
      worker: { pollMs: 500, backoff: { initialMs: 200, maxMs: 1000 } },
      ...extra,
    });
  const desk: Desk = {
    db,
    repo,
    outbox,
    agent,
    events,
    file: dbFile,
    service: make(),
    async restart() {
      await desk.service.close();
      desk.service = make();
    },
    async close() {
      await desk.service.close();
      db.close();
      tmp?.remove();
    },
  };
  cleanups.push(() => desk.close());
  return desk;
}

async function call<K extends keyof HubService['handlers']>(desk: Desk, name: K, input: Parameters<HubService['handlers'][K]>[0]): Promise<Awaited<ReturnType<HubService['handlers'][K]>>> {
  const handler = desk.service.handlers[name] as (i: unknown, ctx: { transport: 'direct' }) => unknown;
  return (await handler(input, { transport: 'direct' })) as Awaited<ReturnType<HubService['handlers'][K]>>;
}

const online = (desk: Desk) => waitFor('the desktop to be online', () => desk.service.status().state === 'online');

let providerSeq = 0;
function customerWrites(started: StartedHub, text: string, thread = 'widget-conv-1') {
  return started.hub.context.conversations.ingestInbound({
    channel: 'chat',
    providerId: `msg-${++providerSeq}`,
    threadKey: thread,
    contact: { address: 'visitor-dana', displayName: 'Dana Whitfield', email: 'dana@example.com' },
    text,
    receivedAt: Date.now(),
  });
}

/** A desktop signed in, available, with the customer's chat accepted. */
async function deskWithChat(started: StartedHub, username = 'sam') {
  const session = await agentSession(started, { username, displayName: username === 'sam' ? 'Sam Rivera' : username });
  const desk = openDesk(started.url, session.token, username);
  await online(desk);
  await call(desk, 'setPresence', { presence: 'available' });
  const ingest = customerWrites(started, 'Where is my order?');
  const offer = await waitFor('an offer on the desktop', async () => (await call(desk, 'hubOffers', {})).offers[0]);
  const accepted = await call(desk, 'acceptOffer', { offerId: offer.offerId });
  return { desk, session, accepted, conversationId: ingest.conversationId };
}

const hubLastSeq = (started: StartedHub, agentId: number) =>
  (started.hub.context.db.prepare('SELECT coalesce(max(seq), 0) FROM agent_events WHERE agent_id = ?').pluck().get(agentId) as number);

const localMessages = (desk: Desk, caseId: number) =>
  (desk.db.prepare(`SELECT direction, body FROM events WHERE case_id = ? AND kind = 'message' ORDER BY occurred_at, id`).all(caseId) as Array<{ direction: string; body: string }>);

describe('the desktop and its hub', () => {
  it('sends a file with a chat reply: uploaded to the hub first, the visitor gets it as a download with the same bytes', async () => {
    const dir = tempDir('omni-hubdata-');
    cleanups.push(() => dir.remove());
    const started = await hubAt(dir.dir);
    cleanups.push(() => started.close());
    const files = new AttachmentStore(path.join(dir.dir, 'desk-files'));
    const session = await agentSession(started, { username: 'sam', displayName: 'Sam Rivera' });
    const desk = openDesk(started.url, session.token, 'sam', undefined, { readAttachment: (h) => files.read(h, { verify: true }) });
    await online(desk);
    await call(desk, 'setPresence', { presence: 'available' });

    // A real visitor on the widget's socket.
    const ws = new WebSocket(`${started.url.replace(/^http/, 'ws')}/widget?org=demo`);
    cleanups.push(() => ws.terminate());
    const frames: Array<Record<string, unknown> & { t: string }> = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Record<string, unknown> & { t: string }));
    await new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));
    ws.send(JSON.stringify({ t: 'hello', protocol: 1, visitorId: 'v_deskfile_0001' }));
    ws.send(JSON.stringify({ t: 'msg', clientId: 'c_deskfile_0001', text: 'Can I get the invoice?', uploads: [] }));
    const ack = await waitFor('the ack', () => frames.find((f) => f.t === 'ack') as { token: string } | undefined);
    const offer = await waitFor('an offer on the desktop', async () => (await call(desk, 'hubOffers', {})).offers[0]);
    const accepted = await call(desk, 'acceptOffer', { offerId: offer.offerId });

    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(3000)]);
    const put = await files.put(pdf);
    if (!put.ok) throw new Error(put.message);
    const reply = desk.repo.appendOutgoingMessage({ caseId: accepted.caseId, channel: 'chat', body: 'Here it is.', agent: desk.agent, idempotencyKey: 'desk-file-reply-0001', now: Date.now() });
    desk.db
      .prepare(`UPDATE outbox SET payload = ? WHERE event_id = ?`)
      .run(JSON.stringify({ body: 'Here it is.', attachments: [{ sha256: put.sha256, filename: 'invoice.pdf', contentType: 'application/pdf', size: pdf.length }] }), reply.id);
    desk.service.kick();

    const got = await waitFor('the reply at the visitor', () => frames.find((f) => f.t === 'msg' && (f.message as { from: string }).from === 'agent')?.message as
      | { text: string; attachments: Array<{ name: string; contentType: string; size: number; url: string }> }
      | undefined);
    expect(got.text).toBe('Here it is.');
    expect(got.attachments).toEqual([{ name: 'invoice.pdf', contentType: 'application/pdf', size: pdf.length, url: expect.stringMatching(/^\/widget\/files\/[A-Za-z0-9_-]+$/) }]);
    const download = await fetch(`${started.url}${got.attachments[0]!.url}?token=${ack.token}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
    await waitFor('delivered locally', () => desk.outbox.forEvent(reply.id)!.status === 'delivered');
  });

  it('receives an offered chat, accepts it and keeps the conversation in its local store', async () => {
    const dir = tempDir('omni-hubdata-');
    cleanups.push(() => dir.remove());
    const started = await hubAt(dir.dir);
    cleanups.push(() => started.close());
    const session = await agentSession(started, { username: 'sam', displayName: 'Sam Rivera' });
    const desk = openDesk(started.url, session.token, 'Sam');
    await online(desk);
    expect(await call(desk, 'setPresence', { presence: 'available' })).toEqual({ presence: 'available' });

    customerWrites(started, 'Where is my order?');
    const received = await waitFor('offerReceived', () => desk.events.find((e) => e.name === 'offerReceived')?.payload as { offer: { offerId: number; customerName: string; subject: string; expiresAt: number } } | undefined);
    expect(received.offer).toMatchObject({ customerName: 'Dana Whitfield', subject: expect.stringContaining('Where is my order?') });
    expect((await call(desk, 'hubOffers', {})).offers.map((o) => o.offerId)).toEqual([received.offer.offerId]);

    const { caseId, customerId } = await call(desk, 'acceptOffer', { offerId: received.offer.offerId });
    expect(localMessages(desk, caseId)).toEqual([{ direction: 'in', body: 'Where is my order?' }]);
    expect(desk.repo.activeQueue().find((q) => q.caseId === caseId)).toMatchObject({ customerName: 'Dana Whitfield', channel: 'chat', assignedAgentId: desk.agent.id });
    expect(desk.repo.customerProfile(customerId, Date.now()).identities.map((i) => i.value)).toContain('dana@example.com');
    expect((await call(desk, 'hubOffers', {})).offers).toEqual([]);

    // The sequenced `assigned` event arrives too, and a new customer message after it: each stored once.
    customerWrites(started, 'It was order 5521.');
    await waitFor('the second message', () => localMessages(desk, caseId).length === 2);
    await waitFor('the stream to be read to its end', () => desk.service.store.sync(HUB_KEY).lastSeq >= hubLastSeq(started, session.id));
    expect(localMessages(desk, caseId)).toEqual([
      { direction: 'in', body: 'Where is my order?' },
      { direction: 'in', body: 'It was order 5521.' },
    ]);
    expect((desk.db.prepare(`SELECT count(*) FROM cases`).pluck().get() as number)).toBe(1);
  });

  it('delivers three replies written while the hub was unreachable once each and in order after it is back', async () => {
    const dir = tempDir('omni-hubdata-');
    cleanups.push(() => dir.remove());
    let started = await hubAt(dir.dir);
    const port = started.port;
    cleanups.push(() => started.close());
    let sent = recordChat(started);
    const { desk, accepted, session } = await deskWithChat(started);

    await started.hub.close();
    await waitFor('the desktop to notice', () => desk.service.status().state !== 'online');
    const replies = ['Let me look that up.', 'It left our warehouse today.', 'Tracking: 1Z999AA10123456784'];
    for (const [i, body] of replies.entries()) {
      desk.repo.appendOutgoingMessage({ caseId: accepted.caseId, channel: 'chat', body, agent: desk.agent, idempotencyKey: `offline-reply-${i}-7f3a9c`, now: Date.now() + i });
      desk.service.kick();
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(desk.db.prepare(`SELECT status FROM outbox ORDER BY id`).pluck().all()).toEqual(['queued', 'queued', 'queued']);
    expect(desk.service.status()).toMatchObject({ state: 'offline', detail: expect.stringMatching(/refused the connection; retrying in/) });
    // …with its catalog key and the socket's reason nested, so Settings reads it in the agent's language.
    expect(desk.service.status().detailText).toMatchObject({ key: expect.stringMatching(/^hubStatusRetry(Seconds|Minutes)$/), nested: { reason: { key: 'hubSocketRefused' } } });

    started = await hubAt(dir.dir, port);
    sent = recordChat(started);
    await waitFor('all three delivered locally', () => (desk.db.prepare(`SELECT count(*) FROM outbox WHERE status = 'delivered'`).pluck().get() as number) === 3);
    await waitFor('three chats delivered to the customer', () => sent.length >= 3);
    expect(sent.map((o) => o.message.text)).toEqual(replies);
    const stored = started.hub.context.db.prepare(`SELECT text FROM messages WHERE direction = 'out' ORDER BY id`).pluck().all();
    expect(stored).toEqual(replies);
    // Our own replies coming back as hub messages are the same timeline events, not copies.
    await waitFor('the echoes to be read', () => desk.service.store.sync(HUB_KEY).lastSeq >= hubLastSeq(started, session.id));
    expect(localMessages(desk, accepted.caseId).filter((m) => m.direction === 'out').map((m) => m.body)).toEqual(replies);
    expect(sent).toHaveLength(3);
  });

  it('stores a reply once when the desktop crashed after the hub had taken it', async () => {
    const dir = tempDir('omni-hubdata-');
    cleanups.push(() => dir.remove());
    const started = await hubAt(dir.dir);
    cleanups.push(() => started.close());
    const sent = recordChat(started);
    const { desk, accepted, session, conversationId } = await deskWithChat(started);

    // The send went out, the hub stored it, and the desktop died before recording the answer.
    await desk.service.close();
    const reply = desk.repo.appendOutgoingMessage({ caseId: accepted.caseId, channel: 'chat', body: 'Refund issued.', agent: desk.agent, idempotencyKey: 'crash-reply-0001', now: Date.now() });
    const row = desk.outbox.forEvent(reply.id)!;
    desk.outbox.claimNext('chat', Date.now());
    const other = await TestAgent.connect(started.url, session.token);
    await other.call({ type: 'send', idempotencyKey: 'crash-reply-0001', conversationId, text: 'Refund issued.' });
    await other.close();
    expect(desk.outbox.get(row.id)!.status).toBe('sending');

    await desk.restart();
    await waitFor('the row to be delivered', () => desk.outbox.get(row.id)!.status === 'delivered');
    await waitFor('the customer to get it', () => sent.length >= 1);
    expect(started.hub.context.db.prepare(`SELECT count(*) FROM messages WHERE idempotency_key = 'crash-reply-0001'`).pluck().get()).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(sent.map((o) => o.message.text)).toEqual(['Refund issued.']);
    expect(localMessages(desk, accepted.caseId).filter((m) => m.direction === 'out')).toHaveLength(1);
  });

  it('resumes after a reconnect with every message the customer wrote meanwhile, none twice', async () => {
    const dir = tempDir('omni-hubdata-');
    cleanups.push(() => dir.remove());
    const started = await hubAt(dir.dir);
    cleanups.push(() => started.close());
    const { desk, accepted, session } = await deskWithChat(started);
    const before = desk.service.store.sync(HUB_KEY).lastSeq;

    await desk.service.close();
    const lines = ['Are you there?', 'Hello?', 'I will wait.'];
    for (const line of lines) customerWrites(started, line);
    await desk.restart();
    await online(desk);
    await waitFor('the three messages', () => localMessages(desk, accepted.caseId).length >= 4);
    const hubLast = hubLastSeq(started, session.id);
    await waitFor('the stream to be read to its end', () => desk.service.store.sync(HUB_KEY).lastSeq === hubLast);
    expect(hubLast).toBeGreaterThan(before);
    expect(localMessages(desk, accepted.caseId).map((m) => m.body)).toEqual(['Where is my order?', ...lines]);
  });

  it('gives one conversation to exactly one of two desktops that accept it at the same moment', async () => {
    const dir = tempDir('omni-hubdata-');
    cleanups.push(() => dir.remove());
    const started = await hubAt(dir.dir, 0, 1_500);
    cleanups.push(() => started.close());
    const desks: Desk[] = [];
    for (const username of ['sam', 'lee']) {
      const session = await agentSession(started, { username, displayName: username });
      const desk = openDesk(started.url, session.token, username);
      await online(desk);
      await call(desk, 'setPresence', { presence: 'available' });
      desks.push(desk);
    }
    customerWrites(started, 'Can someone help me?');
    // The first offer lapses unanswered and goes to the other desktop; a lapsed offer can still be accepted.
    const offerIds = await waitFor('an offer on both desktops', () => {
      const ids = desks.map((d) => (d.events.filter((e) => e.name === 'offerReceived').at(-1)?.payload as { offer: { offerId: number } } | undefined)?.offer.offerId);
      return ids.every((id) => id !== undefined) ? (ids as number[]) : null;
    });
    const results = await Promise.allSettled(desks.map((d, i) => call(d, 'acceptOffer', { offerId: offerIds[i]! })));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toMatchObject({ code: 'hub/refused', message: expect.stringMatching(/Another agent|no longer open/) });
    const cases = desks.map((d) => d.db.prepare(`SELECT count(*) FROM hub_conversations WHERE assigned = 1`).pluck().get() as number);
    expect(cases.sort()).toEqual([0, 1]);
  });

  it('stops reconnecting and says why when the hub refuses the sign-in', async () => {
    const dir = tempDir('omni-hubdata-');
    cleanups.push(() => dir.remove());
    const started = await hubAt(dir.dir);
    cleanups.push(() => started.close());
    const desk = openDesk(started.url, 'not-a-session-token-0123456789', 'Sam');
    await waitFor('the refusal', () => desk.service.status().detail.startsWith('The hub refused the sign-in'));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(desk.service.status()).toMatchObject({ state: 'offline', agent: null });
    expect(desk.service.client!.status().denied?.code).toMatch(/^auth\//);
    expect(started.hub.stats().agentSockets).toBe(0);
    await expect(call(desk, 'acceptOffer', { offerId: 1 })).rejects.toMatchObject({ code: 'hub/offline' });
  });

  it('runs an embedded hub beside the desktop data and signs in as its local admin', async () => {
    const dir = tempDir('omni-embedded-');
    cleanups.push(() => dir.remove());
    const embedded = await startEmbeddedHub({ dataDir: dir.dir, port: 0 });
    cleanups.push(() => embedded.close());
    const desk = openDesk(embedded.url, '', 'Owner');
    await desk.service.close();
    desk.service = createHubService({
      db: desk.db,
      repo: desk.repo,
      outbox: desk.outbox,
      localAgentId: desk.agent.id,
      connection: { url: embedded.url, token: embedded.token, renewToken: embedded.renewToken, hubKey: embedded.hubKey, embedded: true, widgetDemoUrl: embedded.widgetDemoUrl },
      emit: () => undefined,
    });
    await online(desk);
    expect(desk.service.status()).toMatchObject({ embedded: true, widgetDemoUrl: `${embedded.url}/widget/demo`, agent: { role: 'admin' } });
    const page = await fetch(embedded.widgetDemoUrl);
    expect(page.status).toBe(200);
  });

  it('gives the built-in hub its provider settings from hub.config.json, and names a broken file', async () => {
    const dir = tempDir('omni-embedded-settings-');
    cleanups.push(() => dir.remove());
    // Without settings the SMS webhook says what to set up (503); with them it checks the signature (403).
    const bare = await startEmbeddedHub({ dataDir: dir.dir, port: 0 });
    const unconfigured = await fetch(`${bare.url}/webhooks/twilio/sms`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Body=hi' });
    expect(unconfigured.status).toBe(503);
    await bare.close();

    fs.mkdirSync(path.join(dir.dir, 'hub'), { recursive: true });
    const settings = path.join(dir.dir, 'hub', 'hub.config.json');
    fs.writeFileSync(settings, JSON.stringify({ channels: { twilio: { accountSid: 'AC' + '0'.repeat(32), authToken: 'secret-token-0123', fromNumber: '+15005550006' } } }));
    const configured = await startEmbeddedHub({ dataDir: dir.dir, port: 0 });
    cleanups.push(() => configured.close());
    const forged = await fetch(`${configured.url}/webhooks/twilio/sms`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' }, body: 'Body=hi' });
    expect(forged.status).toBe(403);

    fs.writeFileSync(settings, '{ "channels": ');
    await expect(startEmbeddedHub({ dataDir: dir.dir, port: 0 })).rejects.toThrow(/hub\.config\.json is not valid JSON/);
  });
});
