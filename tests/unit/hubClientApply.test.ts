// Applying the hub's events to the local store on a real SQLite file: an assigned conversation
// becomes one customer, one case and its messages however often it arrives; each event moves the
// stored sequence in the same transaction (a failure leaves neither); messages, our own replies
// coming back, deliveries, offers, resolution and CSAT land where the workspace reads them.
import path from 'node:path';
import { setLocale } from '../../src/renderer/src/i18n';
import { storedSentenceOf } from '../../src/renderer/src/serverErrors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyBundle, applyHubEvent, contactIdentifiers, type ApplyDeps } from '../../src/main/hub/applyHubEvent';
import { agentSocketUrl, reconnectDelay } from '../../src/main/hub/hubClient';
import { createHubOutboxWorker, hubSendKey, type HubOutboxWorkerOptions } from '../../src/main/hub/hubOutboxWorker';
import { openDatabase, type Db } from '../../src/main/store/database';
import { HubLocalStore } from '../../src/main/store/hubLocalStore';
import { MIGRATIONS } from '../../src/main/store/migrations';
import { OutboxStore } from '../../src/main/store/outboxStore';
import { Repository } from '../../src/main/store/repository';
import type { Agent } from '../../src/shared/domain';
import type { ContextBundle, HubContact, HubConversation, HubEvent, HubMessage } from '../../src/shared/hub/agentProtocol';
import { defaultChannelMatrix } from '../../src/shared/channelConfig';
import { slaSettings } from '../../src/shared/slaSettings';
import { tempDir } from '../helpers/tempDir';

const HUB = 'embedded';
const T0 = Date.UTC(2026, 0, 15, 14, 0, 0);
const migrations = MIGRATIONS;

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let repo: Repository;
let store: HubLocalStore;
let outbox: OutboxStore;
let deps: ApplyDeps;
let agent: Agent;

beforeEach(() => {
  tmp = tempDir('omni-hubapply-');
  db = openDatabase(path.join(tmp.dir, 'desk.sqlite'), { migrations });
  repo = new Repository(db);
  store = new HubLocalStore(db);
  outbox = new OutboxStore(db);
  const agentId = repo.insertAgent({
    name: 'Sam Rivera',
    email: 'sam@desk.example',
    role: 'agent',
    tier: 1,
    seniority: 'mid',
    skills: {},
    channels: {},
    languages: ['en'],
    capacity: {},
    presence: 'available',
    createdAt: T0,
  });
  agent = repo.agentById(agentId);
  deps = { hub: HUB, store, repo, outbox, localAgentId: agentId };
});

afterEach(() => {
  db.close();
  tmp.remove();
});

const contact = (over: Partial<HubContact> = {}): HubContact => ({
  id: 7,
  channel: 'chat',
  address: 'visitor-4f2a',
  displayName: 'Dana Whitfield',
  email: 'Dana.Whitfield@Example.com',
  phone: null,
  accountId: null,
  verified: false,
  ...over,
});

const conversation = (over: Partial<HubConversation> = {}): HubConversation => ({
  id: 41,
  channel: 'chat',
  contact: contact(),
  subject: 'Where is my order?',
  status: 'assigned',
  priority: 'normal',
  issueType: 'shipping',
  tier: 'standard',
  vip: false,
  assignedAgentId: 3,
  createdAt: T0,
  emailMessageId: null,
  isPublic: false,
  ...over,
});

const message = (id: number, over: Partial<HubMessage> = {}): HubMessage => ({
  id,
  conversationId: 41,
  direction: 'in',
  authorType: 'customer',
  authorName: 'Dana Whitfield',
  text: `message ${id}`,
  attachments: [],
  createdAt: T0 + id * 1000,
  idempotencyKey: null,
  delivery: null,
  deliveryDetail: null,
  ...over,
});

const bundle = (over: Partial<ContextBundle> = {}): ContextBundle => ({
  conversation: conversation(),
  messages: [message(101, { text: 'Where is my order?' }), message(102, { text: 'Order #5521, placed Monday.' })],
  handoffNote: null,
  escalationReason: null,
  suggestedReply: null,
  ...over,
});

