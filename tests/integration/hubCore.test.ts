// The hub's server and sign-in over real HTTP and WebSockets on loopback, with real SQLite files:
// passwords and sessions, embedded vs team hubs, clear errors for bad bodies and frames, roles.
import net from 'node:net';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { HUB_PROTOCOL_VERSION, MAX_AGENT_FRAME_BYTES } from '../../src/shared/hub/agentProtocol';
import type { HubModuleFactory } from '../../src/hub/services';
import { agentSession, HubClientError, login, startHub, TestAgent, type StartedHub } from '../helpers/hub';

const running: StartedHub[] = [];
const sockets: TestAgent[] = [];

async function hub(options: Parameters<typeof startHub>[0] = {}): Promise<StartedHub> {
  const h = await startHub({ modules: [], ...options });
  running.push(h);
  return h;
}

async function connect(h: StartedHub, token: string, resumeAfter = 0): Promise<TestAgent> {
  const a = await TestAgent.connect(h.url, token, resumeAfter);
  sockets.push(a);
  return a;
}

afterEach(async () => {
  for (const s of sockets.splice(0)) await s.close();
  for (const h of running.splice(0)) await h.close();
});

async function post(url: string, body: string, contentType = 'application/json'): Promise<{ status: number; body: { code?: string; message?: string } }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  return { status: res.status, body: (await res.json()) as { code?: string; message?: string } };
}

describe('signing in', () => {
  it('an agent signs in with the right password and is refused with a wrong one or an unknown name', async () => {
    const h = await hub();
    h.hub.createAgent({ username: 'ann', displayName: 'Ann Lee', role: 'supervisor', password: 'correct horse battery' });

    const ok = await login(h.url, 'ann', 'correct horse battery');
    expect(ok.agent).toMatchObject({ username: 'ann', displayName: 'Ann Lee', role: 'supervisor' });
    expect(ok.token.length).toBeGreaterThanOrEqual(32);
    expect(ok.expiresAt).toBeGreaterThan(Date.now());

    const wrong = await post(`${h.url}/auth/login`, JSON.stringify({ username: 'ann', password: 'wrong horse battery' }));
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ code: 'auth/invalid', message: 'The user name or password is wrong.', key: 'signInWrong', params: {} });
    const unknown = await post(`${h.url}/auth/login`, JSON.stringify({ username: 'nobody', password: 'whatever-it-is' }));
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('auth/invalid');

    // Only a hash of the token is stored.
    const stored = h.hub.context.db.prepare('SELECT token_hash FROM sessions').all() as { token_hash: string }[];
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toContain(ok.token);
    const agentRow = h.hub.context.db.prepare('SELECT password_hash FROM agents').get() as { password_hash: string };
    expect(agentRow.password_hash).toMatch(/^scrypt\$/);
    expect(agentRow.password_hash).not.toContain('correct horse');
  });

  it('an expired session is denied at hello, and a socket whose session lapses is cut off', async () => {
    let clock = Date.now();
    const h = await hub({ now: () => clock, config: { sessionTtlMs: 60_000 } });
    const ann = await agentSession(h, { username: 'ann' });

    const live = await connect(h, ann.token);
    expect(live.denied).toBeNull();
    clock += 61_000;
    live.sendRaw(JSON.stringify({ t: 'req', id: 1, req: { type: 'ping' } }));
    await live.until(() => live.denied !== null, 10_000, 'denied');
    expect(live.denied?.code).toBe('auth/expired');
    expect((await live.closed).code).toBe(1008);

    const late = await connect(h, ann.token);
    expect(late.denied?.code).toBe('auth/expired');
    expect((await late.closed).code).toBe(1008);

    const forged = await connect(h, 'x'.repeat(43));
    expect(forged.denied?.code).toBe('auth/invalid');
  });

  it('an embedded hub signs the desktop user in as an admin without a password; a team hub always requires login', async () => {
    const team = await hub();
    expect(() => team.hub.issueLocalAdminToken()).toThrow(expect.objectContaining({ code: 'auth/not-embedded' }));

    const embedded = await hub({ config: { embedded: true, localAdminName: 'Kim at the desk' } });
    const session = embedded.hub.issueLocalAdminToken();
    const desk = await connect(embedded, session.token);
    const welcome = desk.frames.find((f) => f.t === 'welcome');
    expect(welcome).toMatchObject({ agent: { role: 'admin', displayName: 'Kim at the desk' } });
    // The local admin cannot be signed into with any password.
    await expect(login(embedded.url, 'local-admin', '')).rejects.toThrow();
    await expect(login(embedded.url, 'local-admin', 'anything-at-all')).rejects.toThrow(HubClientError);
    await desk.close();

    // The same local admin after a restart.
    const dataDir = embedded.dataDir;
    await embedded.hub.close();
    const again = await startHub({ modules: [], dataDir, config: { embedded: true } });
    running.push(again);
    expect(again.hub.issueLocalAdminToken().agent.id).toBe(session.agent.id);
  });
});

