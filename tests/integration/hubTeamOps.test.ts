// The hub's team operations over real agent sockets: the agent directory, transfer to a named agent
// (offline and full agents refused with a sentence), reopening a resolved conversation, @mention
// notifications to the mentioned agent only, and the GDPR erase (rows and uploads gone from the
// hub's file, audited; every desktop told), with forged and unauthorized requests refused.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HUB_DATA_FILE } from '../../src/hub/server';
import { agentSession, startHub, TestAgent, type StartedHub } from '../helpers/hub';

const running: StartedHub[] = [];
const sockets: TestAgent[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) await s.close();
  for (const h of running.splice(0)) await h.close();
});

async function hub(config: Parameters<typeof startHub>[0] = {}): Promise<StartedHub> {
  const h = await startHub({ modules: [], ...config });
  running.push(h);
  return h;
}

type SessionExtra = Partial<Parameters<typeof agentSession>[1]>;

async function desk(h: StartedHub, username: string, extra: SessionExtra = {}, presence: 'available' | 'away' | null = 'available') {
  const session = await agentSession(h, { username, displayName: `${username[0]!.toUpperCase()}${username.slice(1)} Agent`, ...extra });
  const socket = await TestAgent.connect(h.url, session.token);
  sockets.push(socket);
  if (presence) await socket.call({ type: 'setPresence', presence });
  return { ...session, socket };
}

let providerSeq = 0;
function chat(h: StartedHub, thread: string, text: string, name = `Visitor ${thread}`, address = `visitor-${thread}`) {
  return h.hub.context.conversations.ingestInbound({
    channel: 'chat',
    providerId: `m-${++providerSeq}`,
    threadKey: thread,
    contact: { address, displayName: name, email: `${address}@customer.example` },
    text,
    receivedAt: Date.now(),
  });
}

/** Ada takes the next chat offered to her. */
async function take(ada: Awaited<ReturnType<typeof desk>>, conversationId: number) {
  const offer = await ada.socket.waitForEvent('offer', (e) => e.conversation.id === conversationId);
  await ada.socket.call({ type: 'acceptOffer', offerId: offer.offerId });
}