const assigned = (b: ContextBundle = bundle()): HubEvent => ({ type: 'assigned', via: 'accept', bundle: b });

const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('an assigned conversation', () => {
  it('becomes one customer, one case assigned to this agent and its messages on the timeline', () => {
    const outcome = applyHubEvent(deps, 1, assigned(), T0 + 5000);
    expect(outcome.applied).toBe(true);
    expect(count('customers')).toBe(1);
    const link = store.conversation(HUB, 41)!;
    const kase = db.prepare(`SELECT * FROM cases WHERE id = ?`).get(link.caseId) as Record<string, unknown>;
    expect(kase).toMatchObject({ channel: 'chat', subject: 'Where is my order?', status: 'open', assigned_agent_id: agent.id, issue_type: 'shipping' });
    expect(kase.waiting_since).toBe(T0 + 101_000);
    const profile = repo.customerProfile(kase.customer_id as number, T0);
    expect(profile.name).toBe('Dana Whitfield');
    expect(profile.identities.map((i) => `${i.kind}:${i.platform}:${i.value}`).sort()).toEqual(['account:widget:visitor-4f2a', 'email::dana.whitfield@example.com']);
    const timeline = repo.timelineForCustomer(kase.customer_id as number, undefined, 50).events;
    expect(timeline.map((e) => e.body)).toEqual(['Where is my order?', 'Order #5521, placed Monday.']);
    expect(repo.activeQueue().map((q) => q.caseId)).toContain(link.caseId);
    expect(outcome.effects).toContainEqual({ kind: 'assigned', caseId: link.caseId, customerId: kase.customer_id, conversationId: 41 });
  });

  it('is stored once when applied twice (a replay, the accept answer and the event, a second assignment)', () => {
    applyHubEvent(deps, 1, assigned(), T0);
    const replay = applyHubEvent(deps, 1, assigned(), T0);
    expect(replay).toEqual({ applied: false, effects: [] });
    applyBundle(deps, bundle(), T0);
    applyHubEvent(deps, 2, { type: 'assigned', via: 'transfer', bundle: bundle() }, T0);
    expect([count('customers'), count('cases'), count('events'), count('identities')]).toEqual([1, 1, 2, 2]);
    expect(store.sync(HUB).lastSeq).toBe(2);
  });

  it('joins the customer who already has that email address instead of creating another', () => {
    const existing = repo.insertCustomer({
      name: 'Dana W.',
      company: 'Acme',
      title: null,
      tier: 'premium',
      vip: true,
      healthScore: null,
      language: null,
      timezone: null,
      preferredChannel: null,
      createdAt: T0 - 1000,
      identities: [{ kind: 'email', value: 'dana.whitfield@example.com', display: 'dana.whitfield@example.com', verified: true, source: 'email', firstSeenAt: T0, lastSeenAt: T0 }],
    });
    applyHubEvent(deps, 1, assigned(), T0);
    expect(count('customers')).toBe(1);
    const kase = repo.caseFacts(store.conversation(HUB, 41)!.caseId);
    expect(kase).toBeTruthy();
    expect(store.customerByIdentifier('account', 'widget', 'visitor-4f2a')).toBe(existing);
  });

  it('adds the handoff note and the escalation reason once, from the sequenced event only', () => {
    const b = bundle({ handoffNote: 'Customer already tried a reset', escalationReason: 'Refund above my limit' });
    applyBundle(deps, b, T0);
    applyHubEvent(deps, 1, assigned(b), T0);
    applyHubEvent(deps, 1, assigned(b), T0);
    // An internal note on the case (never sent), once.
    const notes = db.prepare(`SELECT body, direction FROM events WHERE kind = 'note'`).all() as Array<{ body: string }>;
    expect(notes).toEqual([{ body: 'Escalated: Refund above my limit\nHandoff note: Customer already tried a reset', direction: 'internal' }]);
  });
});

