// Group commit: the changes of one turn of the event loop share one SQLite commit, and nothing is
// acknowledged before it — checked from a second connection to the file, which sees only what is
// committed. When a group's commit fails, everything in it is lost and nobody is told otherwise:
// the agent's answer says it was not saved, the visitor is asked to send again, an HTTP caller
// gets a 500, and the hub carries on.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HUB_DATA_FILE } from '../../src/hub/server';
import type { ConversationService } from '../../src/hub/core/conversations';
import type { HubModuleFactory } from '../../src/hub/services';
import { HubToVisitorFrame } from '../../src/shared/hub/widgetProtocol';
import { agentSession, startHub, TestAgent, type StartedHub } from '../helpers/hub';

const running: StartedHub[] = [];
const sockets: TestAgent[] = [];
const others: { close(): void }[] = [];

afterEach(async () => {
  for (const o of others.splice(0)) o.close();
  for (const s of sockets.splice(0)) await s.close();
  for (const h of running.splice(0)) await h.close();
});

async function hub(options: Parameters<typeof startHub>[0] = {}): Promise<StartedHub> {
  const h = await startHub({ modules: [], config: { offerTimeoutMs: 60_000 }, ...options });
  running.push(h);
  return h;
}

/** A second, read-only connection to the hub's file: it sees committed rows only. */
function outside(h: StartedHub) {
  const db = new Database(path.join(h.dataDir, HUB_DATA_FILE), { readonly: true, fileMustExist: true });
  others.push(db);
  return db;
}

/** An agent holding one chat conversation. */
async function agentWithChat(h: StartedHub, username = 'ada') {
  const session = await agentSession(h, { username });
  const socket = await TestAgent.connect(h.url, session.token);
  sockets.push(socket);
  await socket.call({ type: 'setPresence', presence: 'available' });
  const c = h.hub.context.conversations.ingestInbound({
    channel: 'chat',
    providerId: `gc-${username}`,
    threadKey: `gc-${username}`,
    contact: { address: `visitor-${username}` },
    text: 'Hello?',
    receivedAt: Date.now(),
  });
  const offer = await socket.waitForEvent('offer', (e) => e.conversation.id === c.conversationId);
  await socket.call({ type: 'acceptOffer', offerId: offer.offerId });
  return { ...session, socket, conversationId: c.conversationId };
}

/** Makes the open group's commit fail: a row whose foreign key is checked only at COMMIT. */
function poison(h: StartedHub, agentId: number): void {
  const db = h.hub.context.db;
  db.pragma('defer_foreign_keys = ON');
  db.prepare(`INSERT INTO offers (conversation_id, agent_id, state, round, created_at, expires_at) VALUES (987654321, ?, 'declined', 0, 0, 0)`).run(agentId);
}

