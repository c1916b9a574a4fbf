// Two desktops of one team on a real hub (real sockets, real SQLite files): an @mention in an
// internal note reaches the other agent's bell with the case; a reopened case reopens on the hub;
// a transfer with a note lands in the other agent's queue; a GDPR erase on one desktop erases the
// hub's rows and the other desktop's copy.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config';
import { createCore, type Core } from '../../src/main/core';
import { HUB_DATA_FILE } from '../../src/hub/server';
import type { NotificationView } from '../../src/shared/contractHub';
import type { TimelineEvent } from '../../src/shared/domain';
import { agentSession, startHub, type StartedHub } from '../helpers/hub';
import { tempDir } from '../helpers/tempDir';

const tmp = tempDir('omni-teamops-');
let hub: StartedHub;
let ann: Core;
let bo: Core;
const boEvents: Array<{ name: string; payload: unknown }> = [];
let annHubId = 0;
let boHubId = 0;
let conversationId = 0;
let annCase = 0;

async function call<T>(core: Core, method: string, input: unknown): Promise<T> {
  const result = await core.dispatch(method, input, { transport: 'direct' });
  if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function waitFor<T>(what: string, check: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}.\n${hub.logs.slice(-10).join('\n')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function desk(name: string, token: string): Core {
  const dataDir = path.join(tmp.dir, name);
  const config = loadConfig({ argv: ['--data-dir', dataDir, '--no-demo', '--no-auto-reply'], env: {} });
  return createCore(config, { mode: 'headless', log: () => {}, mail: false, hub: { url: hub.url, token, embedded: false } });
}

const timeline = async (core: Core, customerId: number) => (await call<{ events: TimelineEvent[] }>(core, 'customerTimeline', { customerId, limit: 100 })).events;
const caseOf = (core: Core, id: number) => core.repo.db.prepare('SELECT id, customer_id AS customerId, status, assigned_agent_id AS assignedAgentId FROM cases WHERE id = ?').get(id) as
  | { id: number; customerId: number; status: string; assignedAgentId: number | null }
  | undefined;
const linkedCase = (core: Core) =>
  core.repo.db.prepare('SELECT case_id FROM hub_conversations WHERE conversation_id = ?').pluck().get(conversationId) as number | undefined;

beforeAll(async () => {
  hub = await startHub({ config: { offerTimeoutMs: 60_000 } });
  const annSession = await agentSession(hub, { username: 'ann', displayName: 'Ann Lee', role: 'admin', channels: { chat: { proficiency: 4, capacity: 3 } } });
  const boSession = await agentSession(hub, { username: 'bo', displayName: 'Bo Chen', channels: { chat: { proficiency: 4, capacity: 3 } } });
  annHubId = annSession.id;
  boHubId = boSession.id;
  ann = desk('ann', annSession.token);
  bo = desk('bo', boSession.token);
  bo.subscribe((name, payload) => boEvents.push({ name, payload }));
  for (const core of [ann, bo]) await waitFor('the desktop to reach the hub', () => core.hub.status().state === 'online');
  // Bo is away while Ann takes the chat.
  await call(bo, 'setPresence', { presence: 'away' });
  const ingested = hub.hub.context.conversations.ingestInbound({
    channel: 'chat',
    providerId: 'team-ops-1',
    threadKey: 'team-ops',
    contact: { address: 'visitor-teamops', displayName: 'Mira Erasewell', email: 'mira@customer.example' },
    text: 'My invoice INV-55821 is wrong',
    receivedAt: Date.now(),
  });
  conversationId = ingested.conversationId;
  const offer = await waitFor('the offer on Ann\u2019s desktop', async () => (await call<{ offers: Array<{ offerId: number; conversationId: number }> }>(ann, 'hubOffers', {})).offers.find((o) => o.conversationId === conversationId));
  annCase = (await call<{ caseId: number }>(ann, 'acceptOffer', { offerId: offer.offerId })).caseId;
});

afterAll(async () => {
  for (const core of [ann, bo]) await core?.close();
  await hub?.close();
  tmp.remove();
});

describe('two desktops on one hub', () => {
  it('lists the team as mention candidates, and an @mention in a note lands in the other agent\u2019s bell with the case', async () => {
    const { agents } = await call<{ agents: Array<{ id: number; name: string }> }>(ann, 'mentionableAgents', {});
    expect(agents).toEqual([{ id: boHubId, name: 'Bo Chen' }]);

    const note = await call<TimelineEvent>(ann, 'addNote', { caseId: annCase, body: '@Bo Chen please check INV-55821', mentions: [{ agentId: boHubId, name: 'Bo Chen' }], idempotencyKey: 'note-teamops-0001' });
    expect(note.kind).toBe('note');

    const { items, unread } = await waitFor('Bo\u2019s notification', async () => {
      const list = await call<{ items: NotificationView[]; unread: number }>(bo, 'notifications', {});
      return list.items.length > 0 ? list : null;
    });
    expect(unread).toBe(1);
    expect(items[0]).toMatchObject({ kind: 'mention', by: 'Ann Lee', read: false });
    expect(boEvents.some((e) => e.name === 'notificationsChanged')).toBe(true);
    // Bo's desktop holds the case to read (not in his queue) with the note on its timeline.
    const boCase = caseOf(bo, items[0]!.caseId)!;
    expect(boCase.assignedAgentId).toBeNull();
    const boTimeline = await timeline(bo, boCase.customerId);
    expect(boTimeline.map((e) => e.body)).toEqual(expect.arrayContaining(['My invoice INV-55821 is wrong', '@Bo Chen please check INV-55821']));

    // Ann's own note comes back from the hub once (not twice).
    await waitFor('the note to be on the hub', () => hub.hub.context.db.prepare(`SELECT COUNT(*) FROM messages WHERE direction = 'internal'`).pluck().get() === 1);
    await ann.hub.idle();
    const annNotes = (await timeline(ann, caseOf(ann, annCase)!.customerId)).filter((e) => e.kind === 'note');
    expect(annNotes).toHaveLength(1);

    expect((await call<{ unread: number }>(bo, 'markNotificationsRead', { ids: [items[0]!.id] })).unread).toBe(0);
  });

  it('reopening a resolved case reopens the hub conversation for this agent', async () => {
    await call(ann, 'resolveCase', { caseId: annCase });
    await waitFor('the hub to resolve it', () => hub.hub.context.conversations.conversation(conversationId)?.status === 'resolved');
    await call(ann, 'reopenCase', { caseId: annCase });
    await waitFor('the hub to reopen it', () => {
      const c = hub.hub.context.conversations.conversation(conversationId);
      return c?.status === 'assigned' && c.assignedAgentId === annHubId;
    });
    expect(caseOf(ann, annCase)?.status).toBe('open');
  });

  it('a transfer to a named agent with a note moves the case to their queue', async () => {
    await call(bo, 'setPresence', { presence: 'available' });
    const { agents } = await call<{ agents: Array<{ agentId: number; available: boolean }> }>(ann, 'agentDirectory', { channel: 'chat' });
    expect(agents.find((a) => a.agentId === boHubId)?.available).toBe(true);
    await call(ann, 'transferCase', { caseId: annCase, to: { agentId: boHubId }, note: 'Invoice fix approved by finance' });
    const boCase = await waitFor('the case in Bo\u2019s queue', () => {
      const id = linkedCase(bo);
      const c = id ? caseOf(bo, id) : undefined;
      return c && c.assignedAgentId !== null && c.status === 'open' ? c : null;
    });
    const texts = (await timeline(bo, boCase.customerId)).map((e) => e.body);
    expect(texts).toContain('Handoff note: Invoice fix approved by finance');
    await waitFor('the case to leave Ann\u2019s queue', () => caseOf(ann, annCase)?.assignedAgentId === null);
  });

  it('a GDPR erase on one desktop erases the hub\u2019s rows and the other desktop\u2019s copy', async () => {
    const customerId = caseOf(ann, annCase)!.customerId;
    const boCustomer = caseOf(bo, linkedCase(bo)!)!.customerId;
    const result = await call<{ hub: { told: boolean; detail: string } }>(ann, 'eraseCustomer', { customerId, confirm: 'Mira Erasewell' });
    expect(result.hub.told).toBe(true);
    expect(hub.hub.context.conversations.conversation(conversationId)).toBeNull();

    await waitFor('Bo\u2019s copy to be erased', () => bo.repo.db.prepare('SELECT COUNT(*) FROM customers WHERE id = ?').pluck().get(boCustomer) === 0);
    expect(bo.repo.db.prepare(`SELECT COUNT(*) FROM hub_notifications`).pluck().get()).toBe(0);
    const audit = bo.repo.db.prepare(`SELECT agent_name AS agentName, action FROM privacy_audit`).all();
    expect(audit).toEqual([{ agentName: 'Hub', action: 'erase' }]);
    expect(boEvents.some((e) => e.name === 'customerErased')).toBe(true);

    await waitFor('Bo\u2019s file to be compacted', () => {
      const files = [bo.dataFile, `${bo.dataFile}-wal`].filter((f) => fs.existsSync(f));
      return files.every((f) => !fs.readFileSync(f).includes('INV-55821') && !fs.readFileSync(f).includes('Mira Erasewell'));
    });
    const hubFile = path.join(hub.dataDir, HUB_DATA_FILE);
    for (const f of [hubFile, `${hubFile}-wal`].filter((x) => fs.existsSync(x))) expect(fs.readFileSync(f).includes('INV-55821')).toBe(false);
  });
});

describe('while the hub is away', () => {
  it('a note and a reopen written offline wait on the desktop and reach the hub once it is back', async () => {
    const hubDir = tempDir('omni-teamops-hub-');
    let h = await startHub({ dataDir: hubDir.dir, config: { offerTimeoutMs: 60_000 } });
    const port = h.port;
    const cal = await agentSession(h, { username: 'cal', displayName: 'Cal Ode', role: 'admin', channels: { chat: { proficiency: 4, capacity: 3 } } });
    const dataDir = path.join(tmp.dir, 'cal');
    const core = createCore(loadConfig({ argv: ['--data-dir', dataDir, '--no-demo', '--no-auto-reply'], env: {} }), {
      mode: 'headless',
      log: () => {},
      mail: false,
      hub: { url: h.url, token: cal.token, embedded: false },
    });
    try {
      await waitFor('the desktop to reach the hub', () => core.hub.status().state === 'online');
      const ingested = h.hub.context.conversations.ingestInbound({
        channel: 'chat',
        providerId: 'offline-1',
        threadKey: 'offline',
        contact: { address: 'visitor-offline', displayName: 'Olu Offline' },
        text: 'Is my booking confirmed?',
        receivedAt: Date.now(),
      });
      const offer = await waitFor('the offer', async () => (await call<{ offers: Array<{ offerId: number; conversationId: number }> }>(core, 'hubOffers', {})).offers.find((o) => o.conversationId === ingested.conversationId));
      const caseId = (await call<{ caseId: number }>(core, 'acceptOffer', { offerId: offer.offerId })).caseId;
      await call(core, 'resolveCase', { caseId });
      await waitFor('the hub to resolve it', () => h.hub.context.conversations.conversation(ingested.conversationId)?.status === 'resolved');

      await h.close();
      await waitFor('the desktop to notice', () => core.hub.status().state !== 'online');
      await call(core, 'reopenCase', { caseId });
      await call(core, 'addNote', { caseId, body: 'Booking checked offline: confirmed', mentions: [], idempotencyKey: 'note-offline-0001' });
      expect(core.repo.db.prepare(`SELECT kind FROM hub_pending ORDER BY id`).pluck().all()).toEqual(['reopen', 'note']);

      h = await startHub({ dataDir: hubDir.dir, config: { port, offerTimeoutMs: 60_000 } });
      await waitFor('the desktop to reconnect', () => core.hub.status().state === 'online', 30_000);
      await waitFor('the waiting requests to go', () => core.repo.db.prepare(`SELECT COUNT(*) FROM hub_pending`).pluck().get() === 0, 20_000);
      expect(h.hub.context.conversations.conversation(ingested.conversationId)).toMatchObject({ status: 'assigned', assignedAgentId: cal.id });
      const notes = h.hub.context.db.prepare(`SELECT text FROM messages WHERE conversation_id = ? AND direction = 'internal'`).pluck().all(ingested.conversationId);
      expect(notes).toEqual(['Booking checked offline: confirmed']);
      // Once on the timeline: the hub's copy is the local note.
      await core.hub.idle();
      const customerId = caseOf(core, caseId)!.customerId;
      expect((await timeline(core, customerId)).filter((e) => e.kind === 'note').map((e) => e.body)).toEqual(['Booking checked offline: confirmed']);

      // An erase while the hub is down: done here at once, asked of the hub when it is back.
      await h.close();
      await waitFor('the desktop to notice', () => core.hub.status().state !== 'online');
      const erased = await call<{ hub: { told: boolean; detail: string } }>(core, 'eraseCustomer', { customerId, confirm: 'Olu Offline' });
      expect(erased.hub).toEqual({ told: false, detail: 'Erased from this desktop. The hub is not reachable now; it is asked again as soon as it is.' });
      const waiting = core.repo.db.prepare(`SELECT kind, payload FROM hub_pending`).all() as Array<{ kind: string; payload: string }>;
      expect(waiting.map((w) => w.kind)).toEqual(['erase']);
      expect(waiting[0]!.payload).not.toContain('Olu');
      h = await startHub({ dataDir: hubDir.dir, config: { port, offerTimeoutMs: 60_000 } });
      await waitFor('the erase to reach the hub', () => h.hub.context.conversations.conversation(ingested.conversationId) === null, 30_000);
      await waitFor('the waiting erase to be done', () => core.repo.db.prepare(`SELECT COUNT(*) FROM hub_pending`).pluck().get() === 0);
    } finally {
      await core.close();
      await h.close();
      hubDir.remove();
    }
  });
});