describe('the stored sequence', () => {
  it('does not move when applying the event fails, and nothing of the event is kept', () => {
    applyHubEvent(deps, 1, assigned(), T0);
    db.exec(`CREATE TEMP TRIGGER refuse_boom BEFORE INSERT ON events WHEN NEW.body = 'boom' BEGIN SELECT RAISE(ABORT, 'disk full'); END;`);
    expect(() => applyHubEvent(deps, 2, { type: 'message', message: message(103, { text: 'boom' }) }, T0)).toThrow(/disk full/);
    expect(store.sync(HUB).lastSeq).toBe(1);
    expect(store.eventOfMessage(HUB, 103)).toBeNull();
    db.exec(`DROP TRIGGER refuse_boom`);
    expect(applyHubEvent(deps, 2, { type: 'message', message: message(103, { text: 'boom' }) }, T0).applied).toBe(true);
    expect(store.sync(HUB).lastSeq).toBe(2);
  });

  it('skips events at or below the stored position and moves forward only', () => {
    applyHubEvent(deps, 5, { type: 'offerWithdrawn', offerId: 1, conversationId: 41, reason: 'expired' }, T0);
    expect(applyHubEvent(deps, 3, { type: 'message', message: message(104) }, T0).applied).toBe(false);
    expect(store.sync(HUB).lastSeq).toBe(5);
  });
});

