import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../src/main/config';
import { createCore, type Core } from '../../src/main/core';
import { startHeadlessServer, type HeadlessServer } from '../../src/main/headless/server';
import { resolveStaticFile } from '../../src/main/staticFiles';
import { tempDir } from '../helpers/tempDir';

function connect(url: string, origin: string | undefined): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function nextFrame(ws: WebSocket, predicate: (frame: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      if (!predicate(frame)) return;
      ws.off('message', onMessage);
      resolve(frame);
    };
    ws.on('message', onMessage);
  });
}

describe('the headless server', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let server: HeadlessServer;
  let origin: string;
  let caseId: number;

  beforeAll(async () => {
    tmp = tempDir();
    const rendererDir = path.join(tmp.dir, 'renderer');
    fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Omni Desk</title><div id="root"></div>');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(tmp.dir, 'secret.txt'), 'do not serve');
    const config = loadConfig({ argv: ['--data-dir', path.join(tmp.dir, 'data'), '--no-demo', '--port', '0'], env: {} });
    core = createCore(config, { mode: 'headless', log: () => {} });
    const customerId = core.repo.insertCustomer({ name: 'Pat Lee', company: null, title: null, tier: 'standard', vip: false, healthScore: 80, language: 'en', timezone: null, preferredChannel: 'chat', createdAt: 1, identities: [] });
    caseId = core.repo.insertCase({ customerId, subject: 'Where is my parcel?', status: 'open', priority: 'normal', issueType: 'shipping', channel: 'chat', originChannel: 'chat', assignedAgentId: null, createdAt: 1, updatedAt: 1, waitingSince: 1, firstResponseAt: null, slaDueAt: 120_001, resolvedAt: null, resolutionCode: null, csatScore: null });
    core.repo.insertEvent({ caseId, customerId, channel: 'chat', direction: 'in', kind: 'message', authorType: 'customer', authorId: null, authorName: 'Pat Lee', subject: null, body: 'Where is my parcel?', occurredAt: 1 });
    server = await startHeadlessServer({ core, host: '127.0.0.1', port: 0, rendererDir });
    origin = server.url;
  });

  afterAll(async () => {
    await server?.close();
    core?.close();
    tmp?.remove();
  });

  it('serves the workspace with a strict Content-Security-Policy', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Omni Desk');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(/script-src[^;]*unsafe/.test(csp)).toBe(false);
    expect(csp).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${server.url}/assets/app.js`)).headers.get('content-type')).toContain('text/javascript');
  });

  it('never serves a file outside the workspace folder', async () => {
    expect(resolveStaticFile('/srv/app', '/../secret.txt')).toBeNull();
    expect(resolveStaticFile('/srv/app', '/%2e%2e/secret.txt')).toBeNull();
    expect(resolveStaticFile('/srv/app', '/assets/..%2f..%2fsecret.txt')).toBeNull();
    expect(resolveStaticFile('/srv/app', '/assets/%00.js')).toBeNull();
    expect(resolveStaticFile('/srv/app', '/queue/42')).toBe('/srv/app/index.html');
    expect(resolveStaticFile('/srv/app', '/assets/app.js')).toBe('/srv/app/assets/app.js');
    const res = await fetch(`${server.url}/%2e%2e/secret.txt`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('do not serve');
    expect((await fetch(`${server.url}/`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses requests for another host name (DNS rebinding)', async () => {
    const status = await new Promise<string>((resolve) => {
      const socket = net.connect(server.port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('end', () => resolve(data.split('\r\n')[0]!));
    });
    expect(status).toContain('421');
  });

  it('answers contract calls over the WebSocket', async () => {
    const ws = await connect(`ws://127.0.0.1:${server.port}/api`, origin);
    ws.send(JSON.stringify({ t: 'req', id: 1, method: 'queueSnapshot', input: { view: 'all' } }));
    const frame = await nextFrame(ws);
    expect(frame).toMatchObject({ t: 'res', id: 1, result: { ok: true, value: { total: 1, items: [{ caseId, customerName: 'Pat Lee', preview: 'Where is my parcel?' }] } } });
    ws.send(JSON.stringify({ t: 'req', id: 2, method: 'customerProfile', input: { customerId: 'one' } }));
    expect(await nextFrame(ws)).toMatchObject({ id: 2, result: { ok: false, error: { code: 'rpc/invalid-input' } } });
    ws.close();
  });

  it('pushes events to every open workspace: a reply from one appears in the other', async () => {
    const a = await connect(`ws://127.0.0.1:${server.port}/api`, origin);
    const b = await connect(`ws://127.0.0.1:${server.port}/api`, origin);
    const appended = nextFrame(b, (f) => f.t === 'evt' && f.name === 'timelineAppended');
    a.send(JSON.stringify({ t: 'req', id: 7, method: 'sendReply', input: { caseId, channel: 'chat', body: 'It left our warehouse today.', idempotencyKey: 'reply-key-1' } }));
    expect(await appended).toMatchObject({ payload: { event: { body: 'It left our warehouse today.', delivery: 'queued', direction: 'out' } } });
    a.close();
    b.close();
  });

  it('refuses a WebSocket from another origin or without one', async () => {
    await expect(connect(`ws://127.0.0.1:${server.port}/api`, 'http://evil.example')).rejects.toThrow(/403/);
    await expect(connect(`ws://127.0.0.1:${server.port}/api`, undefined)).rejects.toThrow(/403/);
    await expect(connect(`ws://127.0.0.1:${server.port}/other`, origin)).rejects.toThrow(/403/);
  });

  it('cuts off a client that sends malformed or oversized frames, and keeps serving others', async () => {
    const bad = await connect(`ws://127.0.0.1:${server.port}/api`, origin);
    const closed = new Promise<number>((resolve) => bad.once('close', (code) => resolve(code)));
    bad.send('{not json');
    expect(await closed).toBe(1007);

    const big = await connect(`ws://127.0.0.1:${server.port}/api`, origin);
    const bigClosed = new Promise<number>((resolve) => big.once('close', (code) => resolve(code)));
    big.send(JSON.stringify({ t: 'req', id: 1, method: 'search', input: { query: 'x'.repeat(2 * 1024 * 1024) } }));
    expect(await bigClosed).toBe(1009);

    const good = await connect(`ws://127.0.0.1:${server.port}/api`, origin);
    good.send(JSON.stringify({ t: 'req', id: 3, method: 'appInfo', input: {} }));
    expect(await nextFrame(good)).toMatchObject({ id: 3, result: { ok: true, value: { mode: 'headless' } } });
    good.close();
  });

  it('serves the page but asks API clients to retry while the store is still opening', async () => {
    const early = await startHeadlessServer({ host: '127.0.0.1', port: 0, rendererDir: path.join(tmp.dir, 'renderer') });
    try {
      expect((await fetch(`${early.url}/`)).status).toBe(200);
      const ws = await connect(`ws://127.0.0.1:${early.port}/api`, early.url);
      expect(await new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))).toBe(1013);
      early.attach(core);
      const ready = await connect(`ws://127.0.0.1:${early.port}/api`, early.url);
      ready.send(JSON.stringify({ t: 'req', id: 1, method: 'appInfo', input: {} }));
      expect(await nextFrame(ready)).toMatchObject({ id: 1, result: { ok: true } });
      ready.close();
    } finally {
      await early.close();
    }
  });

  it('says clearly when the port is taken', async () => {
    await expect(startHeadlessServer({ core, host: '127.0.0.1', port: server.port, rendererDir: path.join(tmp.dir, 'renderer') })).rejects.toThrow(
      new RegExp(`Port ${server.port} on 127.0.0.1 is already in use.*--port or OMNI_PORT`),
    );
  });
});