describe('HTTP', () => {
  it('oversized, malformed and mistyped bodies get a clear 4xx, unknown paths a JSON 404, and the hub keeps serving', async () => {
    const h = await hub({ config: { maxBodyBytes: 1024 } });
    h.hub.createAgent({ username: 'ann', displayName: 'Ann', password: 'correct horse battery' });

    const big = await post(`${h.url}/auth/login`, JSON.stringify({ username: 'ann', password: 'p'.repeat(4096) }));
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('http/body-too-large');
    expect(big.body.message).toContain('1024 bytes');

    const malformed = await post(`${h.url}/auth/login`, '{"username": "ann", ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('http/invalid-json');

    const shape = await post(`${h.url}/auth/login`, JSON.stringify({ user: 'ann' }));
    expect(shape.status).toBe(400);
    expect(shape.body.code).toBe('http/invalid-body');

    const text = await post(`${h.url}/auth/login`, 'username=ann', 'application/x-www-form-urlencoded');
    expect(text.status).toBe(415);

    const get = await fetch(`${h.url}/auth/login`);
    expect(get.status).toBe(405);

    const missing = await fetch(`${h.url}/no/such/thing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'http/not-found' });

    const health = await fetch(`${h.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, embedded: false });
    expect((await login(h.url, 'ann', 'correct horse battery')).agent.username).toBe('ann');
  });

  it('requests and upgrades the core does not own go to the modules in order; an unclaimed upgrade is refused', async () => {
    const seen: string[] = [];
    const first: HubModuleFactory = () => ({
      name: 'first',
      handleHttp: (_req, res, url) => {
        seen.push(`first ${url.pathname}`);
        if (url.pathname !== '/first') return false;
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('first');
        return true;
      },
    });
    const second: HubModuleFactory = (ctx) => ({
      name: 'second',
      handleHttp: async (_req, res, url) => {
        seen.push(`second ${url.pathname}`);
        if (url.pathname !== '/second') return false;
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end(ctx.publicUrl());
        return true;
      },
      handleUpgrade: (req, socket, _head, url) => {
        if (url.pathname !== '/second/ws') return false;
        socket.end('HTTP/1.1 418 I am a teapot\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return true;
      },
    });
    const h = await hub({ modules: [first, second] });
    expect(await (await fetch(`${h.url}/first`)).text()).toBe('first');
    expect(await (await fetch(`${h.url}/second`)).text()).toBe(h.url);
    expect(seen).toEqual(['first /first', 'first /second', 'second /second']);

    const upgrade = (path: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${h.url.replace('http', 'ws')}${path}`);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => resolve(-1));
        ws.on('open', () => (ws.close(), resolve(101)));
      });
    expect(await upgrade('/second/ws')).toBe(418);
    expect(await upgrade('/nowhere')).toBe(404);
  });
});

describe('the agent socket', () => {
  it('oversized, malformed and out-of-order frames get an error answer or a 1008 close, and the hub stays up', async () => {
    const h = await hub();
    const ann = await agentSession(h, { username: 'ann' });

    const early = await TestAgent.open(h.url);
    sockets.push(early);
    early.sendRaw(JSON.stringify({ t: 'req', id: 1, req: { type: 'ping' } }));
    expect((await early.closed).code).toBe(1008);
    expect(early.denied?.code).toBe('protocol/invalid-frame');

    const garbage = await TestAgent.open(h.url);
    sockets.push(garbage);
    garbage.sendRaw('{not json');
    expect((await garbage.closed).code).toBe(1008);
    expect(garbage.denied?.message).toContain('not valid JSON');

    const oldDesktop = await TestAgent.open(h.url);
    sockets.push(oldDesktop);
    oldDesktop.sendRaw(JSON.stringify({ t: 'hello', token: ann.token, resumeAfter: 0, protocol: HUB_PROTOCOL_VERSION + 1 }));
    expect((await oldDesktop.closed).code).toBe(1008);
    expect(oldDesktop.denied?.code).toBe('protocol/version');

    const a = await connect(h, ann.token);
    const bad = await a.request({ type: 'send', idempotencyKey: 'short', conversationId: 1, text: '' } as never);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.code).toBe('protocol/invalid-request');
    expect(!bad.ok && bad.error.message).toContain('idempotencyKey');
    const unknownType = await a.request({ type: 'format-disk' } as never);
    expect(!unknownType.ok && unknownType.error.code).toBe('protocol/invalid-request');
    // Still open and answering.
    expect((await a.call({ type: 'ping' })).serverTime).toBeGreaterThan(0);

    a.sendRaw(JSON.stringify({ t: 'req', id: 99, req: { type: 'ping' }, pad: 'x'.repeat(MAX_AGENT_FRAME_BYTES + 10) }));
    expect((await a.closed).code).toBe(1009);

    // A raw TCP client speaking nonsense is dropped without harm.
    await new Promise<void>((resolve) => {
      const s = net.connect(h.port, '127.0.0.1', () => s.end('\x16\x03\x01 NOT HTTP AT ALL\r\n\r\n'));
      s.resume();
      s.on('close', () => resolve());
      s.on('error', () => resolve());
    });

    const again = await connect(h, ann.token);
    expect((await again.call({ type: 'ping' })).serverTime).toBeGreaterThan(0);
    expect(h.logs.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('a supervisor-only request from an agent session is refused; a supervisor sees the team and agents\u2019 state changes', async () => {
    const h = await hub();
    const ada = await agentSession(h, { username: 'ada' });
    const sam = await agentSession(h, { username: 'sam', role: 'supervisor' });
    const agent = await connect(h, ada.token);
    const supervisor = await connect(h, sam.token);

    const refused = await agent.request({ type: 'supervisorSnapshot' });
    expect(refused).toEqual({ ok: false, error: { code: 'auth/forbidden', message: 'Only supervisors and admins can see the team snapshot.', key: 'teamSnapshotRole', params: {} } });

    await agent.call({ type: 'setPresence', presence: 'available', capacity: { chat: 2 } });
    const change = await supervisor.waitForEvent('agentState', (e) => e.state.agentId === ada.id && e.state.presence === 'available');
    expect(change.state).toMatchObject({ connected: true, capacity: { chat: 2 } });

    h.hub.context.conversations.ingestInbound({
      channel: 'sms',
      providerId: 'SM1',
      threadKey: '+15550001',
      contact: { address: '+15550001' },
      text: 'hello',
      receivedAt: Date.now(),
    });
    const snapshot = await supervisor.call({ type: 'supervisorSnapshot' });
    expect(snapshot.agents.map((s) => s.agentId).sort()).toEqual([ada.id, sam.id].sort());
    expect(snapshot.agents.find((s) => s.agentId === ada.id)).toMatchObject({ presence: 'available', connected: true });
    expect(snapshot.queues).toEqual([expect.objectContaining({ channel: 'sms', waiting: 1 })]);
  });
});