describe('messages, replies and deliveries', () => {
  beforeEach(() => {
    applyHubEvent(deps, 1, assigned(), T0);
  });

  it('puts a new customer message on the case once and reopens a case that waited for the customer', () => {
    const caseId = store.conversation(HUB, 41)!.caseId;
    applyHubEvent(deps, 2, { type: 'message', message: message(103, { direction: 'out', authorType: 'agent', authorName: 'Lee', text: 'On its way!' }) }, T0);
    expect(repo.activeQueue().some((q) => q.caseId === caseId)).toBe(false);
    const out = applyHubEvent(deps, 3, { type: 'message', message: message(104, { text: 'Thanks, when will it arrive?' }) }, T0);
    applyHubEvent(deps, 4, { type: 'message', message: message(104, { text: 'Thanks, when will it arrive?' }) }, T0);
    expect(out.effects.map((e) => e.kind)).toEqual(['timeline', 'queue']);
    expect(count('events')).toBe(4);
    expect(repo.activeQueue().find((q) => q.caseId === caseId)?.preview).toBe('Thanks, when will it arrive?');
  });

  it("sets the waiting customer's deadline from the channel configuration: first response, then the next one after a reply", () => {
    const matrix = structuredClone(defaultChannelMatrix());
    matrix.channels.chat.firstResponseSlaSeconds = 45;
    const sla = slaSettings(matrix);
    const withMatrix: ApplyDeps = { ...deps, sla: () => sla };
    const caseId = store.conversation(HUB, 41)!.caseId;
    // The bundle was applied without a configuration: the built-in 2 minutes from the first message.
    const dueOf = () => (db.prepare('SELECT sla_due_at AS due FROM cases WHERE id = ?').get(caseId) as { due: number | null }).due;
    expect(dueOf()).toBe(T0 + 101_000 + 120_000);
    applyHubEvent(withMatrix, 2, { type: 'message', message: message(103, { direction: 'out', authorType: 'agent', authorName: 'Lee', text: 'On its way!' }) }, T0);
    expect(dueOf()).toBeNull();
    // Answered once: the customer's next message waits on the next-response target (chat: 5 minutes, 24/7).
    applyHubEvent(withMatrix, 3, { type: 'message', message: message(104, { text: 'Thanks, when will it arrive?' }) }, T0);
    expect(dueOf()).toBe(T0 + 104_000 + 5 * 60_000);
    // A new conversation under the configuration: its first response is due after the matrix's 45 s.
    applyHubEvent(withMatrix, 4, assigned(bundle({ conversation: conversation({ id: 42 }), messages: [message(201, { conversationId: 42 })] })), T0);
    const other = store.conversation(HUB, 42)!.caseId;
    expect((db.prepare('SELECT sla_due_at AS due FROM cases WHERE id = ?').get(other) as { due: number }).due).toBe(T0 + 201_000 + 45_000);
  });

  it('recognizes our own reply coming back from the hub by its idempotency key', () => {
    const caseId = store.conversation(HUB, 41)!.caseId;
    const reply = repo.appendOutgoingMessage({ caseId, channel: 'chat', body: 'Let me check.', agent, idempotencyKey: 'reply-0001-abcd', now: T0 });
    applyHubEvent(deps, 2, { type: 'message', message: message(105, { direction: 'out', authorType: 'agent', text: 'Let me check.', idempotencyKey: 'reply-0001-abcd', delivery: 'stored' }) }, T0);
    expect(count('events')).toBe(3);
    expect(store.eventOfMessage(HUB, 105)).toBe(reply.id);
  });

  it('shows a delivery the channel refused as failed with its reason', () => {
    const caseId = store.conversation(HUB, 41)!.caseId;
    const reply = repo.appendOutgoingMessage({ caseId, channel: 'chat', body: 'Hello?', agent, idempotencyKey: 'reply-0002-abcd', now: T0 });
    const row = outbox.forEvent(reply.id)!;
    store.recordHubDelivery(HUB, row.id, 106, 'stored', null, T0);
    outbox.markDelivered(row.id, T0);
    const out = applyHubEvent(deps, 2, { type: 'delivery', conversationId: 41, messageId: 106, idempotencyKey: 'reply-0002-abcd', status: 'failed', detail: 'The visitor left the page.' }, T0);
    expect(out.effects).toEqual([{ kind: 'delivery', eventId: reply.id, caseId, status: 'failed', detail: 'The visitor left the page.' }]);
    expect(repo.eventById(reply.id)).toMatchObject({ delivery: 'failed', deliveryDetail: 'The visitor left the page.' });
    expect(store.hubOutbox(row.id)).toMatchObject({ delivery: 'failed', failedDeliveries: 1 });
    expect(hubSendKey(row.idempotencyKey, 1)).toBe('reply-0002-abcd.r1');
  });

  it('keeps a provider\'s delivery failure with its catalog key, so the timeline shows it in the agent\'s language', () => {
    const caseId = store.conversation(HUB, 41)!.caseId;
    const reply = repo.appendOutgoingMessage({ caseId, channel: 'chat', body: 'Hello?', agent, idempotencyKey: 'reply-0003-abcd', now: T0 });
    const row = outbox.forEvent(reply.id)!;
    store.recordHubDelivery(HUB, row.id, 107, 'stored', null, T0);
    const detail = 'Twilio reports the SMS undelivered (error 30003).';
    applyHubEvent(deps, 2, { type: 'delivery', conversationId: 41, messageId: 107, idempotencyKey: 'reply-0003-abcd', status: 'failed', detail, detailText: { key: 'smsReportedUndeliveredCode', params: { code: '30003' } } }, T0);
    const event = repo.eventById(reply.id)!;
    expect(event).toMatchObject({ delivery: 'failed', deliveryDetail: detail, deliveryText: { key: 'smsReportedUndeliveredCode', params: { code: '30003' } } });
    setLocale('de');
    try {
      expect(storedSentenceOf(event.deliveryDetail!, event.deliveryText)).toBe('Twilio meldet, dass die SMS nicht zugestellt wurde (Fehler 30003).');
    } finally {
      setLocale('en');
    }
  });

  it('keeps a delivery the hub gave up on with its key and the nested provider reason, so both read in the agent\'s language', () => {
    const caseId = store.conversation(HUB, 41)!.caseId;
    const reply = repo.appendOutgoingMessage({ caseId, channel: 'chat', body: 'Hello?', agent, idempotencyKey: 'reply-0004-abcd', now: T0 });
    const row = outbox.forEvent(reply.id)!;
    store.recordHubDelivery(HUB, row.id, 108, 'stored', null, T0);
    const detail = 'Twilio refused the SMS: Service unavailable. (gave up after 5 attempts)';
    const detailText = { key: 'deliveryGaveUp', params: { reason: 'Twilio refused the SMS: Service unavailable.', attempts: 5 }, nested: { reason: { key: 'smsRefused', params: { reason: 'Service unavailable' } } } };
    applyHubEvent(deps, 2, { type: 'delivery', conversationId: 41, messageId: 108, idempotencyKey: 'reply-0004-abcd', status: 'failed', detail, detailText }, T0);
    const event = repo.eventById(reply.id)!;
    expect(event).toMatchObject({ delivery: 'failed', deliveryDetail: detail, deliveryText: detailText });
    setLocale('de');
    try {
      expect(storedSentenceOf(event.deliveryDetail!, event.deliveryText)).toBe('Twilio hat die SMS abgelehnt: Service unavailable. (nach 5 Versuchen aufgegeben)');
    } finally {
      setLocale('en');
    }
  });

  it('marks a send the hub answers as failed already (a resend after it gave up) with the key the hub kept', async () => {
    const caseId = store.conversation(HUB, 41)!.caseId;
    const reply = repo.appendOutgoingMessage({ caseId, channel: 'chat', body: 'Hello?', agent, idempotencyKey: 'reply-0005-abcd', now: T0 });
    const deliveryDetail = '+14155550123 replied STOP; they must text START before we can write again.';
    const deliveryDetailText = { key: 'smsOptedOut', params: { address: '+14155550123' } };
    const sends: unknown[] = [];
    const client = {
      status: () => ({ state: 'online' }),
      request: (req: unknown) => {
        sends.push(req);
        return Promise.resolve({ duplicate: true, message: message(109, { direction: 'out', authorType: 'agent', text: 'Hello?', idempotencyKey: 'reply-0005-abcd', delivery: 'failed', deliveryDetail, deliveryDetailText }) });
      },
    } as unknown as HubOutboxWorkerOptions['client'];
    const worker = createHubOutboxWorker({ hub: HUB, store, outbox, client, now: () => T0, pollMs: 60_000 });
    worker.start();
    await worker.idle();
    await worker.stop();
    expect(sends).toHaveLength(1);
    const event = repo.eventById(reply.id)!;
    expect(event).toMatchObject({ delivery: 'failed', deliveryDetail, deliveryText: deliveryDetailText });
    setLocale('de');
    try {
      expect(storedSentenceOf(event.deliveryDetail!, event.deliveryText)).toBe('+14155550123 hat mit STOP geantwortet; erst nach einer SMS mit START dürfen wir wieder schreiben.');
    } finally {
      setLocale('en');
    }
  });

  it('resolves the case and records the customer\'s rating on the timeline', () => {
    const caseId = store.conversation(HUB, 41)!.caseId;
    applyHubEvent(deps, 2, { type: 'resolved', conversationId: 41 }, T0 + 60_000);
    applyHubEvent(deps, 3, { type: 'csat', conversationId: 41, rating: 5, comment: 'Quick and friendly' }, T0 + 90_000);
    expect(db.prepare(`SELECT status, csat_score, resolved_at FROM cases WHERE id = ?`).get(caseId)).toEqual({ status: 'resolved', csat_score: 5, resolved_at: T0 + 60_000 });
    expect(db.prepare(`SELECT kind, body FROM events WHERE kind = 'csat'`).all()).toEqual([{ kind: 'csat', body: 'Rated 5 out of 5: “Quick and friendly”' }]);
  });

  it('a changed rating (the survey link used again) replaces the first on the timeline and the case', () => {
    const caseId = store.conversation(HUB, 41)!.caseId;
    applyHubEvent(deps, 2, { type: 'resolved', conversationId: 41 }, T0 + 60_000);
    applyHubEvent(deps, 3, { type: 'csat', conversationId: 41, rating: 2, comment: null }, T0 + 90_000);
    const second = applyHubEvent(deps, 4, { type: 'csat', conversationId: 41, rating: 4, comment: 'Better on second thought' }, T0 + 95_000);
    const rows = db.prepare(`SELECT id, body, json_extract(metadata, '$.score') AS rating FROM events WHERE kind = 'csat'`).all() as Array<{ id: number; body: string; rating: number }>;
    expect(rows.map((r) => [r.body, r.rating])).toEqual([['Rated 4 out of 5: “Better on second thought”', 4]]);
    expect(second.effects).toContainEqual({ kind: 'timeline', eventId: rows[0]!.id });
    expect(db.prepare(`SELECT csat_score FROM cases WHERE id = ?`).get(caseId)).toEqual({ csat_score: 4 });
  });

  it('takes a conversation transferred away out of this agent\'s queue but keeps its history', () => {
    const caseId = store.conversation(HUB, 41)!.caseId;
    applyHubEvent(deps, 2, { type: 'unassigned', conversationId: 41, reason: 'Transferred to Lee' }, T0);
    expect(repo.activeQueue().some((q) => q.caseId === caseId)).toBe(false);
    expect(store.conversation(HUB, 41)!.assigned).toBe(false);
    expect(count('events')).toBe(3);
  });
});