describe('group commit', () => {
  it('answers each send only once it is committed, and commits a burst of sends together', async () => {
    const h = await hub();
    const ada = await agentWithChat(h);
    const reader = outside(h);
    const stored = reader.prepare('SELECT COUNT(*) AS n FROM messages WHERE idempotency_key = ?');

    const before = h.hub.stats().commits;
    const keys = Array.from({ length: 20 }, (_, i) => `burst-key-${i}`);
    const seenCommitted: boolean[] = [];
    await Promise.all(
      keys.map(async (key) => {
        const res = await ada.socket.call({ type: 'send', conversationId: ada.conversationId, text: key, idempotencyKey: key });
        expect(res.duplicate).toBe(false);
        // The moment the answer arrives, another connection sees the row.
        seenCommitted.push((stored.get(key) as { n: number }).n === 1);
      }),
    );
    expect(seenCommitted).toEqual(keys.map(() => true));
    // Twenty sends arriving together took fewer commits than sends (one per turn of the event loop).
    expect(h.hub.stats().commits - before).toBeLessThan(keys.length);
    expect(h.logs.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('an inbound message is visible to other connections before any HTTP response leaves the hub', async () => {
    let reader: Database.Database | null = null;
    const webhook: HubModuleFactory = (ctx) => ({
      name: 'test-webhook',
      handleHttp(req, res, url) {
        if (url.pathname !== '/test-webhook') return false;
        const r = ctx.conversations.ingestInbound({
          channel: 'sms',
          providerId: `SM-${url.searchParams.get('id')}`,
          threadKey: '+15550199',
          contact: { address: '+15550199' },
          text: 'ping',
          receivedAt: Date.now(),
        });
        // Another connection does not see it yet: it is in the open group.
        const before = reader!.prepare('SELECT COUNT(*) AS n FROM messages WHERE id = ?').get(r.messageId) as { n: number };
        res.writeHead(200, { 'content-type': 'application/json' });
        const after = reader!.prepare('SELECT COUNT(*) AS n FROM messages WHERE id = ?').get(r.messageId) as { n: number };
        res.end(JSON.stringify({ before: before.n, after: after.n }));
        return true;
      },
    });
    const h = await hub({ modules: [webhook] });
    reader = outside(h);
    const answer = (await (await fetch(`${h.url}/test-webhook?id=1`, { method: 'POST' })).json()) as { before: number; after: number };
    expect(answer).toEqual({ before: 0, after: 1 });
  });

  it('when a commit fails, the agent is told the send was not saved, nothing of it is stored or sent, and the hub carries on', async () => {
    const h = await hub();
    const ada = await agentWithChat(h);
    const conversations = h.hub.context.conversations as ConversationService;
    let armed = true;
    conversations.observe({
      agentMessage: (_c, message) => {
        if (armed && message.text === 'doomed') {
          armed = false;
          poison(h, ada.id);
        }
      },
    });

    const failed = await ada.socket.request({ type: 'send', conversationId: ada.conversationId, text: 'doomed', idempotencyKey: 'doomed-key-1' });
    expect(failed.ok).toBe(false);
    expect(!failed.ok && failed.error.code).toBe('internal');
    expect(h.hub.context.db.prepare(`SELECT COUNT(*) AS n FROM messages WHERE idempotency_key = 'doomed-key-1'`).get()).toEqual({ n: 0 });
    expect(h.hub.context.db.prepare('SELECT COUNT(*) AS n FROM offers WHERE conversation_id = 987654321').get()).toEqual({ n: 0 });
    expect(ada.socket.events.some((e) => e.event.type === 'message' && e.event.message.text === 'doomed')).toBe(false);
    expect(h.logs.some((l) => l.startsWith('error') && l.includes('could not be committed'))).toBe(true);

    // The desktop retries with the same key: stored once, answered, delivered as an event.
    const again = await ada.socket.call({ type: 'send', conversationId: ada.conversationId, text: 'doomed', idempotencyKey: 'doomed-key-1' });
    expect(again.duplicate).toBe(false);
    await ada.socket.waitForEvent('message', (e) => e.message.idempotencyKey === 'doomed-key-1');
    expect((conversations.routing.checkPool())).toEqual({ loads: [], pool: [] });
  });

  it('when a commit fails, the visitor is asked to send the message again instead of getting an ack, and the resend is stored once', async () => {
    const h = await hub({ modules: undefined });
    const conversations = h.hub.context.conversations as ConversationService;
    let armed = true;
    conversations.observe({
      inboundStored: () => {
        if (!armed) return;
        armed = false;
        poison(h, 1);
      },
    });
    const session = await agentSession(h, { username: 'ada' });

    const ws = new WebSocket(`${h.url.replace(/^http/, 'ws')}/widget?org=demo`);
    others.push({ close: () => ws.terminate() });
    const frames: HubToVisitorFrame[] = [];
    const waiters = new Set<() => void>();
    ws.on('message', (data) => {
      frames.push(HubToVisitorFrame.parse(JSON.parse(String(data))));
      for (const w of [...waiters]) w();
    });
    const next = (match: (f: HubToVisitorFrame) => boolean) =>
      new Promise<HubToVisitorFrame>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching frame; got ${JSON.stringify(frames)}`)), 15_000);
        const check = () => {
          const f = frames.find(match);
          if (!f) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(f);
        };
        waiters.add(check);
        check();
      });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(JSON.stringify({ t: 'hello', protocol: 1, visitorId: 'visitor-gc-1' }));
    await next((f) => f.t === 'welcome');

    ws.send(JSON.stringify({ t: 'msg', clientId: 'client-0001', text: 'Is anyone there?', uploads: [] }));
    const error = await next((f) => f.t === 'error' && f.clientId === 'client-0001');
    expect(error).toMatchObject({ error: { code: 'widget/not-stored' } });
    expect(frames.some((f) => f.t === 'ack')).toBe(false);
    expect(h.hub.context.db.prepare(`SELECT COUNT(*) AS n FROM messages WHERE provider_id = 'visitor-gc-1:client-0001'`).get()).toEqual({ n: 0 });
    expect(h.hub.context.db.prepare('SELECT COUNT(*) AS n FROM widget_conversations').get()).toEqual({ n: 0 });

    ws.send(JSON.stringify({ t: 'msg', clientId: 'client-0001', text: 'Is anyone there?', uploads: [] }));
    const ack = await next((f) => f.t === 'ack' && f.clientId === 'client-0001');
    expect(ack).toMatchObject({ duplicate: false });
    expect(outside(h).prepare(`SELECT COUNT(*) AS n FROM messages WHERE provider_id = 'visitor-gc-1:client-0001'`).get()).toEqual({ n: 1 });
    expect(session.id).toBeGreaterThan(0);
  });
});