describe('agent directory and transfer to a named agent', () => {
  it('lists every agent with presence, skills and load; offline and full agents are marked with the reason', async () => {
    const h = await hub({ config: { offerTimeoutMs: 60_000 } });
    const ada = await desk(h, 'ada', { channels: { chat: { proficiency: 4, capacity: 1 } }, skills: { billing: 4 } });
    const bob = await desk(h, 'bob', { channels: { chat: { proficiency: 3, capacity: 2 } } }, 'away');
    await agentSession(h, { username: 'cy', displayName: 'Cy Offline', channels: { chat: { proficiency: 3, capacity: 3 } } });
    const c = chat(h, 'dir', 'Hello');
    await take(ada, c.conversationId);
    await bob.socket.call({ type: 'setPresence', presence: 'available' });

    // Any signed-in agent may read it (bob is a plain agent).
    const { agents } = await bob.socket.call({ type: 'agentDirectory', channel: 'chat' });
    const byName = new Map(agents.map((a) => [a.displayName, a]));
    expect([...byName.keys()].sort()).toEqual(['Ada Agent', 'Bob Agent', 'Cy Offline']);
    expect(byName.get('Ada Agent')).toMatchObject({
      presence: 'available',
      connected: true,
      skills: { billing: 4 },
      channels: ['chat'],
      capacity: { chat: 1 },
      load: { chat: 1 },
      available: false,
      unavailableReason: 'Ada Agent already has 1 of 1 chat conversations',
      // The same reason as a catalog key, for the desktop to show in the agent's language.
      unavailableText: { key: 'agentFull', params: { agent: 'Ada Agent', current: 1, capacity: 1, channel: 'chat' } },
    });
    expect(byName.get('Bob Agent')).toMatchObject({ presence: 'available', load: {}, available: true, unavailableReason: null });
    expect(byName.get('Cy Offline')).toMatchObject({ connected: false, presence: 'offline', available: false, unavailableReason: 'Cy Offline is offline', unavailableText: { key: 'agentOffline', params: { agent: 'Cy Offline' } } });

    // A transfer to bob then lands with him, with the note.
    await ada.socket.call({ type: 'transfer', conversationId: c.conversationId, to: { agentId: bob.id }, note: 'VIP, be quick' });
    const got = await bob.socket.waitForEvent('assigned', (e) => e.bundle.conversation.id === c.conversationId);
    expect(got.bundle.handoffNote).toBe('VIP, be quick');
    await ada.socket.waitForEvent('unassigned', (e) => e.conversationId === c.conversationId);
  });

  it('a transfer to an offline or away agent, or one at capacity, is refused with a sentence and the conversation stays', async () => {
    const h = await hub({ config: { offerTimeoutMs: 60_000 } });
    const ada = await desk(h, 'ada', { channels: { chat: { proficiency: 4, capacity: 5 } } });
    const c = chat(h, 'full', 'My parcel is lost');
    await take(ada, c.conversationId);
    const cy = await agentSession(h, { username: 'cy', displayName: 'Cy Offline' });
    const dee = await desk(h, 'dee', { channels: { chat: { proficiency: 3, capacity: 0 } } });
    const eve = await desk(h, 'eve', { channels: { chat: { proficiency: 3, capacity: 2 } } }, 'away');

    const offline = await ada.socket.request({ type: 'transfer', conversationId: c.conversationId, to: { agentId: cy.id }, note: 'x' });
    expect(!offline.ok && offline.error).toEqual({ code: 'agent/offline', message: 'Cy Offline is offline; the conversation stays with you.', key: 'transferOffline', params: { agent: 'Cy Offline' } });
    const full = await ada.socket.request({ type: 'transfer', conversationId: c.conversationId, to: { agentId: dee.id } });
    expect(!full.ok && full.error).toEqual({
      code: 'agent/at-capacity',
      message: 'Dee Agent already has 0 of 0 chat conversations; the conversation stays with you.',
      key: 'transferFull',
      params: { agent: 'Dee Agent', current: 0, capacity: 0, channel: 'chat' },
    });
    const away = await ada.socket.request({ type: 'transfer', conversationId: c.conversationId, to: { agentId: eve.id } });
    expect(!away.ok && away.error.code).toBe('agent/offline');
    expect(h.hub.context.conversations.conversation(c.conversationId)?.assignedAgentId).toBe(ada.id);
    expect(dee.socket.events.some((e) => e.event.type === 'assigned')).toBe(false);

    // Someone else's conversation cannot be handed on by a plain agent.
    const forged = await dee.socket.request({ type: 'transfer', conversationId: c.conversationId, to: { agentId: dee.id } });
    expect(!forged.ok && forged.error.code).toBe('conversation/not-yours');
  });
});

describe('reopen', () => {
  it('a resolved conversation reopens to the agent; the customer\u2019s next message reaches them, not the queue', async () => {
    const h = await hub({ config: { offerTimeoutMs: 60_000 } });
    const ada = await desk(h, 'ada');
    const c = chat(h, 'again', 'Thanks, all good');
    await take(ada, c.conversationId);
    await ada.socket.call({ type: 'resolve', conversationId: c.conversationId });

    const bob = await desk(h, 'bob');
    const notYours = await bob.socket.request({ type: 'reopen', conversationId: c.conversationId });
    expect(!notYours.ok && notYours.error.code).toBe('conversation/not-yours');

    expect(await ada.socket.call({ type: 'reopen', conversationId: c.conversationId })).toEqual({ reopened: true });
    const event = await ada.socket.waitForEvent('reopened', (e) => e.conversationId === c.conversationId);
    expect(event.by).toBe('Ada Agent');
    expect(h.hub.context.conversations.conversation(c.conversationId)).toMatchObject({ status: 'assigned', assignedAgentId: ada.id });
    // Asking again changes nothing.
    expect(await ada.socket.call({ type: 'reopen', conversationId: c.conversationId })).toEqual({ reopened: false });

    const next = chat(h, 'again', 'Actually, one more thing');
    expect(next.conversationId).toBe(c.conversationId);
    await ada.socket.waitForEvent('message', (e) => e.message.text === 'Actually, one more thing');
    expect(bob.socket.events.some((e) => e.event.type === 'offer')).toBe(false);
  });
});

