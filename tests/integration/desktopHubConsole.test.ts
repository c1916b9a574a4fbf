// The live console on real desktop cores (SQLite files in temp data dirs) signed in to a real team
// hub: a supervisor's desktop gets the hub's team snapshot pushed as an event (with the SLA alerts it
// raised, once each), reads the latest on open, and relays take / capacity / reassign to the hub; an
// agent's desktop gets no snapshot and every console request is refused with rpc/forbidden. A
// conversation an agent holds moves to another agent's desktop: it leaves the first one's queue with
// the reason in its timeline and arrives in the second one's.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config';
import { createCore, type Core } from '../../src/main/core';
import { createHubSwitcher } from '../../src/main/hub/hubSwitcher';
import { EncryptedFileSecretStore } from '../../src/main/secrets';
import type { EventName, EventPayload, RequestName, RequestOutput } from '../../src/shared/contract';
import type { ErrorInfo } from '../../src/shared/errors';
import { agentSession, startHub, type StartedHub } from '../helpers/hub';
import { tempDir } from '../helpers/tempDir';
import { waitFor } from '../helpers/wait';

const PASSWORD = 'correct-horse-battery-staple-7';

interface Desk {
  core: Core;
  events: Array<{ name: EventName; payload: unknown }>;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A desktop signed in to the team hub as `username`. */
async function deskOn(hub: StartedHub, username: string, displayName = username): Promise<Desk> {
  const tmp = tempDir('omni-console-');
  cleanups.push(() => tmp.remove());
  const dir = path.join(tmp.dir, 'data');
  const config = loadConfig({ argv: ['--data-dir', dir, '--no-demo', '--no-auto-reply', '--hub-port', '0'], env: {} });
  const secrets = new EncryptedFileSecretStore({ file: path.join(dir, 'secrets.enc') });
  const switcher = createHubSwitcher(config.hub, { dataDir: config.dataDir, secrets });
  const core = createCore(config, { mode: 'headless', log: () => {}, secrets, mail: false, hub: switcher });
  const events: Desk['events'] = [];
  core.subscribe((name, payload) => events.push({ name, payload }));
  cleanups.push(() => core.close());
  await core.hub.ready();
  const desk = { core, events };
  await value(desk, 'signInToHub', { url: hub.url, username, password: PASSWORD });
  await waitFor(`${username} online on the team hub`, () => core.hub.status().state === 'online' && core.hub.status().agent?.displayName === displayName);
  // Until now it was the local admin of its built-in hub (whose feed it rightly got): only the team hub's part counts.
  await new Promise((r) => setTimeout(r, 100));
  events.length = 0;
  return desk;
}

async function call<K extends RequestName>(desk: Desk, method: K, input: unknown): Promise<{ ok: true; value: RequestOutput<K> } | { ok: false; error: ErrorInfo }> {
  return (await desk.core.dispatch(method, input, { transport: 'direct' })) as { ok: true; value: RequestOutput<K> } | { ok: false; error: ErrorInfo };
}

async function value<K extends RequestName>(desk: Desk, method: K, input: unknown): Promise<RequestOutput<K>> {
  const result = await call(desk, method, input);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

const consoleEvents = (desk: Desk) => desk.events.filter((e) => e.name === 'supervisorConsoleUpdated').map((e) => e.payload as EventPayload<'supervisorConsoleUpdated'>);

describe('the live console on the desktop', () => {
  it('reaches a supervisor live with new SLA alerts once each; the actions go to the hub; an agent is refused', async () => {
    const hub = await startHub({ config: { embedded: false, offerTimeoutMs: 60_000, firstResponseSlaSeconds: { chat: 2 } } });
    cleanups.push(() => hub.close());
    const sam = await agentSession(hub, { username: 'sam', role: 'supervisor', password: PASSWORD });
    const ada = await agentSession(hub, { username: 'ada', password: PASSWORD });
    const supervisor = await deskOn(hub, 'sam');
    const agent = await deskOn(hub, 'ada');
    // Ada's desktop went available on its own; the supervisor's is the team as it is now.
    await waitFor('the first snapshot', () => consoleEvents(supervisor).some((e) => e.snapshot.agents.some((a) => a.agentId === ada.id && a.connected)));
    expect((await value(supervisor, 'supervisorConsole', {})).snapshot!.agents.map((a) => a.displayName).sort()).toEqual(['ada', 'sam']);

    // Ada cannot take chats now: a chat waits, and the supervisor sees it come in without asking.
    await value(supervisor, 'supervisorCapacity', { agentId: ada.id, capacity: { chat: 0 } });
    await waitFor("Ada's chat capacity 0 in the feed", () => consoleEvents(supervisor).some((e) => e.snapshot.agents.some((a) => a.agentId === ada.id && a.capacity.chat === 0)));
    const conv = hub.hub.context.conversations.ingestInbound({
      channel: 'chat',
      providerId: 'console-1',
      threadKey: 'console-1',
      contact: { address: 'visitor-console', displayName: 'Dana Whitfield' },
      text: 'Anyone there?',
      receivedAt: Date.now(),
    });
    const queued = await waitFor('the chat in the feed', () => consoleEvents(supervisor).find((e) => e.snapshot.queues.some((q) => q.channel === 'chat' && q.waiting === 1)));
    expect(queued.snapshot.waiting).toEqual([expect.objectContaining({ conversationId: conv.conversationId, channel: 'chat', contact: 'Dana Whitfield' })]);
    const latest = (await value(supervisor, 'supervisorConsole', {})).snapshot!;
    expect(latest.queues.find((q) => q.channel === 'chat')).toMatchObject({ waiting: 1, slaSeconds: 2 });

    // Past 80% of the 2 s SLA, then past it: one alert each, not repeated by later snapshots.
    await waitFor('the breach alert', () => consoleEvents(supervisor).some((e) => e.alerts.some((a) => a.kind === 'breached')), 10_000);
    await value(supervisor, 'supervisorCapacity', { agentId: ada.id, capacity: { chat: 0, email: 3 } });
    await waitFor('a snapshot after the breach', () => consoleEvents(supervisor).some((e) => e.snapshot.agents.some((a) => a.agentId === ada.id && a.capacity.email === 3)));
    const alerts = consoleEvents(supervisor).flatMap((e) => e.alerts);
    expect(alerts.map((a) => [a.kind, a.conversationId, a.contact])).toEqual([
      ['atRisk', conv.conversationId, 'Dana Whitfield'],
      ['breached', conv.conversationId, 'Dana Whitfield'],
    ]);

    // The agent's desktop got none of it and may do none of it; nothing changed on the hub.
    expect(consoleEvents(agent)).toEqual([]);
    for (const [method, input] of [
      ['supervisorConsole', {}],
      ['supervisorTake', { conversationId: conv.conversationId }],
      ['supervisorReassign', { conversationId: conv.conversationId, agentId: ada.id }],
      ['supervisorCapacity', { agentId: ada.id, capacity: { chat: 9 } }],
    ] as const) {
      const refused = await call(agent, method, input);
      expect(refused.ok ? 'accepted' : refused.error.code).toBe('rpc/forbidden');
    }
    expect(hub.hub.context.conversations.conversation(conv.conversationId)!.assignedAgentId).toBeNull();

    // A reassign the hub refuses (Ada has no chat capacity) comes back with the hub's sentence.
    const full = await call(supervisor, 'supervisorReassign', { conversationId: conv.conversationId, agentId: ada.id });
    expect(full.ok ? 'accepted' : full.error.code).toBe('hub/refused');
    expect(!full.ok && full.error.message).toMatch(/stays where it is/);

    // Take: the supervisor has it, it leaves the queue, and the hub audited it.
    expect(await value(supervisor, 'supervisorTake', { conversationId: conv.conversationId })).toEqual({ reassigned: true });
    await waitFor('the queue empty again', () => consoleEvents(supervisor).at(-1)!.snapshot.waiting.length === 0);
    expect(hub.hub.context.conversations.conversation(conv.conversationId)!.assignedAgentId).toBe(sam.id);
    expect(hub.hub.context.db.prepare('SELECT action, conversation_id FROM supervisor_audit ORDER BY id').all()).toEqual([
      { action: 'capacity', conversation_id: null },
      { action: 'capacity', conversation_id: null },
      { action: 'take', conversation_id: conv.conversationId },
    ]);
  });

  it("moves a conversation an agent holds to another agent's desktop: the loser's queue drops it with the reason", async () => {
    const hub = await startHub({ config: { embedded: false, offerTimeoutMs: 60_000 } });
    cleanups.push(() => hub.close());
    const sam = await agentSession(hub, { username: 'sam', displayName: 'Sam Lead', role: 'supervisor', password: PASSWORD });
    const ada = await agentSession(hub, { username: 'ada', displayName: 'Ada Park', password: PASSWORD });
    const bob = await agentSession(hub, { username: 'bob', displayName: 'Bob Reyes', password: PASSWORD });
    const supervisor = await deskOn(hub, 'sam', 'Sam Lead');
    const adaDesk = await deskOn(hub, 'ada', 'Ada Park');
    const bobDesk = await deskOn(hub, 'bob', 'Bob Reyes');
    // Only Ada takes chats for now.
    await value(supervisor, 'supervisorCapacity', { agentId: sam.id, capacity: { chat: 0 } });
    await value(supervisor, 'supervisorCapacity', { agentId: bob.id, capacity: { chat: 0 } });
    const conv = hub.hub.context.conversations.ingestInbound({
      channel: 'chat',
      providerId: 'held-desk-1',
      threadKey: 'held-desk-1',
      contact: { address: 'visitor-held', displayName: 'Noor Haddad' },
      text: 'My card was charged twice.',
      receivedAt: Date.now(),
    });
    const offer = await waitFor("the offer on Ada's desktop", async () => (await value(adaDesk, 'hubOffers', {})).offers[0]);
    const { caseId, customerId } = await value(adaDesk, 'acceptOffer', { offerId: offer.offerId });
    const queueOf = async (desk: Desk) => (await value(desk, 'queueSnapshot', { view: 'all' })).items;
    expect((await queueOf(adaDesk)).map((i) => i.caseId)).toEqual([caseId]);

    // The supervisor's desktop lists it under Ada, with nobody having answered yet.
    const listed = await waitFor('the chat under Ada in the feed', () => consoleEvents(supervisor).find((e) => e.snapshot.assigned.some((a) => a.agentId === ada.id)));
    expect(listed.snapshot.assigned).toEqual([
      { agentId: ada.id, total: 1, conversations: [expect.objectContaining({ conversationId: conv.conversationId, channel: 'chat', contact: 'Noor Haddad', awaitingReplySince: expect.any(Number), sla: 'ok' })] },
    ]);

    // Bob has no room on chat: refused with the hub's sentence, and Ada keeps it.
    const full = await call(supervisor, 'supervisorReassign', { conversationId: conv.conversationId, agentId: bob.id });
    expect(full.ok ? 'accepted' : full.error).toEqual({
      code: 'hub/refused',
      message: 'Bob Reyes already has 0 of 0 chat conversations; the conversation stays where it is.',
      key: 'reassignFull',
      params: { agent: 'Bob Reyes', current: 0, capacity: 0, channel: 'chat' },
    });
    expect((await queueOf(adaDesk)).map((i) => i.caseId)).toEqual([caseId]);

    // Bob gets room; the supervisor moves the chat to him.
    await value(supervisor, 'supervisorCapacity', { agentId: bob.id, capacity: { chat: 2 } });
    expect(await value(supervisor, 'supervisorReassign', { conversationId: conv.conversationId, agentId: bob.id })).toEqual({ reassigned: true });

    // Ada's desktop: out of her queue, the reason in the case's timeline.
    await waitFor("the chat gone from Ada's queue", async () => (await queueOf(adaDesk)).length === 0);
    const adaTimeline = (await value(adaDesk, 'customerTimeline', { customerId })).events.map((e) => e.body);
    expect(adaTimeline).toContain('Moved to another agent: Reassigned to Bob Reyes by Sam Lead');
    // …with the sentence's key and the hub's reason as its own key, so a German workspace reads both translated.
    const movedLine = (await value(adaDesk, 'customerTimeline', { customerId })).events.find((e) => e.body.startsWith('Moved to another agent'));
    expect(movedLine?.metadata.said).toEqual({
      key: 'lineMoved',
      params: { reason: 'Reassigned to Bob Reyes by Sam Lead' },
      nested: { reason: { key: 'movedReassigned', params: { agent: 'Bob Reyes', actor: 'Sam Lead' } } },
    });
    // Bob's desktop: in his queue as his, with the customer's message.
    const bobItem = await waitFor("the chat in Bob's queue", async () => (await queueOf(bobDesk)).find((i) => i.customerName === 'Noor Haddad'));
    const bobTimeline = (await value(bobDesk, 'customerTimeline', { customerId: bobItem.customerId })).events.map((e) => e.body);
    expect(bobTimeline).toContain('My card was charged twice.');
    expect(bobItem.assignedAgentId).not.toBeNull();

    // The supervisor's feed follows: under Bob now, his chat load 1, Ada's none; the move audited with both names.
    const moved = await waitFor('the chat under Bob in the feed', () => consoleEvents(supervisor).find((e) => e.snapshot.assigned.some((a) => a.agentId === bob.id)));
    expect(moved.snapshot.assigned.map((a) => [a.agentId, a.conversations.map((c) => c.conversationId)])).toEqual([[bob.id, [conv.conversationId]]]);
    expect(moved.snapshot.agents.find((a) => a.agentId === bob.id)!.load.chat).toBe(1);
    expect(moved.snapshot.agents.find((a) => a.agentId === ada.id)!.load.chat ?? 0).toBe(0);
    expect(hub.hub.context.db.prepare(`SELECT action, conversation_id, agent_id, detail FROM supervisor_audit WHERE action = 'reassign'`).all()).toEqual([
      { action: 'reassign', conversation_id: conv.conversationId, agent_id: bob.id, detail: 'from Ada Park to Bob Reyes' },
    ]);
  });
});
