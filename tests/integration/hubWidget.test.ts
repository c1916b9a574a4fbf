// The website chat widget against a real hub on loopback: real `ws` clients play the visitor and
// the agent (agent protocol), uploads go over real HTTP, everything is stored in a real SQLite file.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Hub } from '../../src/hub/server';
import type { HubConfigInput } from '../../src/hub/config';
import type { InboundMessage } from '../../src/hub/services';
import { userHash } from '../../src/hub/widget/identity';
import { HubToVisitorFrame, type VisitorFrameInput } from '../../src/shared/hub/widgetProtocol';
import type { AgentServerFrame, AgentRequest, HubEvent } from '../../src/shared/hub/agentProtocol';
import { tempDir } from '../helpers/tempDir';
import { agentSession, startHub as startRealHub, type StartedHub } from '../helpers/hub';

const WAIT_MS = 20_000;
const SECRET = 'acme-backend-secret-0123456789';

const running: { started: StartedHub; sockets: WebSocket[] }[] = [];

afterEach(async () => {
  for (const r of running.splice(0)) {
    for (const s of r.sockets) {
      s.on('error', () => {});
      if (s.readyState !== WebSocket.CLOSED) s.terminate();
    }
    await r.started.close();
  }
});

async function startHub(widget: NonNullable<HubConfigInput['widget']> = {}, now?: () => number) {
  const started = await startRealHub({ config: { widget }, ...(now ? { now } : {}) });
  const entry = { started, hub: started.hub, sockets: [] as WebSocket[] };
  running.push(entry);
  return entry;
}

/** Collects every frame; `next` takes the first not yet taken that matches, waiting for it. */
class FrameQueue<F> {
  private readonly frames: F[] = [];
  private readonly waiters = new Set<() => void>();
  push(f: F): void {
    this.frames.push(f);
    for (const w of [...this.waiters]) w();
  }
  all(): readonly F[] {
    return this.frames;
  }
  next<T extends F>(match: (f: F) => f is T, what: string): Promise<T>;
  next(match: (f: F) => boolean, what: string): Promise<F>;
  next(match: (f: F) => boolean, what: string): Promise<F> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const i = this.frames.findIndex(match);
        if (i < 0) return false;
        const [f] = this.frames.splice(i, 1);
        this.waiters.delete(check as () => void);
        clearTimeout(timer);
        resolve(f!);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check as () => void);
        reject(new Error(`Timed out waiting for ${what}; frames: ${JSON.stringify(this.frames).slice(0, 2000)}`));
      }, WAIT_MS);
      if (!check()) this.waiters.add(check as () => void);
    });
  }
}

type VFrame = HubToVisitorFrame;
type Of<T extends VFrame['t']> = Extract<VFrame, { t: T }>;
const is =
  <T extends VFrame['t']>(t: T, extra: (f: Of<T>) => boolean = () => true) =>
  (f: VFrame): f is Of<T> =>
    f.t === t && extra(f as Of<T>);

interface VisitorOptions {
  org?: string;
  origin?: string;
}

async function openVisitor(entry: { hub: Hub; sockets: WebSocket[] }, opts: VisitorOptions = {}) {
  const url = `${entry.hub.url.replace(/^http/, 'ws')}/widget?org=${opts.org ?? 'demo'}`;
  const ws = new WebSocket(url, opts.origin ? { origin: opts.origin } : {});
  entry.sockets.push(ws);
  const frames = new FrameQueue<VFrame>();
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  ws.on('message', (data) => frames.push(HubToVisitorFrame.parse(JSON.parse(String(data)))));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    closed,
    send: (f: VisitorFrameInput | Record<string, unknown>) => ws.send(JSON.stringify(f)),
    async hello(f: Partial<Extract<VisitorFrameInput, { t: 'hello' }>> & { visitorId: string }) {
      ws.send(JSON.stringify({ t: 'hello', protocol: 1, ...f }));
      return frames.next(is('welcome'), 'welcome');
    },
    async say(clientId: string, text: string, uploads: string[] = []) {
      ws.send(JSON.stringify({ t: 'msg', clientId, text, uploads }));
      return frames.next(is('ack', (a) => a.clientId === clientId), `ack ${clientId}`);
    },
  };
}