describe('offers', () => {
  it('lists an offer until it is withdrawn or expires', () => {
    applyHubEvent(deps, 1, { type: 'offer', offerId: 9, conversation: conversation({ status: 'offered' }), expiresAt: T0 + 30_000, reasons: ['chat skill 3'] }, T0);
    applyHubEvent(deps, 2, { type: 'offer', offerId: 10, conversation: conversation({ id: 42, status: 'offered' }), expiresAt: T0 + 30_000, reasons: [] }, T0);
    expect(store.openOffers(HUB, T0 + 1000).map((o) => o.offerId)).toEqual([9, 10]);
    applyHubEvent(deps, 3, { type: 'offerWithdrawn', offerId: 9, conversationId: 41, reason: 'taken' }, T0);
    expect(store.openOffers(HUB, T0 + 1000).map((o) => o.offerId)).toEqual([10]);
    expect(store.openOffers(HUB, T0 + 30_000)).toEqual([]);
  });
});

describe('contact identifiers', () => {
  it('reads each channel\'s address in the identity engine\'s canonical form, verified ones first', () => {
    const sms = contactIdentifiers(contact({ channel: 'sms', address: '(415) 867-5310', email: null }), 'sms');
    expect(sms.map((i) => i.value)).toEqual(['+14158675310']);
    const x = contactIdentifiers(contact({ channel: 'x', address: '1453000000000000000', email: null }), 'x');
    expect(x).toEqual([{ kind: 'account', platform: 'x', value: '1453000000000000000', display: '1453000000000000000', verified: false }]);
    const app = contactIdentifiers(contact({ channel: 'in_app', address: 'u-77', accountId: 'u-77', verified: true, email: null }), 'in_app');
    expect(app).toEqual([{ kind: 'account', platform: 'app', value: 'u-77', display: 'u-77', verified: true }]);
    const ig = contactIdentifiers(contact({ channel: 'instagram', address: '@Fern.Hill', email: 'bad address' }), 'instagram');
    expect(ig.map((i) => `${i.kind}:${i.platform}:${i.value}`)).toEqual(['social:instagram:fern.hill']);
  });
});

describe('connection helpers', () => {
  it('waits longer after each failed attempt, with jitter, never past the cap', () => {
    expect(reconnectDelay(1, () => 0.5, 500, 30_000)).toBe(500);
    expect(reconnectDelay(4, () => 0.5, 500, 30_000)).toBe(4000);
    expect(reconnectDelay(20, () => 1, 500, 30_000)).toBe(30_000);
    expect(reconnectDelay(3, () => 0, 500, 30_000)).toBe(1600);
  });

  it('derives the agent socket from the hub address and keeps only protocol-safe keys', () => {
    expect(agentSocketUrl('http://127.0.0.1:4871')).toBe('ws://127.0.0.1:4871/agent');
    expect(agentSocketUrl('https://hub.example.com/team/')).toBe('wss://hub.example.com/team/agent');
    expect(() => agentSocketUrl('ftp://hub.example.com')).toThrow(/not an http/);
    expect(hubSendKey('9b2f0c1e-7d4a-4c1b-9f3e-2a6b8c0d1e2f')).toBe('9b2f0c1e-7d4a-4c1b-9f3e-2a6b8c0d1e2f');
    expect(hubSendKey('key with spaces / slashes')).toMatch(/^k\.[A-Za-z0-9_-]{43}$/);
  });
});