describe('@mentions', () => {
  it('an internal note notifies each mentioned agent once with the conversation, and nobody else', async () => {
    const h = await hub({ config: { offerTimeoutMs: 60_000 } });
    const ada = await desk(h, 'ada');
    const c = chat(h, 'mention', 'Can I get a refund?');
    await take(ada, c.conversationId);
    const bob = await desk(h, 'bob', {}, 'away');
    const cy = await desk(h, 'cy', {}, 'away');

    const { message } = await ada.socket.call({
      type: 'send',
      idempotencyKey: 'note-mention-1',
      conversationId: c.conversationId,
      text: '@Bob Agent can you approve this refund?',
      internal: true,
      mentions: [bob.id, bob.id, ada.id],
    });
    expect(message.direction).toBe('internal');
    const got = await bob.socket.waitForEvent('mentioned');
    expect(got).toMatchObject({ conversationId: c.conversationId, messageId: message.id, by: 'Ada Agent' });
    expect(got.bundle.messages.map((m) => m.text)).toEqual(['Can I get a refund?', '@Bob Agent can you approve this refund?']);
    expect(bob.socket.events.filter((e) => e.event.type === 'mentioned')).toHaveLength(1);
    await ada.socket.call({ type: 'ping' });
    expect(cy.socket.events.some((e) => e.event.type === 'mentioned')).toBe(false);
    expect(ada.socket.events.some((e) => e.event.type === 'mentioned')).toBe(false);

    // Bob answers in a note of his own (he does not hold the conversation): Ada, who holds it, is told.
    await bob.socket.call({ type: 'send', idempotencyKey: 'note-mention-bob', conversationId: c.conversationId, text: '@Ada Agent approved', internal: true, mentions: [ada.id] });
    await ada.socket.waitForEvent('message', (e) => e.message.text === '@Ada Agent approved');
    await ada.socket.waitForEvent('mentioned', (e) => e.by === 'Bob Agent');
    // A reply to the customer stays the holder's.
    const notHis = await bob.socket.request({ type: 'send', idempotencyKey: 'reply-bob-1', conversationId: c.conversationId, text: 'Hello from Bob' });
    expect(!notHis.ok && notHis.error.code).toBe('conversation/not-yours');

    // Mentions only in notes, only of agents that exist; nothing is stored when refused.
    const inReply = await ada.socket.request({ type: 'send', idempotencyKey: 'note-mention-2', conversationId: c.conversationId, text: 'hi', mentions: [bob.id] });
    expect(!inReply.ok && inReply.error.code).toBe('mention/not-internal');
    const ghost = await ada.socket.request({ type: 'send', idempotencyKey: 'note-mention-3', conversationId: c.conversationId, text: 'hi', internal: true, mentions: [9999] });
    expect(!ghost.ok && ghost.error.code).toBe('agent/not-found');
    expect(h.hub.context.db.prepare(`SELECT COUNT(*) FROM messages WHERE idempotency_key IN ('note-mention-2', 'note-mention-3')`).pluck().get()).toBe(0);
  });
});