/** A desktop speaking the agent protocol over a real socket. */
async function openAgent(entry: { started: StartedHub }, username: string) {
  const hub = entry.started.hub;
  const login = await agentSession(entry.started, { username, displayName: `Agent ${username}` });
  const ws = new WebSocket(`${hub.url.replace(/^http/, 'ws')}/agent`);
  const frames = new FrameQueue<AgentServerFrame>();
  // Parsed as JSON only: the protocol's own schema is exercised by the core's tests.
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as AgentServerFrame));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ t: 'hello', token: login.token, resumeAfter: 0, protocol: 1 }));
  await frames.next((f) => f.t === 'caughtUp', 'caughtUp');
  let nextId = 1;
  const request = async (req: AgentRequest | Record<string, unknown>) => {
    const id = nextId++;
    ws.send(JSON.stringify({ t: 'req', id, req }));
    const res = await frames.next((f) => f.t === 'res' && f.id === id, `result of ${String(req.type)}`);
    if (res.t !== 'res' || !res.ok) throw new Error(`${String(req.type)} failed: ${JSON.stringify(res)}`);
    return res.value as Record<string, unknown>;
  };
  const event = async <T extends HubEvent['type']>(type: T, match: (e: Extract<HubEvent, { type: T }>) => boolean = () => true) => {
    const f = await frames.next(
      (x) => x.t === 'evt' && x.event.type === type && match(x.event as Extract<HubEvent, { type: T }>),
      `agent event ${type}`,
    );
    return (f as Extract<AgentServerFrame, { t: 'evt' }>).event as Extract<HubEvent, { type: T }>;
  };
  await request({ type: 'setPresence', presence: 'available', capacity: { chat: 5, in_app: 5 } });
  return { ws, frames, request, event, token: login.token };
}