describe('GDPR erase', () => {
  it('removes the customer\u2019s conversations, messages, identities and uploads from the hub file, audits it and tells every desktop', async () => {
    const h = await hub({ config: { offerTimeoutMs: 60_000 } });
    const sup = await desk(h, 'sup', { role: 'supervisor' });
    const c1 = chat(h, 'erase', 'My secret code is ZEBRA-7731', 'Quentin Erasable');
    await take(sup, c1.conversationId);
    await sup.socket.call({ type: 'send', idempotencyKey: 'erase-reply-1', conversationId: c1.conversationId, text: 'Noted, Quentin Erasable' });
    await sup.socket.call({ type: 'resolve', conversationId: c1.conversationId });
    // The same visitor again, in a new chat.
    const c2 = chat(h, 'erase-2', 'Second visit: ZEBRA-7731 again', 'Quentin Erasable', 'visitor-erase');
    expect(c2.conversationId).not.toBe(c1.conversationId);
    const keep = chat(h, 'other', 'Unrelated customer KEEP-ME-4410', 'Olivia Kept');
    const bob = await desk(h, 'bob', {}, null);

    const refused = await bob.socket.request({ type: 'eraseCustomer', conversationIds: [c1.conversationId], reason: 'GDPR request' });
    expect(!refused.ok && refused.error.code).toBe('auth/forbidden');

    const result = await sup.socket.call({ type: 'eraseCustomer', conversationIds: [c1.conversationId], reason: 'GDPR request #88' });
    expect(result).toMatchObject({ conversations: 2, contacts: 1 });
    expect(result.messages).toBeGreaterThanOrEqual(3);

    const db = h.hub.context.db;
    expect(db.prepare('SELECT COUNT(*) FROM conversations WHERE id IN (?, ?)').pluck().get(c1.conversationId, c2.conversationId)).toBe(0);
    expect(db.prepare(`SELECT COUNT(*) FROM contacts WHERE address = 'visitor-erase'`).pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM conversations WHERE id = ?').pluck().get(keep.conversationId)).toBe(1);
    const audit = db.prepare('SELECT agent_name AS agentName, action, reason, detail FROM privacy_audit').all() as Array<Record<string, string>>;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ agentName: 'Sup Agent', action: 'erase', reason: 'GDPR request #88' });
    expect(audit[0]!.detail).not.toContain('ZEBRA');

    // Every desktop hears of it (ids only), live and on replay.
    const told = await bob.socket.waitForEvent('customerErased');
    expect([...told.conversationIds].sort()).toEqual([c1.conversationId, c2.conversationId].sort());

    // Nothing of theirs is left anywhere in the file (free pages and the WAL included).
    const file = path.join(h.dataDir, HUB_DATA_FILE);
    const bytes = Buffer.concat([fs.readFileSync(file), fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
    expect(bytes.includes('ZEBRA-7731')).toBe(false);
    expect(bytes.includes('Quentin Erasable')).toBe(false);
    expect(bytes.includes('visitor-erase@customer.example')).toBe(false);
    expect(bytes.includes('KEEP-ME-4410')).toBe(true);
  });

  it('erases a widget visitor\u2019s uploaded files with their rows', async () => {
    const h = await startHub();
    running.push(h);
    const sup = await desk(h, 'sup', { role: 'admin' });
    const c = chat(h, 'files', 'See the attached photo');
    const db = h.hub.context.db;
    const dir = path.join(h.dataDir, 'widget-uploads');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'up-erase-1'), 'PHOTO-BYTES');
    fs.writeFileSync(path.join(dir, 'up-keep-1'), 'OTHER-BYTES');
    db.prepare(`INSERT INTO widget_conversations (conversation_id, thread_key, org, visitor_id, channel, created_at) VALUES (?, 'files', 'demo', 'visitor-files', 'chat', 1)`).run(c.conversationId);
    db.prepare(`INSERT INTO widget_uploads (id, org, visitor_id, conversation_id, name, content_type, size, sha256, created_at) VALUES ('up-erase-1', 'demo', 'visitor-files', ?, 'p.png', 'image/png', 11, 'x', 1)`).run(c.conversationId);
    db.prepare(`INSERT INTO widget_uploads (id, org, visitor_id, conversation_id, name, content_type, size, sha256, created_at) VALUES ('up-keep-1', 'demo', 'someone-else', NULL, 'q.png', 'image/png', 11, 'y', 1)`).run();

    const result = await sup.socket.call({ type: 'eraseCustomer', conversationIds: [c.conversationId], reason: 'GDPR' });
    expect(result.files).toBe(1);
    expect(fs.existsSync(path.join(dir, 'up-erase-1'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'up-keep-1'))).toBe(true);
    expect(db.prepare(`SELECT id FROM widget_uploads`).pluck().all()).toEqual(['up-keep-1']);
    expect(db.prepare(`SELECT COUNT(*) FROM widget_conversations`).pluck().get()).toBe(0);
  });
});