describe('website chat widget on a real hub', () => {
  it("a visitor's first message becomes a waiting chat with the visitor id attached", async () => {
    const entry = await startHub();
    const seen: InboundMessage[] = [];
    entry.hub.context.conversations.observe({ inbound: (_c, _m, input) => seen.push(input) });
    const v = await openVisitor(entry);
    const welcome = await v.hello({ visitorId: 'v_first_visitor_1' });
    expect(welcome).toMatchObject({ conversation: null, resumeRefused: false, messages: [], org: { name: 'Fernhill Coffee', online: true } });

    const ack = await v.say('c_hello_0001', 'Do you ship to Canada?');
    expect(ack.duplicate).toBe(false);
    expect(ack.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ack.message).toMatchObject({ from: 'visitor', text: 'Do you ship to Canada?', clientId: 'c_hello_0001' });

    const conv = entry.hub.context.conversations.conversation(ack.conversationId)!;
    expect(conv.channel).toBe('chat');
    expect(conv.contact).toMatchObject({ address: 'v_first_visitor_1', verified: false });
    expect(['waiting', 'offered']).toContain(conv.status);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.metadata).toMatchObject({ visitorId: 'v_first_visitor_1', org: 'demo' });
    expect(seen[0]!.providerId).toContain('c_hello_0001');
    // Only the token's hash is stored.
    const stored = entry.hub.context.db.prepare('SELECT token_hash FROM widget_tokens').all() as { token_hash: string }[];
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toBe(ack.token);
  });

  it('an agent accepts, typing shows on both sides, and the visitor sees the reply live', async () => {
    const entry = await startHub();
    const agent = await openAgent(entry, 'maya');
    const v = await openVisitor(entry);
    await v.hello({ visitorId: 'v_live_visitor_1' });
    const ack = await v.say('c_live_0001', 'My grinder arrived broken.');

    const offer = await agent.event('offer', (e) => e.conversation.id === ack.conversationId);
    await agent.request({ type: 'acceptOffer', offerId: offer.offerId });

    v.send({ t: 'typing', typing: true });
    const typing = await agent.frames.next((f) => f.t === 'customerTyping' && f.conversationId === ack.conversationId && f.typing, 'customer typing');
    expect(typing).toBeTruthy();

    await agent.request({ type: 'typing', conversationId: ack.conversationId, typing: true, drafting: true });
    expect(await v.frames.next(is('typing', (t) => t.typing), 'agent typing')).toMatchObject({ agentName: 'Agent maya' });

    await agent.request({ type: 'send', idempotencyKey: 'reply-live-0001', conversationId: ack.conversationId, text: 'So sorry! A replacement ships today.' });
    const reply = await v.frames.next(is('msg', (m) => m.message.from === 'agent'), 'agent reply');
    expect(reply.message).toMatchObject({ text: 'So sorry! A replacement ships today.', authorName: 'Agent maya' });
    const delivery = await agent.event('delivery', (e) => e.messageId === reply.message.id && e.status !== 'stored');
    expect(delivery.status).toBe('delivered');
    // Pushed by the observer and by the sender, shown once.
    await new Promise((r) => setTimeout(r, 200));
    expect(v.frames.all().filter((f) => f.t === 'msg' && f.message.id === reply.message.id)).toHaveLength(0);
  });

  it('after a reconnect the visitor gets the missed replies once and in order, and a resent message is stored once', async () => {
    const entry = await startHub();
    const agent = await openAgent(entry, 'sam');
    const first = await openVisitor(entry);
    await first.hello({ visitorId: 'v_resume_visitor' });
    const ack = await first.say('c_resume_0001', 'Is the Kiambu back in stock?');
    const offer = await agent.event('offer');
    await agent.request({ type: 'acceptOffer', offerId: offer.offerId });
    first.ws.close();
    await first.closed;

    const texts = ['Checking now.', 'Yes, it is back!', 'Want me to reserve a bag?'];
    for (const [i, text] of texts.entries()) {
      await agent.request({ type: 'send', idempotencyKey: `reply-offline-${i}-x`, conversationId: ack.conversationId, text });
    }
    for (let i = 0; i < texts.length; i++) {
      const d = await agent.event('delivery', (e) => e.status !== 'stored');
      expect(d.status).toBe('sent');
    }

    const again = await openVisitor(entry);
    const welcome = await again.hello({
      visitorId: 'v_resume_visitor',
      resume: { conversationId: ack.conversationId, token: ack.token! },
      lastMessageId: ack.message.id,
    });
    expect(welcome.conversation).toMatchObject({ id: ack.conversationId, resolved: false });
    expect(welcome.messages.map((m) => m.text)).toEqual(texts);

    // The ack of a message was lost: the widget sends it again after reconnecting.
    const resent = await again.say('c_resume_0001', 'Is the Kiambu back in stock?');
    expect(resent).toMatchObject({ duplicate: true, conversationId: ack.conversationId, token: null });
    expect(resent.message.id).toBe(ack.message.id);

    // A new page load (lastMessageId 0) shows the whole history, the visitor's message first.
    const reload = await openVisitor(entry);
    const history = await reload.hello({ visitorId: 'v_resume_visitor', resume: { conversationId: ack.conversationId, token: ack.token! } });
    expect(history.messages.map((m) => m.text)).toEqual(['Is the Kiambu back in stock?', ...texts]);
    const ids = history.messages.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it('a resend whose ack was lost before the token arrived gets a new token for the same conversation', async () => {
    const entry = await startHub();
    const v = await openVisitor(entry);
    await v.hello({ visitorId: 'v_lost_ack_0001' });
    const ack = await v.say('c_lost_ack_01', 'Hello?');
    v.ws.close();
    const again = await openVisitor(entry);
    await again.hello({ visitorId: 'v_lost_ack_0001' });
    const resent = await again.say('c_lost_ack_01', 'Hello?');
    expect(resent).toMatchObject({ duplicate: true, conversationId: ack.conversationId });
    expect(resent.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Someone else with the same client id learns nothing.
    const stranger = await openVisitor(entry);
    await stranger.hello({ visitorId: 'v_stranger_0001' });
    stranger.send({ t: 'msg', clientId: 'c_lost_ack_01', text: 'Hello?' });
    const theirs = await stranger.frames.next(is('ack'), 'ack');
    expect(theirs).toMatchObject({ duplicate: false });
    expect(theirs.conversationId).not.toBe(ack.conversationId);
  });

  it("one visitor cannot read another's conversation with a wrong or borrowed token", async () => {
    const entry = await startHub();
    const alice = await openVisitor(entry);
    await alice.hello({ visitorId: 'v_alice_000001' });
    const a = await alice.say('c_alice_0001', 'My address is 12 Elm Street');
    const bob = await openVisitor(entry);
    await bob.hello({ visitorId: 'v_bob_00000001' });
    const b = await bob.say('c_bob_000001', 'Hi');

    const forger = await openVisitor(entry);
    const forged = await forger.hello({ visitorId: 'v_alice_000001', resume: { conversationId: a.conversationId, token: 'x'.repeat(43) } });
    expect(forged).toMatchObject({ conversation: null, resumeRefused: true, messages: [] });
    const borrowed = await openVisitor(entry);
    const mixed = await borrowed.hello({ visitorId: 'v_bob_00000001', resume: { conversationId: a.conversationId, token: b.token! } });
    expect(mixed).toMatchObject({ conversation: null, resumeRefused: true, messages: [] });
  });

  it('a verified in-app user joins their profile; a forged hash is treated as an anonymous visitor', async () => {
    const entry = await startHub({ orgs: { acme: { name: 'Acme', identitySecret: SECRET } } });
    const good = await openVisitor(entry, { org: 'acme' });
    const welcome = await good.hello({ visitorId: 'v_inapp_good_1', user: { id: 'user-42', hash: userHash(SECRET, 'user-42'), name: 'Jane Smith', email: 'jane@acme.example' } });
    expect(welcome.org.name).toBe('Acme');
    const ack = await good.say('c_inapp_0001', 'Export fails with error 500');
    const conv = entry.hub.context.conversations.conversation(ack.conversationId)!;
    expect(conv.channel).toBe('in_app');
    expect(conv.contact).toMatchObject({ accountId: 'user-42', verified: true, displayName: 'Jane Smith', email: 'jane@acme.example' });

    for (const [i, hash] of [userHash('another-secret-0123456789', 'user-42'), userHash(SECRET, 'user-43'), 'nothex', ''].entries()) {
      const forger = await openVisitor(entry, { org: 'acme' });
      const w = await forger.hello({ visitorId: `v_inapp_forged_${i}`, user: { id: 'user-42', hash, name: 'Jane Smith' } });
      expect(w.resumeRefused).toBe(false);
      const f = await forger.say(`c_forged_000${i}`, 'Let me see Jane’s tickets');
      const c = entry.hub.context.conversations.conversation(f.conversationId)!;
      expect(c.channel).toBe('chat');
      expect(c.contact).toMatchObject({ address: `v_inapp_forged_${i}`, accountId: null, verified: false });
      expect(c.id).not.toBe(ack.conversationId);
      expect(forger.frames.all().filter((x) => x.t === 'error')).toEqual([]);
    }
  });

  it('outside chat hours the visitor leaves a message that becomes an email ticket', async () => {
    // Sunday 2026-03-01 12:00 in New York; the shop chats Monday to Friday.
    const sunday = Date.parse('2026-03-01T17:00:00Z');
    const entry = await startHub(
      {
        orgs: {
          demo: {
            name: 'Fernhill Coffee',
            businessHours: { id: 'chat', timeZone: 'America/New_York', weekly: { mon: [{ start: '09:00', end: '17:00' }], fri: [{ start: '09:00', end: '17:00' }] } },
          },
        },
      },
      () => sunday,
    );
    const v = await openVisitor(entry);
    const welcome = await v.hello({ visitorId: 'v_offline_00001' });
    expect(welcome.org.online).toBe(false);

    v.send({ t: 'leaveMessage', clientId: 'c_off_00001', name: 'Ann', email: 'ann@nope', text: 'Call me' });
    expect(await v.frames.next(is('error'), 'bad email')).toMatchObject({ error: { code: 'widget/bad-frame', message: expect.stringContaining('valid email address') }, clientId: 'c_off_00001' });

    v.send({ t: 'leaveMessage', clientId: 'c_off_00002', name: 'Ann Lee', email: 'Ann@Example.com', text: 'Please cancel my subscription.' });
    const left = await v.frames.next(is('leftMessage'), 'left message');
    const ticket = entry.hub.context.conversations.conversation(left.ticketId)!;
    expect(ticket.channel).toBe('email');
    expect(ticket.contact).toMatchObject({ email: 'ann@example.com', displayName: 'Ann Lee' });
    expect(entry.hub.context.conversations.messagesAfter(ticket.id, 0).map((m) => m.text)).toEqual(['Please cancel my subscription.']);
  });

  it('a resolved chat asks for a rating, which is recorded once and reaches the agent', async () => {
    const entry = await startHub();
    const agent = await openAgent(entry, 'lee');
    const v = await openVisitor(entry);
    await v.hello({ visitorId: 'v_csat_visitor1' });
    const ack = await v.say('c_csat_00001', 'Thanks for the help earlier');
    v.send({ t: 'csat', rating: 5 });
    expect(await v.frames.next(is('error'), 'not yet')).toMatchObject({ error: { code: 'widget/not-resolved' } });

    const offer = await agent.event('offer');
    await agent.request({ type: 'acceptOffer', offerId: offer.offerId });
    await agent.request({ type: 'resolve', conversationId: ack.conversationId });
    await v.frames.next(is('resolved'), 'resolved');

    // A reload after the end still asks.
    const reload = await openVisitor(entry);
    const w = await reload.hello({ visitorId: 'v_csat_visitor1', resume: { conversationId: ack.conversationId, token: ack.token! } });
    expect(w.conversation).toMatchObject({ resolved: true, askCsat: true });

    v.send({ t: 'csat', rating: 4, comment: '  Quick and kind  ' });
    await v.frames.next(is('csatThanks'), 'thanks');
    expect(await agent.event('csat')).toMatchObject({ conversationId: ack.conversationId, rating: 4, comment: 'Quick and kind' });
    v.send({ t: 'csat', rating: 1 });
    expect(await v.frames.next(is('error'), 'second rating')).toMatchObject({ error: { code: 'widget/csat-already' } });
    const again = await openVisitor(entry);
    const w2 = await again.hello({ visitorId: 'v_csat_visitor1', resume: { conversationId: ack.conversationId, token: ack.token! } });
    expect(w2.conversation).toMatchObject({ resolved: true, askCsat: false });
  });

  it('a visitor sending too fast is told so and the extra message is not stored', async () => {
    const entry = await startHub({ messagesPerMinute: 3 });
    const v = await openVisitor(entry);
    await v.hello({ visitorId: 'v_fast_visitor1' });
    let conversationId = 0;
    for (let i = 0; i < 3; i++) conversationId = (await v.say(`c_fast_0000${i}`, `message ${i}`)).conversationId;
    v.send({ t: 'msg', clientId: 'c_fast_00003', text: 'one too many' });
    expect(await v.frames.next(is('error'), 'rate limited')).toMatchObject({ error: { code: 'widget/rate-limited' }, clientId: 'c_fast_00003' });
    expect(entry.hub.context.conversations.messagesAfter(conversationId, 0).map((m) => m.text)).toEqual(['message 0', 'message 1', 'message 2']);
  });

  it('bad frames get an error, a frame over the cap or a socket without hello is closed, a foreign origin is refused', async () => {
    const entry = await startHub({ maxFrameBytes: 4096, orgs: { demo: { allowedOrigins: ['https://shop.example'] } } });
    const v = await openVisitor(entry);
    v.send({ t: 'msg', clientId: 'c_early_0001', text: 'before hello' });
    expect((await v.closed).code).toBe(1008);

    const w = await openVisitor(entry, { origin: 'https://shop.example' });
    await w.hello({ visitorId: 'v_badframes_001' });
    w.ws.send('not json');
    expect(await w.frames.next(is('error'), 'json error')).toMatchObject({ error: { code: 'widget/bad-frame', message: 'Frames must be JSON text.' } });
    w.send({ t: 'msg', clientId: 'c_bad_000001', text: 5 });
    expect(await w.frames.next(is('error'), 'schema error')).toMatchObject({ error: { code: 'widget/bad-frame' }, clientId: 'c_bad_000001' });
    w.send({ t: 'msg', clientId: 'c_big_000001', text: 'x'.repeat(5000) });
    expect((await w.closed).code).toBe(1009);

    const hostile = new WebSocket(`${entry.hub.url.replace(/^http/, 'ws')}/widget?org=demo`, { origin: 'https://evil.example' });
    entry.sockets.push(hostile);
    const status = await new Promise<number>((resolve) => hostile.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(403);
    const unknown = new WebSocket(`${entry.hub.url.replace(/^http/, 'ws')}/widget?org=nobody`);
    entry.sockets.push(unknown);
    expect(await new Promise<number>((resolve) => unknown.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)))).toBe(404);
    // The hub is still fine.
    const ok = await openVisitor(entry, { origin: 'https://shop.example' });
    expect((await ok.hello({ visitorId: 'v_after_bad_01' })).t).toBe('welcome');
  });
});

describe('widget uploads and files', () => {
  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );

  async function upload(hub: Hub, body: { visitorId?: string; file?: Buffer; name?: string; type?: string }, origin?: string) {
    const form = new FormData();
    if (body.visitorId) form.append('visitorId', body.visitorId);
    if (body.file) form.append('file', new Blob([new Uint8Array(body.file)], { type: body.type ?? 'image/png' }), body.name ?? 'photo.png');
    const res = await fetch(`${hub.url}/widget/upload?org=demo`, { method: 'POST', body: form, headers: origin ? { Origin: origin } : {} });
    return { status: res.status, headers: res.headers, body: (await res.json()) as { upload?: { id: string }; error?: { code: string; message: string } } };
  }

  it('a picture is checked by its bytes, sent in a message, and opened by the visitor and an agent only', async () => {
    const entry = await startHub({ maxUploadBytes: 2048, orgs: { demo: { allowedOrigins: ['https://shop.example'] } } });
    const { hub } = entry;

    const html = await upload(hub, { visitorId: 'v_upload_visit1', file: Buffer.from('<html><script>alert(1)</script></html>'), name: 'innocent.png' });
    expect(html.status).toBe(415);
    expect(html.body.error).toEqual({ code: 'widget/upload-type', message: 'This kind of file cannot be sent here. You can send PNG, JPEG, GIF, WebP and PDF files.' });

    const big = await upload(hub, { visitorId: 'v_upload_visit1', file: Buffer.concat([PNG, Buffer.alloc(4096)]) });
    expect(big.status).toBe(413);
    expect(big.body.error).toEqual({ code: 'widget/upload-too-large', message: 'The file is larger than 2 KB. Please send a smaller file.' });

    expect((await upload(hub, { file: PNG })).body.error?.code).toBe('widget/upload-malformed');
    expect((await upload(hub, { visitorId: 'v_upload_visit1' })).body.error?.code).toBe('widget/upload-missing');
    expect((await upload(hub, { visitorId: 'v_upload_visit1', file: PNG }, 'https://evil.example')).status).toBe(403);
    const garbled = await fetch(`${hub.url}/widget/upload?org=demo`, { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=xyz' }, body: '--xyz\r\nbroken' });
    expect(garbled.status).toBeGreaterThanOrEqual(400);
    expect(garbled.status).toBeLessThan(500);

    const ok = await upload(hub, { visitorId: 'v_upload_visit1', file: PNG, name: '../../etc/receipt.png' }, 'https://shop.example');
    expect(ok.status).toBe(201);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(ok.body.upload).toMatchObject({ name: 'receipt.png', contentType: 'image/png', size: PNG.length });
    const uploadId = ok.body.upload!.id;

    const v = await openVisitor(entry);
    await v.hello({ visitorId: 'v_upload_visit1' });
    const ack = await v.say('c_upload_0001', 'Here is the receipt', [uploadId]);
    expect(ack.message.attachments).toEqual([{ name: 'receipt.png', contentType: 'image/png', size: PNG.length, url: `/widget/files/${uploadId}` }]);

    const mine = await fetch(`${hub.url}/widget/files/${uploadId}?token=${ack.token}`);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await mine.arrayBuffer()).equals(PNG)).toBe(true);

    const agent = await openAgent(entry, 'ops');
    const asAgent = await fetch(`${hub.url}/widget/files/${uploadId}`, { headers: { Authorization: `Bearer ${agent.token}` } });
    expect(asAgent.status).toBe(200);

    const other = await openVisitor(entry);
    await other.hello({ visitorId: 'v_upload_other1' });
    const otherAck = await other.say('c_upload_0002', 'hi');
    expect((await fetch(`${hub.url}/widget/files/${uploadId}?token=${otherAck.token}`)).status).toBe(404);
    expect((await fetch(`${hub.url}/widget/files/${uploadId}`)).status).toBe(401);
    // Another visitor cannot attach someone else's upload either.
    other.send({ t: 'msg', clientId: 'c_steal_0001', text: 'mine now', uploads: [uploadId] });
    expect(await other.frames.next(is('error'), 'upload refused')).toMatchObject({ error: { code: 'widget/upload-unknown' } });
  });

  it("an agent's file reaches the visitor as a download only they and agents can open; foreign or unsafe files are refused", async () => {
    const entry = await startHub();
    const { hub } = entry;
    const agent = await openAgent(entry, 'lena');
    const v = await openVisitor(entry);
    await v.hello({ visitorId: 'v_agentfile_001' });
    const ack = await v.say('c_agentfile_01', 'Can you send me the label?');
    const offer = await agent.event('offer', (e) => e.conversation.id === ack.conversationId);
    await agent.request({ type: 'acceptOffer', offerId: offer.offerId });

    const agentUpload = async (conversation: number, file: Buffer, name: string, token: string | null = agent.token) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(file)]), name);
      const res = await fetch(`${hub.url}/widget/agent-upload?conversation=${conversation}`, { method: 'POST', body: form, headers: token ? { Authorization: `Bearer ${token}` } : {} });
      return { status: res.status, body: (await res.json()) as { upload?: { id: string; name: string; contentType: string; size: number }; error?: { code: string; message: string } } };
    };
    expect((await agentUpload(ack.conversationId, PNG, 'label.png', null)).status).toBe(401);
    const script = await agentUpload(ack.conversationId, Buffer.from('#!/bin/sh\nrm -rf /\n'), 'label.png');
    expect(script.status).toBe(415);
    expect(script.body.error?.message).toBe('This kind of file cannot be sent in a chat. Chats take PNG, JPEG, GIF, WebP and PDF files.');
    expect((await agentUpload(999_999, PNG, 'label.png')).status).toBe(404);

    const up = await agentUpload(ack.conversationId, PNG, 'shipping-label.png');
    expect(up.status).toBe(201);
    expect(up.body.upload).toMatchObject({ name: 'shipping-label.png', contentType: 'image/png', size: PNG.length });
    await agent.request({ type: 'send', idempotencyKey: 'agent-file-0001', conversationId: ack.conversationId, text: 'Here is your label.', uploads: [up.body.upload!.id] });
    const got = await v.frames.next(is('msg', (m) => m.message.from === 'agent'), 'the reply with the file');
    expect(got.message.attachments).toEqual([{ name: 'shipping-label.png', contentType: 'image/png', size: PNG.length, url: `/widget/files/${up.body.upload!.id}` }]);
    const download = await fetch(`${hub.url}${got.message.attachments[0]!.url}?token=${ack.token}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);

    // A file uploaded for another conversation cannot ride on this one.
    const w = await openVisitor(entry);
    await w.hello({ visitorId: 'v_agentfile_002' });
    const other = await w.say('c_agentfile_02', 'hello');
    const otherOffer = await agent.event('offer', (e) => e.conversation.id === other.conversationId);
    await agent.request({ type: 'acceptOffer', offerId: otherOffer.offerId });
    const theirs = await agentUpload(other.conversationId, PNG, 'private.png');
    await expect(agent.request({ type: 'send', idempotencyKey: 'agent-file-0002', conversationId: ack.conversationId, text: 'oops', uploads: [theirs.body.upload!.id] })).rejects.toThrow(
      /send\/attachments.*was not uploaded for this conversation/,
    );
  });
});

describe('widget pages', () => {
  it('serves the demo page and the script with caching, or says how to build it', async () => {
    const missing = await startHub({ scriptFile: '/nonexistent/widget.js' });
    const none = await fetch(`${missing.hub.url}/widget.js`);
    expect(none.status).toBe(503);
    expect(await none.text()).toContain('npm run build');

    const dir = tempDir('omni-widget-script-');
    try {
      const file = path.join(dir.dir, 'widget.js');
      fs.writeFileSync(file, 'console.log("widget")');
      const entry = await startHub({ scriptFile: file });
      const res = await fetch(`${entry.hub.url}/widget.js`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(res.headers.get('cache-control')).toContain('max-age=');
      const etag = res.headers.get('etag')!;
      expect((await fetch(`${entry.hub.url}/widget.js`, { headers: { 'If-None-Match': etag } })).status).toBe(304);

      const demo = await fetch(`${entry.hub.url}/widget/demo`);
      expect(demo.status).toBe(200);
      const page = await demo.text();
      expect(page).toContain('<script src="/widget.js" data-org="demo" async></script>');
      expect(page).toContain('Fernhill Coffee');
    } finally {
      dir.remove();
    }
  });
});

describe('rich text in in-app messages', () => {
  it("an agent's Markdown reaches an in-app user rendered, hostile parts inert, live and on resume; website chat stays plain", async () => {
    const entry = await startHub({ orgs: { acme: { name: 'Acme', identitySecret: SECRET } } });
    const agent = await openAgent(entry, 'ravi');
    const v = await openVisitor(entry, { org: 'acme' });
    await v.hello({ visitorId: 'v_rich_inapp_1', user: { id: 'user-77', hash: userHash(SECRET, 'user-77'), name: 'Sam Ortiz' } });
    const ack = await v.say('c_rich_0001', 'How do I export my data?');
    const offer = await agent.event('offer', (e) => e.conversation.id === ack.conversationId);
    await agent.request({ type: 'acceptOffer', offerId: offer.offerId });

    const markdown =
      '**Go to Settings** and read [the guide](https://help.acme.example/export).\n\n- Choose `CSV`\n- Press _Export_\n\n' +
      '[click me](javascript:alert(document.cookie)) <img src=x onerror=alert(1)> <script>alert(2)</script>';
    await agent.request({ type: 'send', idempotencyKey: 'rich-inapp-0001', conversationId: ack.conversationId, text: markdown });
    const live = await v.frames.next(is('msg', (m) => m.message.from === 'agent'), 'the rich reply');
    expect(live.message.text).toBe(markdown);
    const html = live.message.html!;
    expect(html).toContain('<strong>Go to Settings</strong>');
    expect(html).toContain('<a href="https://help.acme.example/export" target="_blank" rel="noopener noreferrer nofollow">the guide</a>');
    expect(html).toContain('<li>Choose <code>CSV</code></li>');
    expect(html).toContain('<em>Export</em>');
    expect(html).not.toMatch(/javascript:alert[^(]*"|href="javascript|<img|<script/);
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');

    // Coming back later: the history carries the same rendering.
    const again = await openVisitor(entry, { org: 'acme' });
    const welcome = await again.hello({ visitorId: 'v_rich_inapp_1', user: { id: 'user-77', hash: userHash(SECRET, 'user-77') }, resume: { conversationId: ack.conversationId, token: ack.token! } });
    expect(welcome.messages.find((m) => m.from === 'agent')?.html).toBe(html);
    expect(welcome.messages.find((m) => m.from === 'visitor')?.html).toBeUndefined();

    // A website (non in-app) chat shows the same text as typed.
    const web = await openVisitor(entry, { org: 'acme' });
    await web.hello({ visitorId: 'v_rich_website_1' });
    const webAck = await web.say('c_rich_web_01', 'Hello from the website');
    const webOffer = await agent.event('offer', (e) => e.conversation.id === webAck.conversationId);
    await agent.request({ type: 'acceptOffer', offerId: webOffer.offerId });
    await agent.request({ type: 'send', idempotencyKey: 'rich-web-0001', conversationId: webAck.conversationId, text: '**not bold here**' });
    const plain = await web.frames.next(is('msg', (m) => m.message.from === 'agent'), 'the website reply');
    expect(plain.message).toMatchObject({ text: '**not bold here**' });
    expect(plain.message.html).toBeUndefined();
  });

  it("the demo page's in-app mode signs its fictional user, so the chat arrives on the in-app channel", async () => {
    const entry = await startHub();
    const page = await (await fetch(`${entry.hub.url}/widget/demo?mode=in-app`)).text();
    const hash = /data-user-hash="([0-9a-f]{64})"/.exec(page)?.[1];
    expect(page).toContain('data-user-id="demo-user-1"');
    expect(page).toContain('Signed in as Jordan Lee (in-app demo)');
    const v = await openVisitor(entry);
    await v.hello({ visitorId: 'v_demo_inapp_1', user: { id: 'demo-user-1', hash: hash!, name: 'Jordan Lee' } });
    const ack = await v.say('c_demo_inapp_1', 'Hi from the app');
    expect(entry.hub.context.conversations.conversation(ack.conversationId)!.channel).toBe('in_app');
    // The plain demo page stays a website chat, and a secret an operator configured is never used to sign.
    expect(await (await fetch(`${entry.hub.url}/widget/demo`)).text()).not.toContain('data-user-id');
    const configured = await startHub({ orgs: { demo: { name: 'Fernhill Coffee', identitySecret: SECRET } } });
    expect(await (await fetch(`${configured.hub.url}/widget/demo?mode=in-app`)).text()).not.toContain('data-user-hash');
  });
});
